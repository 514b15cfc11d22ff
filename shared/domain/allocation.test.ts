import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { allocateEqually, allocateLargestRemainder } from './allocation';

describe('allocateLargestRemainder', () => {
  test.each<[string, number, number[], number[]]>([
    ['seed: year to quarters', 13_200_000, [1, 1, 1, 1], [3_300_000, 3_300_000, 3_300_000, 3_300_000]],
    ['seed: quarter to months', 3_300_000, [1, 1, 1], [1_100_000, 1_100_000, 1_100_000]],
    ['10 over three: tie goes to the first', 10, [1, 1, 1], [4, 3, 3]],
    ['11 over three', 11, [1, 1, 1], [4, 4, 3]],
    ['largest remainder wins over index', 10, [1, 2, 4], [1, 3, 6]], // quotas 1.43, 2.86, 5.71
    ['decimal weights are honoured exactly', 10, [0.1, 0.2, 0.7], [1, 2, 7]],
    ['zero weight gets nothing', 7, [0, 1, 0, 1], [0, 4, 0, 3]],
    ['zero total', 0, [3, 2], [0, 0]],
    ['zero total over nothing', 0, [], []],
    ['one cent over seven', 1, [1, 1, 1, 1, 1, 1, 1], [1, 0, 0, 0, 0, 0, 0]],
    ['seasonality 2:1:1', 1_000_001, [2, 1, 1], [500_001, 250_000, 250_000]],
    ['huge weights stay exact', 9_007_199_254_740_991, [1e300, 1e300], [4_503_599_627_370_496, 4_503_599_627_370_495]],
  ])('%s: %i over %j → %j', (_label, total, weights, expected) => {
    expect(allocateLargestRemainder(total, weights)).toEqual(expected);
  });

  test.each<[string, number, number[]]>([
    ['negative total', -1, [1]],
    ['fractional total', 1.5, [1]],
    ['negative weight', 10, [1, -1]],
    ['NaN weight', 10, [Number.NaN]],
    ['infinite weight', 10, [Number.POSITIVE_INFINITY]],
    ['positive total over zero weights', 10, [0, 0]],
    ['positive total over no parts', 10, []],
  ])('rejects %s', (_label, total, weights) => {
    expect(() => allocateLargestRemainder(total, weights)).toThrow(RangeError);
  });

  test('allocateEqually', () => {
    expect(allocateEqually(100, 3)).toEqual([34, 33, 33]);
    expect(allocateEqually(0, 0)).toEqual([]);
  });

  test('parts sum exactly to the whole, are never negative, and each is within one unit of its quota', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 1_000_000_000_000 }),
        fc.array(fc.oneof(fc.integer({ min: 0, max: 1000 }), fc.double({ min: 0, max: 1000, noNaN: true })), { minLength: 1, maxLength: 40 }),
        (total, weights) => {
          fc.pre(weights.some((w) => w > 0));
          const parts = allocateLargestRemainder(total, weights);
          expect(parts.reduce((a, b) => a + b, 0)).toBe(total);
          const weightSum = weights.reduce((a, b) => a + b, 0);
          parts.forEach((part, i) => {
            expect(Number.isInteger(part)).toBe(true);
            expect(part).toBeGreaterThanOrEqual(0);
            expect(Math.abs(part - (total * weights[i]!) / weightSum)).toBeLessThan(1 + 1e-6 * total);
            if (weights[i] === 0) expect(part).toBe(0);
          });
        },
      ),
      { numRuns: 1000 },
    );
  });

  test('scaling every weight by the same factor changes nothing', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 10_000_000 }),
        fc.array(fc.integer({ min: 0, max: 1000 }), { minLength: 1, maxLength: 20 }),
        fc.integer({ min: 1, max: 1000 }),
        (total, weights, factor) => {
          fc.pre(weights.some((w) => w > 0));
          expect(allocateLargestRemainder(total, weights.map((w) => w * factor))).toEqual(allocateLargestRemainder(total, weights));
        },
      ),
      { numRuns: 1000 },
    );
  });
});
