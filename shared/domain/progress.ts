/**
 * Progress, pace and colour (DOMAIN.md "Progress, pace, colour").
 *
 * completion = actual / target; expected-to-date = target × elapsed / total working days; pace = actual / expected;
 * required run-rate = (target − actual) / remaining working days; colour band on pace.
 *
 * Choices where DOMAIN.md is open:
 * - target 0: completion is 1 (nothing was asked, so nothing is missing).
 * - nothing expected yet (no elapsed working day, or target 0): pace is null and the band is green (no shortfall is possible yet).
 * - the run-rate never goes below 0 (ahead of target means 0 more per day); it is null when no working day remains.
 * - a period without working days expects its whole target (pace = completion), like a period that has ended.
 * - pace is computed as actual × total / (target × elapsed) so integer inputs land exactly on band boundaries.
 */

export interface ColourBands {
  /** pace below this is red (default 0.5). */
  red: number;
  /** pace below this (and not red) is yellow (default 1.0); at or above it is green. */
  yellow: number;
}

export type Band = 'red' | 'yellow' | 'green';

export const DEFAULT_BANDS: ColourBands = { red: 0.5, yellow: 1.0 };

export interface ProgressInput {
  target: number;
  actual: number;
  elapsedWorkingDays: number;
  totalWorkingDays: number;
  remainingWorkingDays: number;
  bands?: ColourBands;
}

export interface Progress {
  completion: number;
  expectedToDate: number;
  pace: number | null;
  requiredRunRate: number | null;
  band: Band;
}

function assertNonNegative(value: number, what: string): void {
  if (!Number.isFinite(value) || value < 0) throw new RangeError(`${what} must be a finite number >= 0, got ${value}`);
}

/** The colour of a pace (or completion) ratio. */
export function bandOf(ratio: number, bands: ColourBands = DEFAULT_BANDS): Band {
  if (ratio < bands.red) return 'red';
  if (ratio < bands.yellow) return 'yellow';
  return 'green';
}

export function computeProgress(input: ProgressInput): Progress {
  const { target, actual, elapsedWorkingDays: elapsed, totalWorkingDays: total, remainingWorkingDays: remaining } = input;
  const bands = input.bands ?? DEFAULT_BANDS;
  assertNonNegative(target, 'target');
  assertNonNegative(actual, 'actual');
  assertNonNegative(elapsed, 'elapsedWorkingDays');
  assertNonNegative(total, 'totalWorkingDays');
  assertNonNegative(remaining, 'remainingWorkingDays');
  if (elapsed > total) throw new RangeError(`elapsedWorkingDays (${elapsed}) exceeds totalWorkingDays (${total})`);
  if (!(bands.red <= bands.yellow)) throw new RangeError('colour bands need red <= yellow');

  const completion = target === 0 ? 1 : actual / target;
  // A period without working days has nothing left to wait for: all of its target is expected (pace = completion).
  const expectedNumerator = total === 0 ? target : target * elapsed;
  const expectedDenominator = total === 0 ? 1 : total;
  const expectedToDate = expectedNumerator / expectedDenominator;
  const pace = expectedNumerator > 0 ? (actual * expectedDenominator) / expectedNumerator : null;
  const requiredRunRate = remaining > 0 ? Math.max(0, target - actual) / remaining : null;
  const band = pace === null ? 'green' : bandOf(pace, bands);
  return { completion, expectedToDate, pace, requiredRunRate, band };
}
