import { z } from "zod";
import { BEHAVIOUR_KINDS, SENIORITIES } from "../domain/kinds";

const KpiRow = z.partialRecord(z.enum(BEHAVIOUR_KINDS), z.int().min(0).max(1000));

/**
 * Org settings beyond the calendar. Every field has the DOMAIN.md default, so an
 * empty object is a valid, complete configuration.
 */
export const OrgSettings = z.object({
  /** Per-seniority overrides of the default daily KPI minimums. */
  kpiOverrides: z.partialRecord(z.enum(SENIORITIES), KpiRow).default({}),
  /** Completion ratios that award tiers. */
  tierThresholds: z.array(z.number().gt(0).max(10)).min(1).max(10).default([0.6, 0.8, 1.0]),
  scoreWeights: z.object({ result: z.number().min(0).max(1), process: z.number().min(0).max(1) }).default({ result: 0.7, process: 0.3 }),
  colourBands: z.object({ red: z.number().min(0).max(10), yellow: z.number().min(0).max(10) }).default({ red: 0.5, yellow: 1.0 }),
  leaderboardPrivacy: z.enum(["full", "neighbours", "self"]).default("full"),
  keyCustomerSilenceDays: z.int().min(1).max(365).default(7),
  undoWindowMinutes: z.int().min(0).max(24 * 60).default(10),
});
export type OrgSettings = z.infer<typeof OrgSettings>;
