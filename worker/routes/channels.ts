import { and, desc, eq, sql, type SQL } from "drizzle-orm";
import { Hono } from "hono";
import {
  CAPABILITY_URL_KINDS,
  CHANNEL_SECRET,
  ChannelListResponse,
  ChannelTestResponse,
  ChannelView,
  CreateChannelRequest,
  DeliveriesQuery,
  DeliveriesResponse,
  DeliveryView,
  UpdateChannelRequest,
  type ChannelKind,
} from "../../shared/schemas/channels";
import type { AuthContext } from "../auth/context";
import { newId } from "../auth/crypto";
import { requireAuth } from "../auth/middleware";
import { requireRole } from "../auth/roles";
import { db as makeDb, type Db } from "../db/client";
import { notificationChannels, notificationOutbox, teams } from "../db/schema";
import type { AppEnv } from "../env";
import { ApiError, zodDetails } from "../errors";
import { deliverNow, enqueue, type NotifyEnv } from "../notify";
import { iso, isoOrNull } from "../time";
import { readBody, readQuery } from "../validate";

/**
 * Notification channels. Admins manage every channel of the org; managers only their own team's
 * (team_id = their team). Anything outside the caller's scope is a 404, never a 403: we do not reveal
 * what exists elsewhere. Every query is filtered by org_id.
 *
 * The secret is write-only: no query here even selects it (only `secret IS NOT NULL`), and the
 * credential-bearing webhook URLs (WeCom, DingTalk, Feishu, Slack) are answered as a hint only.
 */

const PLACEHOLDER_SECRET = "(stored-secret)";

/** The columns a response may be built from — deliberately without `secret`. */
const viewColumns = {
  id: notificationChannels.id,
  teamId: notificationChannels.teamId,
  kind: notificationChannels.kind,
  name: notificationChannels.name,
  config: notificationChannels.config,
  enabled: notificationChannels.enabled,
  createdAt: notificationChannels.createdAt,
  hasSecret: sql<number>`${notificationChannels.secret} IS NOT NULL`.mapWith(Boolean),
};
type ChannelRow = {
  id: string;
  teamId: string | null;
  kind: ChannelKind;
  name: string;
  config: Record<string, unknown>;
  enabled: boolean;
  createdAt: number;
  hasSecret: boolean;
};

/** Channels the caller may see and manage. */
function channelScope(auth: AuthContext): SQL {
  const inOrg = eq(notificationChannels.orgId, auth.org.id);
  if (auth.user.role === "admin") return inOrg;
  return and(inOrg, auth.user.teamId === null ? sql`0` : eq(notificationChannels.teamId, auth.user.teamId))!;
}

async function channelInScope(db: Db, auth: AuthContext, id: string): Promise<ChannelRow> {
  const row = await db
    .select(viewColumns)
    .from(notificationChannels)
    .where(and(channelScope(auth), eq(notificationChannels.id, id)))
    .get();
  if (!row) throw new ApiError("not_found", "No such channel in your scope");
  return row as ChannelRow;
}

