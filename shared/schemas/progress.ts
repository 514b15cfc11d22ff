import { z } from "zod";
import { BEHAVIOUR_KINDS } from "../domain/kinds";
import { IsoInstant, LocalDate } from "./common";

export const BehaviourKind = z.enum(BEHAVIOUR_KINDS);
export const Band = z.enum(["red", "yellow", "green"]);

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

export const ProgressResponse = z.object({
  userId: z.string(),
  serverTime: IsoInstant,
  day: LocalDate,
  isWorkingDay: z.boolean(),
  today: z.object({
    kpis: z.array(KpiProgress),
    status: z.enum(["meets", "below"]),
  }),
  period: PeriodProgress,
});
export type ProgressResponse = z.infer<typeof ProgressResponse>;
