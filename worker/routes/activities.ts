import { Hono } from "hono";
import { localDay } from "../../shared/domain/calendar";
import { and, desc, eq, gte, inArray, isNull, lt, lte, type SQL } from "drizzle-orm";
import { ActivityList, ActivityListQuery, PostActivitiesRequest, PostActivitiesResponse } from "../../shared/schemas/activities";
import { ClientId } from "../../shared/schemas/common";
import { assertTokenLive, requireAuth, requireAuthBatched } from "../auth/middleware";
import { findUserInScope, scopedUserIds } from "../auth/scope";
import { db as makeDb } from "../db/client";
import { insertActivitiesStatements, tokenIsLiveRaw, touchKeyCustomersStatements, type ActivityInsert } from "../db/queries/activities";
import { activities } from "../db/schema";
import type { AppEnv } from "../env";
import { ApiError } from "../errors";
import { orgSettings } from "../settings";
import { iso } from "../time";
import { readBody, readQuery } from "../validate";

/** Events may not claim to happen later than this after the server's clock. */
const MAX_FUTURE_MS = 60_000;

/**
 * Corrects a client's clock: shift by (server now − client sentAt), then never in the future.
 * A browser whose clock is an hour off still lands its events on the right local day.
 */
export function correctedOccurredAt(occurredAt: number, sentAt: number | undefined, now: number): number {
  const skew = sentAt === undefined ? 0 : now - sentAt;
  return Math.min(occurredAt + skew, now + MAX_FUTURE_MS);
}

export const activitiesRoute = new Hono<AppEnv>().post("/", requireAuthBatched, async (c) => {
  const body = await readBody(c, PostActivitiesRequest);
  const { user, org } = c.var.auth;
  const now = c.var.now;
  const sentAt = body.sentAt === undefined ? undefined : Date.parse(body.sentAt);

  // The same client id twice in one batch is stored once; the later copy is a duplicate.
  const seen = new Set<string>();
  const rows: ActivityInsert[] = [];
  for (const event of body.events) {
    if (seen.has(event.clientEventId)) continue;
    seen.add(event.clientEventId);
    const occurredAt = correctedOccurredAt(Date.parse(event.occurredAt), sentAt, now);
    rows.push({
      clientEventId: event.clientEventId,
      kind: event.kind,
      occurredAt,
      day: localDay(occurredAt, org.calendar),
      amount: event.amount ?? null,
      customer: event.customer ?? null,
      source: event.source,
    });
  }
  // One round trip: the token re-check and every insert chunk in one atomic batch.
  const scope = { orgId: org.id, userId: user.id, tokenHash: c.var.tokenHash, now };
  const inserts = insertActivitiesStatements(c.env.DB, scope, rows);
  const [live, ...chunks] = await c.env.DB.batch([
    tokenIsLiveRaw(c.env.DB, scope),
    ...inserts,
    // A touch with a key customer's label counts as that customer's latest response.
    ...touchKeyCustomersStatements(c.env.DB, scope, rows),
  ]);
  assertTokenLive(live!.results, c.var.tokenHash);
  const inserted = new Set(chunks.slice(0, inserts.length).flatMap((r) => (r.results as { client_event_id: string }[]).map((x) => x.client_event_id)));

  const counted = new Set<string>();
  const results = body.events.map((e) => {
    const created = inserted.has(e.clientEventId) && !counted.has(e.clientEventId);
    counted.add(e.clientEventId);
    return { clientEventId: e.clientEventId, status: created ? ("created" as const) : ("duplicate" as const) };
  });
  const created = results.filter((r) => r.status === "created").length;
  return c.json(PostActivitiesResponse.parse({ results, created, duplicates: results.length - created }), created > 0 ? 201 : 200);
});

activitiesRoute
  .get("/", requireAuth, async (c) => {
    const q = readQuery(c, ActivityListQuery);
    const { auth } = c.var;
    const db = makeDb(c.env.DB);
    if (q.userId && q.userId !== auth.user.id && !(await findUserInScope(db, auth, q.userId)))
      throw new ApiError("not_found", "No such user in your scope");
    const conditions: SQL[] = [eq(activities.orgId, auth.org.id)];
    conditions.push(q.userId ? eq(activities.userId, q.userId) : inArray(activities.userId, scopedUserIds(db, auth)));
    if (q.from) conditions.push(gte(activities.day, q.from));
    if (q.to) conditions.push(lte(activities.day, q.to));
    if (q.kind) conditions.push(eq(activities.kind, q.kind));
    if (q.cursor) conditions.push(lt(activities.id, Number(q.cursor)));
    const rows = await db
      .select()
      .from(activities)
      .where(and(...conditions))
      .orderBy(desc(activities.id))
      .limit(q.limit + 1);
    const page = rows.slice(0, q.limit);
    return c.json(
      ActivityList.parse({
        activities: page.map((r) => ({
          id: String(r.id),
          userId: r.userId,
          clientEventId: r.clientEventId,
          kind: r.kind,
          occurredAt: iso(r.occurredAt),
          day: r.day,
          source: r.source,
          amount: r.amount,
          customer: r.customer,
          deleted: r.deletedAt !== null,
        })),
        nextCursor: rows.length > q.limit ? String(page[page.length - 1]!.id) : null,
      }),
    );
  })
  /**
   * Undo: a rep removes their own event within the org's undo window (default 10 min after
   * it was recorded). A soft delete, so a replay of the same client id stays a duplicate;
   * undoing twice is harmless.
   */
  .delete("/:clientEventId", requireAuth, async (c) => {
    const id = ClientId.safeParse(c.req.param("clientEventId"));
    if (!id.success) throw new ApiError("validation_failed", "clientEventId must be a UUID");
    const { auth } = c.var;
    const db = makeDb(c.env.DB);
    const row = await db
      .select({ userId: activities.userId, createdAt: activities.createdAt, deletedAt: activities.deletedAt })
      .from(activities)
      .where(and(eq(activities.orgId, auth.org.id), eq(activities.clientEventId, id.data)))
      .get();
    if (!row || row.userId !== auth.user.id) throw new ApiError("not_found", "No such event of yours");
    if (row.deletedAt !== null) return c.body(null, 204);
    const windowMs = orgSettings(auth.org.settings).undoWindowMinutes * 60_000;
    if (c.var.now - row.createdAt > windowMs) throw new ApiError("conflict", "The undo window for this event has passed");
    await db
      .update(activities)
      .set({ deletedAt: c.var.now })
      .where(and(eq(activities.orgId, auth.org.id), eq(activities.clientEventId, id.data), isNull(activities.deletedAt)));
    return c.body(null, 204);
  });
