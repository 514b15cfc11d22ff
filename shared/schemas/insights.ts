import { z } from "zod";
import { Id, IsoInstant, LocalDate } from "./common";

export const LeaderboardQuery = z.strictObject({
  period: z.enum(["week", "month"]).default("month"),
});
export const LeaderboardResponse = z.object({
  privacy: z.enum(["full", "neighbours", "self"]),
  periodKey: z.string(),
  rows: z.array(
    z.object({
      userId: Id,
      name: z.string(),
      rank: z.int(),
      /** % of own target (fair across seniority); never amounts. */
      completion: z.number(),
      isViewer: z.boolean(),
    }),
  ),
});

export const FunnelQuery = z.strictObject({
  userId: Id.optional(),
  teamId: Id.optional(),
  from: LocalDate.optional(),
  to: LocalDate.optional(),
});
export const FunnelResponse = z.object({
  from: LocalDate,
  to: LocalDate,
  stages: z.array(z.object({ kind: z.string(), count: z.int(), conversion: z.number().nullable() })),
});

export const AlertRowOut = z.object({
  id: Id,
  userId: Id,
  level: z.enum(["yellow", "orange", "red"]),
  rule: z.string(),
  status: z.enum(["open", "acknowledged", "resolved"]),
  details: z.record(z.string(), z.unknown()),
  openedAt: IsoInstant,
  acknowledgedAt: IsoInstant.nullable(),
  resolvedAt: IsoInstant.nullable(),
});
export const AlertListQuery = z.strictObject({
  status: z.enum(["open", "acknowledged", "resolved", "active"]).default("active"),
  userId: Id.optional(),
});
export const AlertList = z.object({ alerts: z.array(AlertRowOut) });

export const TaskOut = z.object({
  id: Id,
  userId: Id,
  assigneeId: Id.nullable(),
  alertId: Id.nullable(),
  kind: z.enum(["coaching", "review"]),
  dueDay: LocalDate.nullable(),
  status: z.enum(["open", "done"]),
  note: z.string().nullable(),
  createdAt: IsoInstant,
  completedAt: IsoInstant.nullable(),
});
export const TaskListQuery = z.strictObject({ status: z.enum(["open", "done", "all"]).default("open") });
export const TaskList = z.object({ tasks: z.array(TaskOut) });
export const CompleteTaskRequest = z.strictObject({ note: z.string().trim().min(1).max(2000) });

/** Recognition produced by the cron: tiers reached, weekly champion, most improved, team PK. */
export const AwardOut = z.object({
  id: Id,
  kind: z.enum(["tier", "champion", "most_improved", "team_pk"]),
  userId: Id.nullable(),
  teamId: Id.nullable(),
  /** Month/quarter/year key for tiers ('2026-09'), week key otherwise ('2026-W37'). */
  periodKey: z.string(),
  /** Tier threshold in percent (tiers only). */
  tier: z.int().nullable(),
  details: z.record(z.string(), z.unknown()),
  createdAt: IsoInstant,
});
export const AwardListQuery = z.strictObject({
  userId: Id.optional(),
  kind: z.enum(["tier", "champion", "most_improved", "team_pk"]).optional(),
  /** Only awards created at or after this instant. */
  since: IsoInstant.optional(),
});
export const AwardList = z.object({ awards: z.array(AwardOut) });
