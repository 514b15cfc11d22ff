import { and, count, eq, gte, isNull, lte, sql, sum } from "drizzle-orm";
import type { Db } from "../client";
import { activities } from "../schema";

export type NewActivity = typeof activities.$inferInsert;

/** D1 allows 100 bound parameters per statement; an activity row binds 10. */
export const ACTIVITY_ROWS_PER_STATEMENT = 10;

/**
 * Idempotent insert: every row is INSERT … ON CONFLICT(org_id, client_event_id) DO NOTHING,
 * chunked to fit D1's parameter limit and sent as one atomic db.batch. Returns the client
 * ids that were actually inserted; the rest were already stored.
 */
export async function insertActivitiesIgnoringDuplicates(db: Db, rows: NewActivity[]): Promise<Set<string>> {
  if (rows.length === 0) return new Set();
  const statements = [];
  for (let i = 0; i < rows.length; i += ACTIVITY_ROWS_PER_STATEMENT) {
    statements.push(
      db
        .insert(activities)
        .values(rows.slice(i, i + ACTIVITY_ROWS_PER_STATEMENT))
        .onConflictDoNothing({ target: [activities.orgId, activities.clientEventId] })
        .returning({ clientEventId: activities.clientEventId }),
    );
  }
  const results = await db.batch(statements as [(typeof statements)[number], ...(typeof statements)[number][]]);
  return new Set(results.flat().map((r) => r.clientEventId));
}

/** Count of live activities per kind for one user over an inclusive local-day range. */
export function countsByKindQuery(db: Db, orgId: string, userId: string, from: string, to: string) {
  return db
    .select({ kind: activities.kind, n: count() })
    .from(activities)
    .where(
      and(
        eq(activities.orgId, orgId),
        eq(activities.userId, userId),
        gte(activities.day, from),
        lte(activities.day, to),
        isNull(activities.deletedAt),
      ),
    )
    .groupBy(activities.kind);
}

/** Sum of `won` amounts (minor units) for one user over an inclusive local-day range. */
export function wonAmountQuery(db: Db, orgId: string, userId: string, from: string, to: string) {
  return db
    .select({ total: sql<number>`coalesce(${sum(activities.amount)}, 0)`.mapWith(Number) })
    .from(activities)
    .where(
      and(
        eq(activities.orgId, orgId),
        eq(activities.userId, userId),
        eq(activities.kind, "won"),
        gte(activities.day, from),
        lte(activities.day, to),
        isNull(activities.deletedAt),
      ),
    );
}

