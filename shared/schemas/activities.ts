import { z } from "zod";
import { ACTIVITY_KINDS } from "../domain/kinds";
import { ClientId, Id, IsoInstant } from "./common";

export const ActivityKind = z.enum(ACTIVITY_KINDS);
export const ACTIVITY_SOURCES = ["popup", "overlay", "shortcut", "context_menu", "api"] as const;
export const ActivitySource = z.enum(ACTIVITY_SOURCES);

/** Largest batch the API accepts in one request. */
export const MAX_BATCH = 500;

export const ActivityEvent = z
  .strictObject({
    clientEventId: ClientId,
    kind: ActivityKind,
    occurredAt: IsoInstant,
    source: ActivitySource,
    /** Minor units; only for `won`. */
    amount: z.int().min(0).max(1e13).optional(),
    /** A short label the rep chose for the customer; never page content. */
    customer: z.string().trim().min(1).max(80).optional(),
  })
  .refine((e) => e.amount === undefined || e.kind === "won", {
    message: "amount is only allowed on won events",
    path: ["amount"],
  });
export type ActivityEvent = z.infer<typeof ActivityEvent>;

export const PostActivitiesRequest = z.strictObject({
  /**
   * The client's clock when it sent the batch. The server shifts every occurredAt by
   * (server now − sentAt), so a browser with a wrong clock still lands events on the right day.
   */
  sentAt: IsoInstant.optional(),
  events: z.array(ActivityEvent).min(1).max(MAX_BATCH),
});
export type PostActivitiesRequest = z.infer<typeof PostActivitiesRequest>;

export const ActivityResult = z.object({
  clientEventId: ClientId,
  status: z.enum(["created", "duplicate"]),
});

export const PostActivitiesResponse = z.object({
  results: z.array(ActivityResult),
  created: z.int(),
  duplicates: z.int(),
});
export type PostActivitiesResponse = z.infer<typeof PostActivitiesResponse>;

export const ActivityRow = z.object({
  id: Id,
  clientEventId: ClientId,
  kind: ActivityKind,
  occurredAt: IsoInstant,
  day: z.iso.date(),
  source: ActivitySource,
  amount: z.int().nullable(),
  customer: z.string().nullable(),
});

export const ActivityListQuery = z.strictObject({
  userId: Id.optional(),
  from: z.iso.date().optional(),
  to: z.iso.date().optional(),
  kind: ActivityKind.optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
  /** Opaque cursor from the previous page. */
  cursor: z.string().regex(/^\d+$/).optional(),
});

export const ActivityList = z.object({
  activities: z.array(ActivityRow.extend({ userId: Id, deleted: z.boolean() })),
  nextCursor: z.string().nullable(),
});
