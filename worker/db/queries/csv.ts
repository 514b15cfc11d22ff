import { and, asc, eq, gte, inArray, isNull, lte, sql, type SQL } from "drizzle-orm";
import type { BatchItem } from "drizzle-orm/batch";
import type { AuthContext } from "../../auth/context";
import { scopedUserIds } from "../../auth/scope";
import type { Db } from "../client";
import { activities, keyCustomers, orgs, targets, teams, users } from "../schema";
import { visibleTargets } from "./targets";
import type { ActivityInsert } from "./activities";

/**
 * Targets for the CSV export: visible to the caller, with the subject's name, in a stable order (period, then the
 * natural key), so the same data always exports to the same bytes.
 */
export function exportTargetsQuery(db: Db, auth: AuthContext, filter: { from?: string; to?: string; userId?: string }) {
  const conditions: SQL[] = [visibleTargets(db, auth)];
  if (filter.from) conditions.push(gte(targets.periodEnd, filter.from));
  if (filter.to) conditions.push(lte(targets.periodStart, filter.to));
  if (filter.userId) conditions.push(eq(targets.scope, "rep"), eq(targets.subjectId, filter.userId));
  return db
    .select({
      scope: targets.scope,
      subjectId: targets.subjectId,
      subjectName: sql<string>`coalesce(CASE ${targets.scope} WHEN 'rep' THEN ${users.name} WHEN 'team' THEN ${teams.name} ELSE ${orgs.name} END, '')`,
      metric: targets.metric,
      periodKind: targets.periodKind,
      periodKey: targets.periodKey,
      periodStart: targets.periodStart,
      periodEnd: targets.periodEnd,
      level: targets.level,
      amount: targets.amount,
    })
    .from(targets)
    .leftJoin(users, and(eq(targets.scope, "rep"), eq(users.id, targets.subjectId), eq(users.orgId, targets.orgId)))
    .leftJoin(teams, and(eq(targets.scope, "team"), eq(teams.id, targets.subjectId), eq(teams.orgId, targets.orgId)))
    .leftJoin(orgs, and(eq(targets.scope, "org"), eq(orgs.id, targets.subjectId)))
    .where(and(...conditions))
    .orderBy(
      asc(targets.periodStart),
      asc(targets.periodEnd),
      asc(targets.periodKind),
      asc(targets.periodKey),
      asc(targets.scope),
      asc(targets.subjectId),
      asc(targets.metric),
      asc(targets.level),
    );
}

/** Live (not undone) activities of users in the caller's scope, oldest first, ties by client id. */
export function exportActivitiesQuery(db: Db, auth: AuthContext, filter: { from?: string; to?: string; userId?: string }) {
  const conditions: SQL[] = [
    eq(activities.orgId, auth.org.id),
    filter.userId ? eq(activities.userId, filter.userId) : inArray(activities.userId, scopedUserIds(db, auth)),
    isNull(activities.deletedAt),
  ];
  if (filter.from) conditions.push(gte(activities.day, filter.from));
  if (filter.to) conditions.push(lte(activities.day, filter.to));
  return db
    .select({
      clientEventId: activities.clientEventId,
      userId: activities.userId,
      userName: users.name,
      kind: activities.kind,
      occurredAt: activities.occurredAt,
      day: activities.day,
      amount: activities.amount,
      customer: activities.customer,
      source: activities.source,
    })
    .from(activities)
    .innerJoin(users, and(eq(users.id, activities.userId), eq(users.orgId, activities.orgId)))
    .where(and(...conditions))
    .orderBy(asc(activities.occurredAt), asc(activities.clientEventId));
}

/** An imported row is the API's activity insert plus whose it is (imports may carry other reps' events). */
export interface ImportedActivity extends ActivityInsert {
  userId: string;
}

/** 10 bound values per row; D1 allows 100 per statement. */
const IMPORT_ROWS_PER_STATEMENT = 9;
/** 6 bound values per (user, label) pair (the pairs appear twice) + the org. */
const TOUCH_PAIRS_PER_STATEMENT = 15;

/**
 * Imported activities for ONE db.batch: insert-or-ignore on (org, client_event_id), so a re-import is a no-op, and key
 * customers refreshed by imported touches carrying their label (last response only moves forward, so this is
 * idempotent too). Returns the statements and how many leading ones are inserts (returning the new client ids).
 */
export function importActivitiesStatements(db: Db, orgId: string, rows: readonly ImportedActivity[], now: number) {
  const statements: BatchItem<"sqlite">[] = [];
  for (let i = 0; i < rows.length; i += IMPORT_ROWS_PER_STATEMENT) {
    statements.push(
      db
        .insert(activities)
        .values(rows.slice(i, i + IMPORT_ROWS_PER_STATEMENT).map((r) => ({ orgId, ...r, createdAt: now })))
        .onConflictDoNothing({ target: [activities.orgId, activities.clientEventId] })
        .returning({ clientEventId: activities.clientEventId }),
    );
  }
  const inserts = statements.length;

  const latest = new Map<string, { userId: string; label: string; at: number }>();
  for (const r of rows) {
    if (r.kind !== "touch" || !r.customer) continue;
    const key = `${r.userId}\u001f${r.customer}`;
    const seen = latest.get(key);
    if (!seen || seen.at < r.occurredAt) latest.set(key, { userId: r.userId, label: r.customer, at: r.occurredAt });
  }
  const pairs = [...latest.values()];
  for (let i = 0; i < pairs.length; i += TOUCH_PAIRS_PER_STATEMENT) {
    const values = sql.join(
      pairs.slice(i, i + TOUCH_PAIRS_PER_STATEMENT).map((p) => sql`(${p.userId}, ${p.label}, ${p.at})`),
      sql`, `,
    );
    statements.push(
      db
        .update(keyCustomers)
        .set({
          lastResponseAt: sql`max(coalesce(${keyCustomers.lastResponseAt}, 0),
            (SELECT max(v.column3) FROM (VALUES ${values}) AS v WHERE v.column1 = ${keyCustomers.userId} AND v.column2 = ${keyCustomers.label}))`,
        })
        .where(
          and(
            eq(keyCustomers.orgId, orgId),
            sql`(${keyCustomers.userId}, ${keyCustomers.label}) IN (SELECT v.column1, v.column2 FROM (VALUES ${values}) AS v)`,
          ),
        ),
    );
  }
  return { statements, inserts };
}

/** Which of these client event ids the org has already (one round trip). */
export async function existingClientEventIds(db: Db, orgId: string, ids: readonly string[]): Promise<Set<string>> {
  const found = new Set<string>();
  if (ids.length === 0) return found;
  const queries = [];
  for (let i = 0; i < ids.length; i += 90) {
    queries.push(
      db
        .select({ id: activities.clientEventId })
        .from(activities)
        .where(and(eq(activities.orgId, orgId), inArray(activities.clientEventId, ids.slice(i, i + 90)))),
    );
  }
  const results = await db.batch(queries as [(typeof queries)[number], ...(typeof queries)[number][]]);
  for (const rows of results) for (const r of rows) found.add(r.id);
  return found;
}
