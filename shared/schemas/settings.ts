import { z } from "zod";
import { BEHAVIOUR_KINDS, SENIORITIES } from "../domain/kinds";
import { DEFAULT_LEVEL_BASIS_POINTS, DEFAULT_SENIORITY_WEIGHTS, LevelBasisPoints, SeniorityWeights } from "./targets";

const KpiRow = z.partialRecord(z.enum(BEHAVIOUR_KINDS), z.int().min(0).max(1000));

/**
 * Org settings beyond the calendar. Every field has the DOMAIN.md default, so an
 * empty object is a valid, complete configuration.
 */
export const OrgSettings = z.object({
  /** Per-seniority overrides of the default daily KPI minimums. */
  kpiOverrides: z.partialRecord(z.enum(SENIORITIES), KpiRow).default({}),
  /** Incentive tiers on period completion, integer percent (60 base, 80 advanced, 100 top). */
  tiers: z
    .array(z.object({ id: z.string().regex(/^[a-z0-9_-]{1,20}$/), percent: z.int().min(1).max(1000) }))
    .min(1)
    .max(10)
    .refine((t) => new Set(t.map((x) => x.id)).size === t.length, "Duplicate tier id")
    .default([
      { id: "base", percent: 60 },
      { id: "advanced", percent: 80 },
      { id: "top", percent: 100 },
    ]),
  /** Weighted score = result × weight + process × weight, in percent (70 / 30). */
  scoreWeights: z
    .object({ result: z.int().min(0).max(100), process: z.int().min(0).max(100) })
    .refine((w) => w.result + w.process === 100, "result + process must be 100")
    .default({ result: 70, process: 30 }),
  colourBands: z.object({ red: z.number().min(0).max(10), yellow: z.number().min(0).max(10) }).default({ red: 0.5, yellow: 1.0 }),
  leaderboardPrivacy: z.enum(["full", "neighbours", "self"]).default("full"),
  keyCustomerSilenceDays: z.int().min(1).max(365).default(7),
  undoWindowMinutes: z.int().min(0).max(24 * 60).default(10),
  /** Target plans (POST /v1/targets/decompose) without `levelBasisPoints`: stretch and challenge in basis points of base. */
  levelBasisPoints: LevelBasisPoints.default(() => ({ ...DEFAULT_LEVEL_BASIS_POINTS })),
  /** Target plans split by seniority without weights: the weight of each seniority (junior 3 : mid 4 : senior 5). */
  seniorityWeights: SeniorityWeights.default(() => ({ ...DEFAULT_SENIORITY_WEIGHTS })),
});
export type OrgSettings = z.infer<typeof OrgSettings>;

/**
 * A change of settings (PATCH /v1/org): any subset of the keys, each replaced whole, unknown keys refused. Unlike
 * `OrgSettings.partial()` it fills in no defaults, so changing one setting leaves the others as they are.
 */
export const OrgSettingsPatch = z.strictObject(
  Object.fromEntries(Object.entries(OrgSettings.shape).map(([key, field]) => [key, field.unwrap().optional()])) as {
    [K in keyof typeof OrgSettings.shape]: z.ZodOptional<ReturnType<(typeof OrgSettings.shape)[K]["unwrap"]>>;
  },
);
export type OrgSettingsPatch = z.infer<typeof OrgSettingsPatch>;
