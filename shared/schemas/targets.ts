import { z } from "zod";
import { DEFAULT_LEVEL_BASIS_POINTS, DEFAULT_SENIORITY_WEIGHTS } from "../domain/decomposition";
import { ACTIVITY_KINDS, SENIORITIES } from "../domain/kinds";
import { Id, IsoInstant, LocalDate } from "./common";

/**
 * Targets (DOMAIN.md "Target setting and decomposition"): (scope, subject, metric, period, level) → amount, with a
 * version history. Amounts are integers: minor units for revenue, a count for an activity kind.
 */
export const TARGET_SCOPES = ["org", "team", "rep"] as const;
export const TargetScope = z.enum(TARGET_SCOPES);
export const TargetMetric = z.enum(["revenue", ...ACTIVITY_KINDS]);
export const TargetPeriodKind = z.enum(["year", "quarter", "month", "week", "day"]);
export const TargetLevelName = z.enum(["base", "stretch", "challenge"]);
/** Integer minor units (or a count), ≥ 0. */
export const TargetAmount = z.int().min(0);
/** 'YYYY', 'YYYY-Qn', 'YYYY-MM', 'YYYY-Www' or 'YYYY-MM-DD', resolved with the org's calendar (shared/domain/calendar.ts). */
export const PeriodKey = z
  .string()
  .regex(/^\d{4}(-Q[1-4]|-W\d{2}|-\d{2}(-\d{2})?)?$/, "expected YYYY, YYYY-Qn, YYYY-MM, YYYY-Www or YYYY-MM-DD");
export const TargetReason = z.string().trim().min(1).max(200);

export const Target = z.object({
  id: Id,
  scope: TargetScope,
  /** The org id, a team id or a user id, by scope. */
  subjectId: Id,
  metric: TargetMetric,
  periodKind: TargetPeriodKind,
  periodKey: z.string(),
  periodStart: LocalDate,
  periodEnd: LocalDate,
  level: TargetLevelName,
  amount: z.int(),
  version: z.int(),
  createdAt: IsoInstant,
  updatedAt: IsoInstant,
});
export type Target = z.infer<typeof Target>;
export const TargetList = z.object({ targets: z.array(Target) });

export const TargetListQuery = z.strictObject({
  scope: TargetScope.optional(),
  subjectId: Id.optional(),
  metric: TargetMetric.optional(),
  periodKind: TargetPeriodKind.optional(),
  periodKey: PeriodKey.optional(),
  level: TargetLevelName.optional(),
  limit: z.coerce.number().int().min(1).max(5000).default(1000),
});

export const CreateTargetRequest = z
  .strictObject({
    scope: TargetScope,
    /** Required for team and rep targets; an org target is about the caller's org. */
    subjectId: Id.optional(),
    metric: TargetMetric.default("revenue"),
    periodKey: PeriodKey,
    level: TargetLevelName.default("base"),
    amount: TargetAmount,
    /** Reason of version 1. */
    reason: TargetReason.default("Created"),
  })
  .refine((t) => t.scope === "org" || t.subjectId !== undefined, { message: "subjectId is required for team and rep targets", path: ["subjectId"] });

/** A change is a new version: the amount, why, and the version the caller saw (optimistic concurrency). */
export const UpdateTargetRequest = z.strictObject({
  amount: TargetAmount,
  reason: TargetReason,
  expectedVersion: z.int().min(1),
});

export const TargetVersionRow = z.object({
  version: z.int(),
  amount: z.int(),
  reason: z.string(),
  authorId: Id.nullable(),
  createdAt: IsoInstant,
  /** Org-local day from which this version applies. */
  effectiveFrom: LocalDate,
});
export const TargetVersionList = z.object({
  targetId: Id,
  versions: z.array(TargetVersionRow),
  /** The version in force today (org-local), null if none yet. */
  inEffect: z.int().nullable(),
});

/** What the new amount still requires, spread over the period's remaining working days (today included). */
export const TargetAdjustment = z.object({
  /** Won amount (revenue) or count (activity kind) so far in the period. */
  achieved: z.int(),
  remaining: z.int(),
  perDay: z.array(z.object({ day: LocalDate, amount: z.int() })),
  /** Part of `remaining` with no working day left to carry it. */
  unallocated: z.int(),
});
export const UpdateTargetResponse = z.object({
  target: Target,
  version: TargetVersionRow,
  /** Rep targets only. */
  adjustment: TargetAdjustment.nullable(),
});
export const DeleteTargetResponse = z.object({ id: Id, deletedVersions: z.int() });

// ---- Decomposition -------------------------------------------------------------------------------------------------

const Weight = z.number().min(0).max(1e6);

/** Rep-split weights per seniority (a split by seniority); DOMAIN.md default junior 3 : mid 4 : senior 5. */
export const SeniorityWeights = z
  .strictObject({ junior: Weight, mid: Weight, senior: Weight })
  .refine((w) => w.junior + w.mid + w.senior > 0, "at least one weight must be above 0");
export type SeniorityWeights = z.infer<typeof SeniorityWeights>;

/** Stretch and challenge as basis points of base: base ≤ stretch ≤ challenge (DOMAIN.md default 12000 and 15000). */
export const LevelBasisPoints = z
  .strictObject({ stretch: z.int().min(10_000).max(100_000), challenge: z.int().min(10_000).max(100_000) })
  .refine((l) => l.challenge >= l.stretch, { message: "challenge must be at least stretch", path: ["challenge"] });
export type LevelBasisPoints = z.infer<typeof LevelBasisPoints>;

