import { z } from "zod";
import { BEHAVIOUR_KINDS } from "../domain/kinds";
import { Id, IsoInstant, LocalDate } from "./common";

export const BehaviourKind = z.enum(BEHAVIOUR_KINDS);
export const Band = z.enum(["red", "yellow", "green"]);
export const AlertLevel = z.enum(["yellow", "orange", "red"]);

export const KpiProgress = z.object({
  kind: BehaviourKind,
  count: z.int(),
  minimum: z.int(),
});

export const PeriodProgress = z.object({
  kind: z.enum(["day", "week", "month", "quarter", "year"]),
  key: z.string(),
  start: LocalDate,
  end: LocalDate,
  metric: z.string(),
  /** Minor units for revenue; a count otherwise. 0 when no target is set. */
  target: z.int(),
  actual: z.int(),
  completion: z.number(),
  expectedToDate: z.number(),
  pace: z.number().nullable(),
  requiredRunRate: z.number().nullable(),
  band: Band,
  workingDays: z.int(),
  elapsedWorkingDays: z.int(),
  remainingWorkingDays: z.int(),
});

export const ScoreBreakdown = z.object({
  score: z.number(),
  result: z.object({ completion: z.number(), weight: z.number(), contribution: z.number() }),
  process: z.object({
    mean: z.number(),
    weight: z.number(),
    contribution: z.number(),
    kpis: z.array(z.object({ kind: z.string(), actual: z.int(), required: z.int(), ratio: z.number() })),
  }),
});

export const TierDistance = z.object({
  tierId: z.string(),
  percent: z.int(),
  /** Amount still missing (minor units). */
  missing: z.int(),
  /** Actions of `actionKind` that would close the gap at the rep's own historical value per action. */
  actions: z.int().nullable(),
  actionKind: z.enum(["proposal_sent", "won"]).nullable(),
});

export const PromptOut = z.object({
  id: z.string(),
  type: z.string(),
  /** i18n key; the client renders it in the user's language with `params`. */
  messageKey: z.string(),
  params: z.record(z.string(), z.union([z.string(), z.number()])),
  priority: z.number(),
});

export const AlertSummary = z.object({
  id: Id,
  level: AlertLevel,
  rule: z.string(),
  status: z.enum(["open", "acknowledged"]),
  openedAt: IsoInstant,
});

export const RepProgress = z.object({
  userId: Id,
  day: LocalDate,
  isWorkingDay: z.boolean(),
  today: z.object({
    kpis: z.array(KpiProgress),
    status: z.enum(["meets", "below"]),
  }),
  period: PeriodProgress,
  score: ScoreBreakdown,
  tierDistance: TierDistance.nullable(),
  /** Consecutive closed working days that met (or missed) the KPIs, up to the lookback. */
  streak: z.object({ meets: z.int(), below: z.int() }),
  alertLevel: AlertLevel.nullable(),
  lastActivityAt: IsoInstant.nullable(),
});
export type RepProgress = z.infer<typeof RepProgress>;

export const ProgressResponse = RepProgress.extend({
  serverTime: IsoInstant,
  alerts: z.array(AlertSummary),
  prompts: z.array(PromptOut),
});
export type ProgressResponse = z.infer<typeof ProgressResponse>;

export const TeamSummaryRow = RepProgress.extend({
  name: z.string(),
  seniority: z.string(),
  teamId: Id.nullable(),
});
export const TeamSummaryResponse = z.object({
  serverTime: IsoInstant,
  day: LocalDate,
  reps: z.array(TeamSummaryRow),
});
export type TeamSummaryResponse = z.infer<typeof TeamSummaryResponse>;