/** `https://hooks.slack.com/…Xy9Z`: enough to recognise a URL, not enough to use it. */
export function urlHint(url: string): string {
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.host}/…${url.slice(-4)}`;
  } catch {
    return "…";
  }
}

function channelView(row: ChannelRow) {
  const { url, ...rest } = row.config as { url?: string };
  const capability = CAPABILITY_URL_KINDS.includes(row.kind);
  return ChannelView.parse({
    id: row.id,
    kind: row.kind,
    name: row.name,
    teamId: row.teamId,
    enabled: row.enabled,
    config: capability || url === undefined ? rest : { ...rest, url },
    urlHint: url === undefined ? null : capability ? urlHint(url) : url,
    hasSecret: row.hasSecret,
    createdAt: iso(row.createdAt),
  });
}

/**
 * Which team a channel may belong to. Managers: their own team only (the default). Admins: any team of
 * the org, or null for an org-wide channel (the default).
 */
async function resolveTeam(db: Db, auth: AuthContext, requested: string | null | undefined): Promise<string | null> {
  const { user, org } = auth;
  if (user.role !== "admin") {
    if (user.teamId === null) throw new ApiError("forbidden", "You lead no team, so you cannot manage channels");
    if (requested !== undefined && requested !== user.teamId) throw new ApiError("forbidden", "Managers manage only their own team's channels");
    return user.teamId;
  }
  if (requested === undefined || requested === null) return null;
  const team = await db.select({ id: teams.id }).from(teams).where(and(eq(teams.orgId, org.id), eq(teams.id, requested))).get();
  if (!team) throw new ApiError("validation_failed", "Request body is invalid", [{ path: "teamId", message: "no such team in your org" }]);
  return team.id;
}

/** send_email channels need the binding; say so when the channel is saved, not when the first alert fails. */
function checkTransport(env: NotifyEnv, body: { kind: ChannelKind; config: unknown }) {
  const config = body.config as { transport?: string };
  if (body.kind === "email" && config.transport === "send_email" && !env.SEND_EMAIL) {
    throw new ApiError("validation_failed", "Request body is invalid", [
      { path: "config.transport", message: "send_email needs a SEND_EMAIL binding in wrangler.toml; use transport api" },
    ]);
  }
}

function deliveryView(row: {
  id: string;
  channelId: string;
  messageKind: string | null;
  status: "pending" | "sent" | "failed";
  attempts: number;
  lastError: string | null;
  nextAttemptAt: number;
  sentAt: number | null;
  createdAt: number;
}) {
  return DeliveryView.parse({
    id: row.id,
    channelId: row.channelId,
    messageKind: row.messageKind ?? "unknown",
    status: row.status,
    attempts: row.attempts,
    lastError: row.lastError,
    nextAttemptAt: row.status === "pending" ? iso(row.nextAttemptAt) : null,
    sentAt: isoOrNull(row.sentAt),
    createdAt: iso(row.createdAt),
  });
}

const deliveryColumns = {
  id: notificationOutbox.id,
  channelId: notificationOutbox.channelId,
  messageKind: sql<string | null>`json_extract(${notificationOutbox.payload}, '$.message.kind')`,
  status: notificationOutbox.status,
  attempts: notificationOutbox.attempts,
  lastError: notificationOutbox.lastError,
  nextAttemptAt: notificationOutbox.nextAttemptAt,
  sentAt: notificationOutbox.sentAt,
  createdAt: notificationOutbox.createdAt,
};

export const channels = new Hono<AppEnv>()
  .use(requireAuth, requireRole("admin", "manager"))

  .get("/", async (c) => {
    const db = makeDb(c.env.DB);
    const rows = await db.select(viewColumns).from(notificationChannels).where(channelScope(c.var.auth)).orderBy(notificationChannels.createdAt, notificationChannels.id);
    return c.json(ChannelListResponse.parse({ channels: (rows as ChannelRow[]).map(channelView) }));
  })

  .post("/", async (c) => {
    const body = await readBody(c, CreateChannelRequest);
    const { auth } = c.var;
    const db = makeDb(c.env.DB);
    checkTransport(c.env, body);
    const teamId = await resolveTeam(db, auth, body.teamId);
    const secret = (body as { secret?: string }).secret ?? null;
    const row = {
      id: newId("ch"),
      orgId: auth.org.id,
      teamId,
      kind: body.kind,
      name: body.name,
      config: body.config as Record<string, unknown>,
      secret,
      enabled: body.enabled ?? true,
      createdAt: c.var.now,
    };
    await db.insert(notificationChannels).values(row);
    return c.json(channelView({ ...row, hasSecret: secret !== null }), 201);
  })

  .get("/:id", async (c) => {
    return c.json(channelView(await channelInScope(makeDb(c.env.DB), c.var.auth, c.req.param("id"))));
  })

  .patch("/:id", async (c) => {
    const patch = await readBody(c, UpdateChannelRequest);
    const { auth } = c.var;
    const db = makeDb(c.env.DB);
    const current = await channelInScope(db, auth, c.req.param("id"));

    // Merge, then validate the whole channel exactly like a create. In `config`, null removes a key.
    const config: Record<string, unknown> = { ...current.config };
    for (const [key, value] of Object.entries(patch.config ?? {})) {
      if (value === null) delete config[key];
      else config[key] = value;
    }
    const keepsSecret = patch.secret === undefined && current.hasSecret && CHANNEL_SECRET[current.kind] !== "none";
    const secret = patch.secret === undefined ? (keepsSecret ? PLACEHOLDER_SECRET : undefined) : (patch.secret ?? undefined);
    const merged = CreateChannelRequest.safeParse({
      kind: current.kind,
      name: patch.name ?? current.name,
      enabled: patch.enabled ?? current.enabled,
      config,
      ...(secret === undefined ? {} : { secret }),
    });
    if (!merged.success) throw new ApiError("validation_failed", "Request body is invalid", zodDetails(merged.error));
    checkTransport(c.env, merged.data);
    const teamId = patch.teamId === undefined ? current.teamId : await resolveTeam(db, auth, patch.teamId);

    await db
      .update(notificationChannels)
      .set({
        name: merged.data.name,
        enabled: merged.data.enabled ?? current.enabled,
        config: merged.data.config as Record<string, unknown>,
        teamId,
        ...(patch.secret === undefined ? {} : { secret: patch.secret }),
      })
      .where(and(channelScope(auth), eq(notificationChannels.id, current.id)));
    return c.json(channelView(await channelInScope(db, auth, current.id)));
  })

  .delete("/:id", async (c) => {
    const { auth } = c.var;
    const db = makeDb(c.env.DB);
    const current = await channelInScope(db, auth, c.req.param("id"));
    // One atomic batch: the channel goes, and its undelivered messages are closed with a reason.
    await db.batch([
      db.delete(notificationChannels).where(and(channelScope(auth), eq(notificationChannels.id, current.id))),
      db
        .update(notificationOutbox)
        .set({ status: "failed", lastError: "channel deleted" })
        .where(and(eq(notificationOutbox.orgId, auth.org.id), eq(notificationOutbox.channelId, current.id), eq(notificationOutbox.status, "pending"))),
    ]);
    return c.body(null, 204);
  })

  .post("/:id/test", async (c) => {
    const { auth, now } = c.var;
    const db = makeDb(c.env.DB);
    const channel = await channelInScope(db, auth, c.req.param("id"));
    // Each test is a new notification (its own key) and is tried once: a test that arrives an hour later helps no one.
    const { inserted } = await enqueue(
      db,
      [
        {
          orgId: auth.org.id,
          channelId: channel.id,
          dedupKey: `channel_test:${newId("t")}`,
          message: { kind: "channel_test", params: { channelName: channel.name, requestedBy: auth.user.name } },
          language: auth.org.language,
          maxAttempts: 1,
        },
      ],
      now,
    );
    const report = await deliverNow(c.env, auth.org.id, inserted, now);
    const result = report.results[0];
    const row = await db
      .select(deliveryColumns)
      .from(notificationOutbox)
      .where(and(eq(notificationOutbox.orgId, auth.org.id), eq(notificationOutbox.id, inserted[0]!)))
      .get();
    if (!result || !row) throw new ApiError("internal", "The test message could not be delivered", report.error);
    return c.json(
      ChannelTestResponse.parse({
        delivery: deliveryView(row),
        outcome: {
          ok: result.status === "sent",
          ...(result.retryable === undefined || result.status === "sent" ? {} : { retryable: result.retryable }),
          ...(result.httpStatus === undefined ? {} : { httpStatus: result.httpStatus }),
          ...(result.error === null || result.status === "sent" ? {} : { error: result.error }),
        },
      }),
    );
  })

  .get("/:id/deliveries", async (c) => {
    const query = readQuery(c, DeliveriesQuery);
    const { auth } = c.var;
    const db = makeDb(c.env.DB);
    const channel = await channelInScope(db, auth, c.req.param("id"));
    const rows = await db
      .select(deliveryColumns)
      .from(notificationOutbox)
      .where(
        and(
          eq(notificationOutbox.orgId, auth.org.id),
          eq(notificationOutbox.channelId, channel.id),
          query.status ? eq(notificationOutbox.status, query.status) : undefined,
        ),
      )
      .orderBy(desc(notificationOutbox.createdAt), desc(notificationOutbox.id))
      .limit(query.limit);
    return c.json(DeliveriesResponse.parse({ deliveries: rows.map(deliveryView) }));
  });
