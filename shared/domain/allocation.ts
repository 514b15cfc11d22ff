/**
 * Largest-remainder allocation (DOMAIN.md "Totals are preserved exactly").
 *
 * Splits a non-negative integer amount (minor units) into integer parts proportional to non-negative weights:
 * every part gets the floor of its exact quota, then the units left over go one each to the parts with the largest
 * remainders. Ties go to the **lower index**, so callers put parts in a canonical order first (dates ascending, rep ids
 * ascending). The arithmetic is exact: weights are converted to exact rationals (a double is m·2^e) and compared with
 * BigInt, so the result never depends on float rounding and the parts always sum exactly to the whole.
 */

/** The exact value of a finite non-negative double as numerator / 2^shift. */
function exactBinary(weight: number): { numerator: bigint; shift: number } {
  let scaled = weight;
  let shift = 0;
  while (!Number.isInteger(scaled)) {
    scaled *= 2; // exact for doubles: only the exponent changes
    shift += 1;
  }
  return { numerator: BigInt(scaled), shift };
}

function assertAmount(total: number): void {
  if (!Number.isSafeInteger(total) || total < 0) {
    throw new RangeError(`amount must be a non-negative safe integer (minor units), got ${total}`);
  }
}

/**
 * Split `total` into `weights.length` non-negative integer parts proportional to `weights`, summing exactly to `total`.
 * A zero weight always gets 0. Throws a RangeError for a negative/fractional total, a negative or non-finite weight, or a
 * positive total with no positive weight.
 */
export function allocateLargestRemainder(total: number, weights: readonly number[]): number[] {
  assertAmount(total);
  for (const weight of weights) {
    if (!Number.isFinite(weight) || weight < 0) throw new RangeError(`weights must be finite and >= 0, got ${weight}`);
  }
  if (total === 0) return weights.map(() => 0);
  const binaries = weights.map(exactBinary);
  const maxShift = Math.max(0, ...binaries.map((b) => b.shift));
  const exact = binaries.map((b) => b.numerator << BigInt(maxShift - b.shift));
  const weightSum = exact.reduce((sum, w) => sum + w, 0n);
  if (weightSum === 0n) throw new RangeError('cannot allocate a positive amount over weights that are all zero');

  const whole = BigInt(total);
  const parts = exact.map((w) => (whole * w) / weightSum);
  const remainders = exact.map((w, index) => ({ index, remainder: (whole * w) % weightSum }));
  let leftover = Number(whole - parts.reduce((sum, p) => sum + p, 0n));
  remainders.sort((a, b) => (a.remainder === b.remainder ? a.index - b.index : a.remainder > b.remainder ? -1 : 1));
  for (const { index } of remainders) {
    if (leftover === 0) break;
    parts[index]! += 1n;
    leftover -= 1;
  }
  return parts.map(Number);
}

/** Equal split of `total` into `count` parts (the first `total mod count` parts get one unit more). */
export function allocateEqually(total: number, count: number): number[] {
  if (!Number.isInteger(count) || count < 0) throw new RangeError(`count must be a non-negative integer, got ${count}`);
  return allocateLargestRemainder(total, Array.from({ length: count }, () => 1));
}
