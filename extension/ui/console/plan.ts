import { allocateLargestRemainder } from "../../../shared/domain/allocation";

/**
 * The decomposition editor's model: year → 4 quarters → 12 months → the reps' share of each month, in integer units
 * (minor units for revenue, a count otherwise). Every edit keeps every total exact: the edited cell takes the new value,
 * its siblings share the difference by the largest-remainder rule (shared/domain/allocation.ts) in proportion to what
 * they held (equally when they all held 0), and the children of every changed cell are re-spread the same way.
 * Weeks are not edited: they follow from the months and the working days (see `weeksOf` in the editor).
 */
export interface Plan {
  year: number;
  /** Q1..Q4 */
  quarters: number[];
  /** January..December */
  months: number[];
  /** reps[month][rep] in the order of the plan's reps. */
  reps: number[][];
  /** Months whose rep split was set by hand (their reps are re-spread proportionally, not by the split rule). */
  repEdited: boolean[];
}

export type Cell = { kind: "year" } | { kind: "quarter"; quarter: number } | { kind: "month"; month: number } | { kind: "rep"; month: number; rep: number };

/** How a month's amount is split among the reps when their split was not set by hand (the server's rule). */
export type RepSplitter = (month: number, amount: number) => number[];

export type EditResult =
  | { ok: true; plan: Plan }
  | { ok: false; reason: "not_whole" | "negative" | "above_parent" | "only_child"; max?: number };

const sum = (values: readonly number[]) => values.reduce((a, b) => a + b, 0);

/** `total` over parts in proportion to `current` (equal parts when all are 0), largest remainder. */
export function respread(total: number, current: readonly number[]): number[] {
  if (current.length === 0) return [];
  return allocateLargestRemainder(total, current.some((v) => v > 0) ? current : current.map(() => 1));
}

/** Proportional re-spread of each month over its current rep amounts (the default when no split rule is given). */
function proportionalSplitter(plan: Plan): RepSplitter {
  return (month, amount) => respread(amount, plan.reps[month]!);
}

export function quarterOf(month: number): number {
  return Math.floor(month / 3);
}

/** The parent total a cell may not exceed (null for the year). */
export function parentTotal(plan: Plan, cell: Cell): number | null {
  switch (cell.kind) {
    case "year":
      return null;
    case "quarter":
      return plan.year;
    case "month":
      return plan.quarters[quarterOf(cell.month)]!;
    case "rep":
      return plan.months[cell.month]!;
  }
}

export function cellValue(plan: Plan, cell: Cell): number {
  switch (cell.kind) {
    case "year":
      return plan.year;
    case "quarter":
      return plan.quarters[cell.quarter]!;
    case "month":
      return plan.months[cell.month]!;
    case "rep":
      return plan.reps[cell.month]![cell.rep]!;
  }
}

/**
 * Sets one cell and re-spreads. A value that is not a whole number ≥ 0 or exceeds its parent's total is refused
 * (the plan is unchanged), so the editor can say why next to the cell.
 */
