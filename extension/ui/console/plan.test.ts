import { describe, expect, test } from "vitest";
import fc from "fast-check";
import { allocateEqually } from "../../../shared/domain/allocation";
import { splitYearIntoMonths } from "../../../shared/domain/decomposition";
import { cellValue, editCell, exactMonthWeights, planProblems, repTotals, type Cell, type Plan } from "./plan";

/** The plan the API previews for an equal split: year → quarters → months → reps, all by largest remainder. */
function equalPlan(year: number, repCount: number): Plan {
  const quarters = allocateEqually(year, 4);
  const months = quarters.flatMap((q) => allocateEqually(q, 3));
  return { year, quarters, months, reps: months.map((m) => (repCount === 0 ? [] : allocateEqually(m, repCount))), repEdited: months.map(() => false) };
}

const cellArb = (repCount: number): fc.Arbitrary<Cell> =>
  fc.oneof(
    fc.constant<Cell>({ kind: "year" }),
    fc.integer({ min: 0, max: 3 }).map((quarter): Cell => ({ kind: "quarter", quarter })),
    fc.integer({ min: 0, max: 11 }).map((month): Cell => ({ kind: "month", month })),
    ...(repCount > 0
      ? [fc.record({ month: fc.integer({ min: 0, max: 11 }), rep: fc.integer({ min: 0, max: repCount - 1 }) }).map((c): Cell => ({ kind: "rep", ...c }))]
      : []),
  );

describe("decomposition editor model", () => {
  test("a month edit is absorbed by its quarter's other months, the quarter and year stay", () => {
    const plan = equalPlan(13_200_000, 3); // 3,300,000 a quarter, 1,100,000 a month
    const result = editCell(plan, { kind: "month", month: 0 }, 1_000_000);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.plan.months.slice(0, 3)).toEqual([1_000_000, 1_150_000, 1_150_000]);
    expect(result.plan.quarters).toEqual(plan.quarters);
    expect(result.plan.year).toBe(13_200_000);
    // The reps of every changed month follow their month.
    expect(result.plan.reps[0]).toEqual([333_334, 333_333, 333_333]);
    // 1,150,000 over 366,667 : 366,667 : 366,666 → the two larger remainders take the odd units.
    expect(result.plan.reps[1]).toEqual([383_334, 383_334, 383_332]);
    expect(planProblems(result.plan)).toEqual([]);
  });

  test("odd units go by largest remainder to the siblings that held most", () => {
    const plan: Plan = { year: 10, quarters: [10, 0, 0, 0], months: [5, 3, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0], reps: [], repEdited: [] };
    plan.reps = plan.months.map(() => []);
    plan.repEdited = plan.months.map(() => false);
    const result = editCell(plan, { kind: "month", month: 0 }, 6); // 4 left for months holding 3 : 2 → 2.4 : 1.6
    expect(result.ok && result.plan.months.slice(0, 3)).toEqual([6, 2, 2]);
  });

  test("a rep edit moves the difference to the other reps of that month only", () => {
    const plan = equalPlan(1_200, 3); // 100 a month, 34/33/33
    const result = editCell(plan, { kind: "rep", month: 4, rep: 0 }, 50);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.plan.reps[4]).toEqual([50, 25, 25]);
    expect(result.plan.months).toEqual(plan.months);
    expect(result.plan.repEdited[4]).toBe(true);
    expect(repTotals(result.plan)).toEqual([34 * 11 + 50, 33 * 11 + 25, 33 * 11 + 25]);
  });

  test("a value above the parent, negative or fractional is refused and changes nothing", () => {
    const plan = equalPlan(1_200, 2);
    expect(editCell(plan, { kind: "month", month: 0 }, 301)).toEqual({ ok: false, reason: "above_parent", max: 300 });
    expect(editCell(plan, { kind: "quarter", quarter: 1 }, -1)).toEqual({ ok: false, reason: "negative" });
    expect(editCell(plan, { kind: "rep", month: 0, rep: 0 }, 1.5)).toEqual({ ok: false, reason: "not_whole" });
  });

  test("a split rule (the server's) is used for months whose reps were not set by hand", () => {
    const plan = equalPlan(1_200, 2);
    const byRule = (_month: number, amount: number) => [amount, 0];
    const edited = editCell(plan, { kind: "rep", month: 1, rep: 0 }, 40);
    if (!edited.ok) throw new Error("edit refused");
    const result = editCell(edited.plan, { kind: "quarter", quarter: 0 }, 600, byRule);
    if (!result.ok) throw new Error("edit refused");
    expect(result.plan.reps[0]).toEqual([result.plan.months[0], 0]); // by the rule
    expect(result.plan.reps[1]![0]! / result.plan.months[1]!).toBeCloseTo(0.4, 1); // kept its hand-set proportion
    expect(planProblems(result.plan)).toEqual([]);
  });

  test("property: after any sequence of edits every total is exact and an accepted edit holds its value", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 5_000_000_000 }),
        fc.integer({ min: 0, max: 6 }).chain((repCount) =>
          fc.tuple(fc.constant(repCount), fc.array(fc.tuple(cellArb(repCount), fc.double({ min: -0.2, max: 1.3, noNaN: true })), { maxLength: 25 })),
        ),
        (year, [repCount, edits]) => {
          let plan = equalPlan(year, repCount);
          for (const [cell, share] of edits) {
            const parent = cell.kind === "year" ? plan.year * 2 + 7 : cell.kind === "quarter" ? plan.year : cell.kind === "month" ? plan.quarters[Math.floor(cell.month / 3)]! : plan.months[cell.month]!;
            const value = Math.round(parent * share) || 0;
            const result = editCell(plan, cell, value);
            if (result.ok) {
              expect(cellValue(result.plan, cell)).toBe(value);
              plan = result.plan;
            } else {
              const lone = cell.kind === "rep" && repCount === 1 && value !== parent;
              expect(value < 0 || (cell.kind !== "year" && value > parent) || lone).toBe(true);
            }
            expect(planProblems(plan)).toEqual([]);
          }
          expect(repTotals(plan).reduce((a, b) => a + b, 0)).toBe(repCount === 0 ? 0 : plan.year);
        },
      ),
      { numRuns: 300 },
    );
  });

  test("property: the month weights sent to the API give back exactly the edited months", () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 2_000_000_000_000 }), { minLength: 12, maxLength: 12 }), (months) => {
        const weights = exactMonthWeights(months);
        expect(Math.max(...weights)).toBeLessThanOrEqual(1e6);
        const year = months.reduce((a, b) => a + b, 0);
        expect(splitYearIntoMonths(year, { monthWeights: weights })).toEqual(months);
      }),
      { numRuns: 300 },
    );
  });
});
