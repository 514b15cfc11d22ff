import { z } from "zod";
import { Id, IsoInstant } from "./common";

/**
 * Notification channels (DOMAIN.md "Notifications"). A channel belongs to the org (teamId null) or to one
 * team. Its secret (signing secret or e-mail API key) is write-only: requests may set or clear it, responses
 * only say `hasSecret`. The webhook URLs of WeCom, DingTalk, Feishu and Slack carry their own credential
 * (key / access_token / hook id), so responses never echo them either: they show `urlHint` instead.
 */
export const CHANNEL_KINDS = ["email", "wecom", "dingtalk", "feishu", "slack", "webhook"] as const;
export const ChannelKind = z.enum(CHANNEL_KINDS);
export type ChannelKind = z.infer<typeof ChannelKind>;

/** Kinds whose URL is itself a credential (never returned, only hinted). */
export const CAPABILITY_URL_KINDS: readonly ChannelKind[] = ["wecom", "dingtalk", "feishu", "slack"];

/** Absolute http(s) URL. http is allowed for local receivers and tests. */
export const HttpUrl = z.url({ protocol: /^https?$/, error: "must be an http(s) URL" }).max(2048);
const EmailAddress = z.email().max(254);
const Recipients = z.array(EmailAddress).min(1).max(20);

const WebhookConfig = z.strictObject({ url: HttpUrl });
export const EmailConfig = z.discriminatedUnion("transport", [
  /** POST JSON {from,to,subject,text,html} to `url` with `Authorization: Bearer <secret>`. */
  z.strictObject({ transport: z.literal("api"), url: HttpUrl, from: EmailAddress, to: Recipients }),
  /** Cloudflare's send_email binding (env.SEND_EMAIL); no URL, no secret. */
  z.strictObject({ transport: z.literal("send_email"), from: EmailAddress, to: Recipients }),
]);

export const CHANNEL_CONFIG = {
  email: EmailConfig,
  wecom: WebhookConfig,
  dingtalk: WebhookConfig,
  feishu: WebhookConfig,
  slack: WebhookConfig,
  webhook: WebhookConfig,
} as const satisfies Record<ChannelKind, z.ZodType>;
export type ChannelConfig<K extends ChannelKind = ChannelKind> = z.output<(typeof CHANNEL_CONFIG)[K]>;

/**
 * Secret per kind: DingTalk and Feishu sign when their bot has signing enabled; the generic webhook is
 * always signed; e-mail's secret is the API key (required for transport "api"); WeCom and Slack have none.
 */
export const CHANNEL_SECRET = {
  email: "optional",
  wecom: "none",
  dingtalk: "optional",
  feishu: "optional",
  slack: "none",
  webhook: "required",
} as const satisfies Record<ChannelKind, "required" | "optional" | "none">;

export const ChannelSecret = z.string().min(8).max(512).regex(/^\S+$/, "must not contain whitespace");
const ChannelName = z.string().trim().min(1).max(80);

const common = {
  name: ChannelName,
  /** Team the channel belongs to; null = the whole org (admins only). Managers default to their own team. */
  teamId: Id.nullable().optional(),
  enabled: z.boolean().optional(),
};

function createVariant<K extends ChannelKind>(kind: K) {
  const secret = CHANNEL_SECRET[kind];
  return z.strictObject({
    kind: z.literal(kind),
    ...common,
    config: CHANNEL_CONFIG[kind],
    ...(secret === "none" ? {} : { secret: secret === "required" ? ChannelSecret : ChannelSecret.optional() }),
  });
}

export const CreateChannelRequest = z
  .discriminatedUnion("kind", [
    createVariant("email"),
    createVariant("wecom"),
    createVariant("dingtalk"),
    createVariant("feishu"),
    createVariant("slack"),
    createVariant("webhook"),
  ])
  .superRefine((body, ctx) => {
    if (body.kind === "email" && body.config.transport === "api" && !body.secret) {
      ctx.addIssue({ code: "custom", path: ["secret"], message: "the e-mail API key is required for transport api" });
    }
  });
export type CreateChannelRequest = z.input<typeof CreateChannelRequest>;

/**
 * Partial update. `config` is merged over the stored config (so an omitted URL is kept) and the result is
 * validated like a create; `secret: null` clears the secret. The kind cannot change.
 */
export const UpdateChannelRequest = z
  .strictObject({
    name: ChannelName.optional(),
    teamId: Id.nullable().optional(),
    enabled: z.boolean().optional(),
    config: z.record(z.string(), z.unknown()).optional(),
    secret: ChannelSecret.nullable().optional(),
  })
  .refine((b) => Object.keys(b).length > 0, { message: "nothing to update" });
export type UpdateChannelRequest = z.input<typeof UpdateChannelRequest>;

export const ChannelView = z.object({
  id: Id,
  kind: ChannelKind,
  name: z.string(),
  teamId: Id.nullable(),
  enabled: z.boolean(),
  /** Non-secret settings: e-mail transport/from/to (+ API URL), the generic webhook's URL. */
  config: z.object({
    transport: z.enum(["api", "send_email"]).optional(),
    url: z.string().optional(),
    from: z.string().optional(),
    to: z.array(z.string()).optional(),
  }),
  /** Where messages go, safe to show: the host and the last 4 characters for credential-bearing URLs. */
  urlHint: z.string().nullable(),
  hasSecret: z.boolean(),
  createdAt: IsoInstant,
});
export type ChannelView = z.infer<typeof ChannelView>;

export const ChannelListResponse = z.object({ channels: z.array(ChannelView) });

export const DELIVERY_STATUSES = ["pending", "sent", "failed"] as const;
export const DeliveryView = z.object({
  id: Id,
  channelId: Id,
  /** The message template, e.g. alert_yellow or channel_test. */
  messageKind: z.string(),
  status: z.enum(DELIVERY_STATUSES),
  attempts: z.int().min(0),
  lastError: z.string().nullable(),
  nextAttemptAt: IsoInstant.nullable(),
  sentAt: IsoInstant.nullable(),
  createdAt: IsoInstant,
});
export type DeliveryView = z.infer<typeof DeliveryView>;

export const DeliveriesQuery = z.strictObject({
  status: z.enum(DELIVERY_STATUSES).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(50),
});
export const DeliveriesResponse = z.object({ deliveries: z.array(DeliveryView) });

export const ChannelTestResponse = z.object({
  delivery: DeliveryView,
  outcome: z.object({
    ok: z.boolean(),
    /** For failures: would a later attempt help (network, 429, 5xx)? */
    retryable: z.boolean().optional(),
    /** HTTP status of the channel's answer, when there was one. */
    httpStatus: z.int().optional(),
    error: z.string().optional(),
  }),
});
export type ChannelTestResponse = z.infer<typeof ChannelTestResponse>;