export function editCell(plan: Plan, cell: Cell, value: number, splitter?: RepSplitter): EditResult {
  if (!Number.isSafeInteger(value)) return { ok: false, reason: "not_whole" };
  if (value < 0) return { ok: false, reason: "negative" };
  if (value === 0) value = 0; // no −0
  const max = parentTotal(plan, cell);
  if (max !== null && value > max) return { ok: false, reason: "above_parent", max };
  // A lone rep has no sibling to take the difference: their share is the month (edit the month instead).
  if (cell.kind === "rep" && plan.reps[cell.month]!.length === 1 && value !== max) return { ok: false, reason: "only_child", max: max! };

  const next: Plan = {
    year: plan.year,
    quarters: [...plan.quarters],
    months: [...plan.months],
    reps: plan.reps.map((row) => [...row]),
    repEdited: [...plan.repEdited],
  };
  const split = splitter ?? proportionalSplitter(plan);
  const setMonth = (month: number, amount: number) => {
    if (next.months[month] === amount && sum(next.reps[month]!) === amount) return;
    next.months[month] = amount;
    if (next.reps[month]!.length === 0) return;
    next.reps[month] = next.repEdited[month] ? respread(amount, next.reps[month]!) : split(month, amount);
  };
  const setQuarter = (quarter: number, amount: number) => {
    next.quarters[quarter] = amount;
    const months = [0, 1, 2].map((i) => quarter * 3 + i);
    const spread = respread(amount, months.map((m) => next.months[m]!));
    months.forEach((m, i) => setMonth(m, spread[i]!));
  };
  /** The cell at `index` takes `amount`; the others share `total − amount` in proportion to what they held. */
  const withSiblings = (values: number[], index: number, amount: number, total: number): number[] => {
    const others = values.filter((_, i) => i !== index);
    const spread = respread(total - amount, others);
    let k = 0;
    return values.map((_, i) => (i === index ? amount : spread[k++]!));
  };

  switch (cell.kind) {
    case "year": {
      next.year = value;
      const spread = respread(value, next.quarters);
      spread.forEach((amount, q) => setQuarter(q, amount));
      break;
    }
    case "quarter": {
      const spread = withSiblings(next.quarters, cell.quarter, value, next.year);
      spread.forEach((amount, q) => {
        if (amount !== plan.quarters[q]) setQuarter(q, amount);
      });
      break;
    }
    case "month": {
      const quarter = quarterOf(cell.month);
      const first = quarter * 3;
      const inQuarter = next.months.slice(first, first + 3);
      const spread = withSiblings(inQuarter, cell.month - first, value, next.quarters[quarter]!);
      spread.forEach((amount, i) => setMonth(first + i, amount));
      break;
    }
    case "rep": {
      next.reps[cell.month] = withSiblings(next.reps[cell.month]!, cell.rep, value, next.months[cell.month]!);
      next.repEdited[cell.month] = true;
      break;
    }
  }
  return { ok: true, plan: next };
}

/** Every way the plan's totals disagree (empty when exact); used by tests and as a guard before applying. */
export function planProblems(plan: Plan): string[] {
  const problems: string[] = [];
  const all = [plan.year, ...plan.quarters, ...plan.months, ...plan.reps.flat()];
  if (all.some((v) => !Number.isSafeInteger(v) || v < 0)) problems.push("negative or fractional amount");
  if (sum(plan.quarters) !== plan.year) problems.push(`quarters sum to ${sum(plan.quarters)}, year is ${plan.year}`);
  for (let q = 0; q < 4; q++) {
    const months = sum(plan.months.slice(q * 3, q * 3 + 3));
    if (months !== plan.quarters[q]) problems.push(`Q${q + 1}: months sum to ${months}, quarter is ${plan.quarters[q]}`);
  }
  plan.reps.forEach((row, m) => {
    if (row.length > 0 && sum(row) !== plan.months[m]) problems.push(`month ${m + 1}: reps sum to ${sum(row)}, month is ${plan.months[m]}`);
  });
  return problems;
}

/** Each rep's year (the sum of their months). */
export function repTotals(plan: Plan): number[] {
  const count = plan.reps[0]?.length ?? 0;
  return Array.from({ length: count }, (_, r) => sum(plan.reps.map((row) => row[r]!)));
}

/**
 * Month weights the API reproduces exactly: the month amounts scaled by a power of two so each is ≤ 1e6 (the schema's
 * bound). Dividing by 2^k is exact for doubles, and the allocation compares weights as exact rationals, so a year of
 * Σ months split by these weights gives back exactly these months (and quarters, as sums of months).
 */
export function exactMonthWeights(months: readonly number[], bound = 1e6): number[] {
  let scale = 1;
  const largest = Math.max(0, ...months);
  while (largest / scale > bound) scale *= 2;
  return months.map((m) => m / scale);
}
