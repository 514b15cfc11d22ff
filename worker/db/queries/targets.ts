import { and, eq } from "drizzle-orm";
import type { Db } from "../client";
import { targets } from "../schema";

/** The rep's own target for one metric, period and level. */
export function repTargetQuery(
  db: Db,
  orgId: string,
  userId: string,
  metric: string,
  periodKind: "year" | "quarter" | "month" | "week" | "day",
  periodKey: string,
  level: "base" | "stretch" | "challenge" = "base",
) {
  return db
    .select({ amount: targets.amount })
    .from(targets)
    .where(
      and(
        eq(targets.orgId, orgId),
        eq(targets.scope, "rep"),
        eq(targets.subjectId, userId),
        eq(targets.metric, metric),
        eq(targets.periodKind, periodKind),
        eq(targets.periodKey, periodKey),
        eq(targets.level, level),
      ),
    );
}
