import { Hono } from "hono";
import { localDay } from "../../shared/domain/calendar";
import { PostActivitiesRequest, PostActivitiesResponse } from "../../shared/schemas/activities";
import { assertTokenLive, requireAuthBatched } from "../auth/middleware";
import { insertActivitiesStatements, tokenIsLiveRaw, type ActivityInsert } from "../db/queries/activities";
import type { AppEnv } from "../env";
import { readBody } from "../validate";

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

export const activitiesRoute = new Hono<AppEnv>().use(requireAuthBatched).post("/", async (c) => {
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
  const [live, ...chunks] = await c.env.DB.batch([tokenIsLiveRaw(c.env.DB, scope), ...insertActivitiesStatements(c.env.DB, scope, rows)]);
  assertTokenLive(live!.results, c.var.tokenHash);
  const inserted = new Set(chunks.flatMap((r) => (r.results as { client_event_id: string }[]).map((x) => x.client_event_id)));

  const counted = new Set<string>();
  const results = body.events.map((e) => {
    const created = inserted.has(e.clientEventId) && !counted.has(e.clientEventId);
    counted.add(e.clientEventId);
    return { clientEventId: e.clientEventId, status: created ? ("created" as const) : ("duplicate" as const) };
  });
  const created = results.filter((r) => r.status === "created").length;
  return c.json(PostActivitiesResponse.parse({ results, created, duplicates: results.length - created }), created > 0 ? 201 : 200);
});