export { DEFAULT_LEVEL_BASIS_POINTS, DEFAULT_SENIORITY_WEIGHTS };

export const Growth = z.union([
  z.strictObject({ percent: z.number().min(-100).max(1000) }),
  z.strictObject({ basisPoints: z.int().min(-10_000).max(100_000) }),
]);
export const RepSplit = z.discriminatedUnion("mode", [
  z.strictObject({ mode: z.literal("equal") }),
  /** Without weights: the org's `settings.seniorityWeights` (default junior 3 : mid 4 : senior 5). */
  z.strictObject({ mode: z.literal("seniority"), weights: SeniorityWeights.optional() }),
  /** One weight (capacity) per rep id. */
  z.strictObject({ mode: z.literal("explicit"), weights: z.record(Id, Weight) }),
]);

/** Most reps one plan splits among (keeps an apply within one db.batch of a few hundred statements). */
export const MAX_PLAN_REPS = 100;

const decomposeFields = {
  year: z.int().min(2000).max(2100),
  /** The plan's subject: the whole org (admin) or a team/department in scope. */
  scope: z.enum(["org", "team"]),
  teamId: Id.optional(),
  metric: TargetMetric.default("revenue"),
  /** Either the annual amount, or last year's actual and the growth. */
  annual: TargetAmount.optional(),
  lastYearActual: TargetAmount.optional(),
  growth: Growth.optional(),
  seasonality: z
    .strictObject({ quarterWeights: z.array(Weight).length(4).optional(), monthWeights: z.array(Weight).length(12).optional() })
    .optional(),
  repSplit: RepSplit.default({ mode: "equal" }),
  /** Reps to split among (in the caller's scope); default: every active rep of the subject. */
  reps: z.array(Id).min(1).max(MAX_PLAN_REPS).optional(),
  levels: z
    .array(TargetLevelName)
    .min(1)
    .max(3)
    .refine((l) => new Set(l).size === l.length, "Duplicate level")
    .default(["base"]),
  /** Stretch and challenge as basis points of base; default: the org's `settings.levelBasisPoints` (12000 and 15000). */
  levelBasisPoints: LevelBasisPoints.optional(),
};

type DecomposeFields = z.output<z.ZodObject<typeof decomposeFields>>;
function checkDecompose(v: DecomposeFields, ctx: z.RefinementCtx) {
  if (v.scope === "team" && v.teamId === undefined) ctx.addIssue({ code: "custom", message: "teamId is required for a team plan", path: ["teamId"] });
  if (v.scope === "org" && v.teamId !== undefined) ctx.addIssue({ code: "custom", message: "an org plan has no teamId", path: ["teamId"] });
  const fromGrowth = v.lastYearActual !== undefined || v.growth !== undefined;
  if (v.annual !== undefined && fromGrowth)
    ctx.addIssue({ code: "custom", message: "give either annual or lastYearActual + growth, not both", path: ["annual"] });
  if (v.annual === undefined && (v.lastYearActual === undefined || v.growth === undefined))
    ctx.addIssue({ code: "custom", message: "give annual, or lastYearActual and growth", path: [v.lastYearActual === undefined ? "lastYearActual" : "growth"] });
  if (v.reps && new Set(v.reps).size !== v.reps.length) ctx.addIssue({ code: "custom", message: "duplicate rep", path: ["reps"] });
}

export const DecomposeRequest = z.strictObject(decomposeFields).superRefine(checkDecompose);
/** The same plan, stored: every change becomes a version with this reason. */
export const ApplyDecomposeRequest = z.strictObject({ ...decomposeFields, reason: TargetReason }).superRefine(checkDecompose);
export type DecomposeRequest = z.output<typeof DecomposeRequest>;

const PeriodOut = { key: z.string(), start: LocalDate, end: LocalDate };
export const RepAmount = z.object({ repId: Id, amount: z.int() });
export const DecomposeResponse = z.object({
  year: z.int(),
  metric: TargetMetric,
  scope: z.enum(["org", "team"]),
  subjectId: Id,
  reps: z.array(
    z.object({ id: Id, name: z.string(), seniority: z.enum(SENIORITIES), rampPercent: z.int(), hireDate: LocalDate.nullable() }),
  ),
  levels: z.array(
    z.object({
      level: TargetLevelName,
      annual: z.int(),
      quarters: z.array(
        z.object({
          ...PeriodOut,
          amount: z.int(),
          months: z.array(z.object({ ...PeriodOut, amount: z.int(), workingDays: z.int(), reps: z.array(RepAmount) })),
        }),
      ),
      /** Weeks grouped from working days; `partial` weeks reach into another year and are not stored by apply. */
      weeks: z.array(z.object({ ...PeriodOut, amount: z.int(), partial: z.boolean() })),
      /** Each rep's year: the sum of their months. */
      repTotals: z.array(RepAmount),
    }),
  ),
  /** The multipliers and the rep split the plan used (from the request, else the org's settings). */
  levelBasisPoints: z.object({ stretch: z.int(), challenge: z.int() }),
  repSplit: z.discriminatedUnion("mode", [
    z.object({ mode: z.literal("equal") }),
    z.object({ mode: z.literal("seniority"), weights: z.object({ junior: z.number(), mid: z.number(), senior: z.number() }) }),
    z.object({ mode: z.literal("explicit"), weights: z.record(Id, z.number()) }),
  ]),
  /** How many target rows apply stores. */
  targetCount: z.int(),
});
export const ApplyDecomposeResponse = DecomposeResponse.extend({ created: z.int(), updated: z.int(), unchanged: z.int() });
