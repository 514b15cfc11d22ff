import { Hono } from "hono";
import { ProgressQuery } from "../../shared/api";
import {
  elapsedWorkingDays,
  isWorkingDay,
  localDay,
  periodContaining,
  remainingWorkingDays,
  workingDaysIn,
} from "../../shared/domain/calendar";
import { BEHAVIOUR_KINDS } from "../../shared/domain/kinds";
import { judgeDay, kpiMinimums } from "../../shared/domain/kpi";
import { computeProgress } from "../../shared/domain/progress";
import { ProgressResponse } from "../../shared/schemas/progress";
import { assertTokenLive, requireAuthBatched } from "../auth/middleware";
import { tokenIsLiveStatement } from "../db/queries/auth";
import type { AuthContext } from "../auth/context";
import { db as makeDb } from "../db/client";
import { countsByKindQuery, wonAmountQuery } from "../db/queries/activities";
import { repTargetQuery } from "../db/queries/targets";
import { findUserInScope } from "../auth/scope";
import type { AppEnv } from "../env";
import { ApiError } from "../errors";
import { orgSettings } from "../settings";
import { readQuery } from "../validate";

type Subject = Pick<AuthContext["user"], "id" | "seniority" | "rampPercent">;

export const progressRoute = new Hono<AppEnv>().use(requireAuthBatched).get("/", async (c) => {
  const query = readQuery(c, ProgressQuery);
  const { user: caller, org } = c.var.auth;
  const db = makeDb(c.env.DB);

  let subject: Subject = caller;
  if (query.userId && query.userId !== caller.id) {
    const other = await findUserInScope(db, c.var.auth, query.userId);
    if (!other) throw new ApiError("not_found", "No such user in your scope");
    subject = other;
  }

  const now = c.var.now;
  const cal = org.calendar;
  const today = localDay(now, cal);
  const month = periodContaining("month", today, cal);

  // One round trip: token re-check + every read in one batch.
  const [live, todayCounts, target, won] = await db.batch([
    tokenIsLiveStatement(db, c.var.tokenHash, org.id, caller.id),
    countsByKindQuery(db, org.id, subject.id, today, today),
    repTargetQuery(db, org.id, subject.id, "revenue", "month", month.key),
    wonAmountQuery(db, org.id, subject.id, month.start, month.end),
  ]);

  assertTokenLive(live, c.var.tokenHash);
  const settings = orgSettings(org.settings);
  const minimums = kpiMinimums(
    ("seniority" in subject ? subject.seniority : caller.seniority),
    settings.kpiOverrides,
    subject.rampPercent / 100,
  );
  const counts = Object.fromEntries(todayCounts.map((r) => [r.kind, r.n]));
  const kpis = BEHAVIOUR_KINDS.map((kind) => ({ kind, count: counts[kind] ?? 0, minimum: minimums[kind] }));

  const targetAmount = target[0]?.amount ?? 0;
  const actual = won[0]?.total ?? 0;
  const workingDays = workingDaysIn(month, cal).length;
  const elapsed = elapsedWorkingDays(month, now, cal);
  const remaining = remainingWorkingDays(month, now, cal);
  const p = computeProgress({
    target: targetAmount,
    actual,
    elapsedWorkingDays: elapsed,
    totalWorkingDays: workingDays,
    remainingWorkingDays: remaining,
    bands: settings.colourBands,
  });

  return c.json(
    ProgressResponse.parse({
      userId: subject.id,
      serverTime: new Date(now).toISOString(),
      day: today,
      isWorkingDay: isWorkingDay(today, cal),
      today: { kpis, status: judgeDay(counts, minimums) },
      period: {
        kind: "month",
        key: month.key,
        start: month.start,
        end: month.end,
        metric: "revenue",
        target: targetAmount,
        actual,
        ...p,
        workingDays,
        elapsedWorkingDays: elapsed,
        remainingWorkingDays: remaining,
      },
    }),
  );
});
