import type { Db } from "../db/client";
import { dailyCounts, keyCustomersOf, kindTotals, lastActivity, openAlerts, repTargets, type UserSet } from "../db/queries/readmodel";
import type { ReadWindow, RepFacts, RepSubject } from "./rep";

/** The statements behind the rep read models; run them inside the route's one db.batch. */
export function repFactStatements(db: Db, orgId: string, users: UserSet, w: ReadWindow) {
  return [
    dailyCounts(db, orgId, users, w.from, w.today),
    kindTotals(db, orgId, users, w.valueFrom, w.today),
    repTargets(db, orgId, users, "revenue", "month", w.month.key),
    openAlerts(db, orgId, users),
    keyCustomersOf(db, orgId, users),
    lastActivity(db, orgId, users),
  ] as const;
}

type Results<T extends readonly unknown[]> = { [K in keyof T]: T[K] extends PromiseLike<infer R> ? R : never };
export type RepFactResults = Results<ReturnType<typeof repFactStatements>>;

/** Splits the set-based results per user. */
export function groupRepFacts(
  people: RepSubject[],
  [daily, totals, targets, alerts, customers, last]: RepFactResults,
): Map<string, RepFacts> {
  const facts = new Map<string, RepFacts>();
  for (const user of people)
    facts.set(user.id, { user, daily: [], totals: [], monthTarget: 0, alerts: [], keyCustomers: [], lastActivityAt: null });
  for (const r of daily) facts.get(r.userId)?.daily.push(r);
  for (const r of totals) facts.get(r.userId)?.totals.push(r);
  for (const r of targets) {
    const f = facts.get(r.userId);
    if (f) f.monthTarget = r.amount;
  }
  for (const r of alerts) facts.get(r.userId)?.alerts.push(r);
  for (const r of customers) facts.get(r.userId)?.keyCustomers.push(r);
  for (const r of last) {
    const f = facts.get(r.userId);
    if (f) f.lastActivityAt = r.at;
  }
  return facts;
}
