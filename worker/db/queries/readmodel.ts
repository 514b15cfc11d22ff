import { and, count, desc, eq, gte, inArray, isNull, lte, max, sql, sum, type SQL } from "drizzle-orm";
import type { Db } from "../client";
import { activities, alerts, keyCustomers, targets } from "../schema";

/**
 * Set-based reads behind the rep read models (GET /v1/progress, GET /v1/team/summary):
 * every query takes a list of user ids (or a subquery of them) and groups by user, so one
 * rep and a whole team cost the same number of statements.
 */
export type UserSet = string[] | SQL;

function inUsers(column: typeof activities.userId | typeof alerts.userId | typeof keyCustomers.userId | typeof targets.subjectId, users: UserSet) {
  return Array.isArray(users) ? inArray(column, users) : sql`${column} IN (${users})`;
}

/** Live activity counts (and won amounts) per user, day and kind over [from, to]. */
export function dailyCounts(db: Db, orgId: string, users: UserSet, from: string, to: string) {
  return db
    .select({
      userId: activities.userId,
      day: activities.day,
      kind: activities.kind,
      n: count(),
      amount: sql<number>`coalesce(${sum(activities.amount)}, 0)`.mapWith(Number),
    })
    .from(activities)
    .where(and(eq(activities.orgId, orgId), inUsers(activities.userId, users), gte(activities.day, from), lte(activities.day, to), isNull(activities.deletedAt)))
    .groupBy(activities.userId, activities.day, activities.kind);
}

/** Counts and won amounts per user and kind over a longer window (for value-per-action). */
export function kindTotals(db: Db, orgId: string, users: UserSet, from: string, to: string) {
  return db
    .select({
      userId: activities.userId,
      kind: activities.kind,
      n: count(),
      amount: sql<number>`coalesce(${sum(activities.amount)}, 0)`.mapWith(Number),
    })
    .from(activities)
    .where(and(eq(activities.orgId, orgId), inUsers(activities.userId, users), gte(activities.day, from), lte(activities.day, to), isNull(activities.deletedAt)))
    .groupBy(activities.userId, activities.kind);
}

export function lastActivity(db: Db, orgId: string, users: UserSet) {
  return db
    .select({ userId: activities.userId, at: max(activities.occurredAt) })
    .from(activities)
    .where(and(eq(activities.orgId, orgId), inUsers(activities.userId, users), isNull(activities.deletedAt)))
    .groupBy(activities.userId);
}

export function repTargets(db: Db, orgId: string, users: UserSet, metric: string, periodKind: "month" | "week" | "quarter" | "year", periodKey: string) {
  return db
    .select({ userId: targets.subjectId, amount: targets.amount })
    .from(targets)
    .where(
      and(
        eq(targets.orgId, orgId),
        eq(targets.scope, "rep"),
        inUsers(targets.subjectId, users),
        eq(targets.metric, metric),
        eq(targets.periodKind, periodKind),
        eq(targets.periodKey, periodKey),
        eq(targets.level, "base"),
      ),
    );
}

export function openAlerts(db: Db, orgId: string, users: UserSet) {
  return db
    .select({ id: alerts.id, userId: alerts.userId, level: alerts.level, rule: alerts.rule, status: alerts.status, openedAt: alerts.openedAt, details: alerts.details })
    .from(alerts)
    .where(and(eq(alerts.orgId, orgId), inUsers(alerts.userId, users), inArray(alerts.status, ["open", "acknowledged"])))
    .orderBy(desc(alerts.openedAt));
}

export function keyCustomersOf(db: Db, orgId: string, users: UserSet) {
  return db
    .select({ id: keyCustomers.id, userId: keyCustomers.userId, label: keyCustomers.label, lastResponseAt: keyCustomers.lastResponseAt, createdAt: keyCustomers.createdAt })
    .from(keyCustomers)
    .where(and(eq(keyCustomers.orgId, orgId), inUsers(keyCustomers.userId, users)));
}
