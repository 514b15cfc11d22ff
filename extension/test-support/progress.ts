import type { ProgressResponse } from "../../shared/schemas/progress";

type PeriodOverrides = Partial<ProgressResponse["period"]>;

/** A valid GET /v1/progress answer (a mid rep, 2026-11 in Asia/Shanghai) with overridable parts. */
export function progressFixture(
  period: PeriodOverrides = {},
  rest: Partial<Omit<ProgressResponse, "period">> = {},
): ProgressResponse {
  return {
    userId: "u_rep1",
    serverTime: "2026-11-23T02:00:00.000Z",
    day: "2026-11-23",
    isWorkingDay: true,
    today: {
      kpis: [
        { kind: "touch", count: 2, minimum: 6 },
        { kind: "needs_confirmed", count: 1, minimum: 3 },
        { kind: "proposal_sent", count: 0, minimum: 2 },
        { kind: "demo_or_visit", count: 2, minimum: 2 },
      ],
      status: "below",
    },
    period: {
      kind: "month",
      key: "2026-11",
      start: "2026-11-01",
      end: "2026-11-30",
      metric: "revenue",
      target: 110_000_000,
      actual: 68_200_000,
      completion: 0.62,
      expectedToDate: 77_000_000,
      pace: 0.8857,
      requiredRunRate: 6_257_143,
      band: "yellow",
      workingDays: 21,
      elapsedWorkingDays: 14,
      remainingWorkingDays: 7,
      ...period,
    },
    score: {
      score: 0.62 * 0.7 + 0.5 * 0.3,
      result: { completion: 0.62, weight: 0.7, contribution: 0.62 * 0.7 },
      process: { mean: 0.5, weight: 0.3, contribution: 0.15, kpis: [] },
    },
    tierDistance: { tierId: "advanced", percent: 80, missing: 19_800_000, actions: 3, actionKind: "proposal_sent" },
    streak: { meets: 0, below: 1 },
    alertLevel: null,
    lastActivityAt: "2026-11-23T01:30:00.000Z",
    alerts: [],
    prompts: [],
    ...rest,
  };
}
