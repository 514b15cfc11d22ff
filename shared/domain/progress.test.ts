import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { bandOf, computeProgress, type ProgressInput } from './progress';

const base = { elapsedWorkingDays: 10, totalWorkingDays: 20, remainingWorkingDays: 10 };

describe('computeProgress', () => {
  test.each<[string, ProgressInput, ReturnType<typeof computeProgress>]>([
    ['on pace at half time', { target: 100, actual: 50, ...base }, { completion: 0.5, expectedToDate: 50, pace: 1, requiredRunRate: 5, band: 'green' }],
    ['pace 0.48 is red', { target: 100, actual: 24, ...base }, { completion: 0.24, expectedToDate: 50, pace: 0.48, requiredRunRate: 7.6, band: 'red' }],
    ['pace exactly 0.5 is yellow', { target: 100, actual: 25, ...base }, { completion: 0.25, expectedToDate: 50, pace: 0.5, requiredRunRate: 7.5, band: 'yellow' }],
    ['pace 0.98 is yellow', { target: 100, actual: 49, ...base }, { completion: 0.49, expectedToDate: 50, pace: 0.98, requiredRunRate: 5.1, band: 'yellow' }],
    // "need 2.3 proposals per day to reach 100 %"
    ['run-rate 2.3 per day', { target: 30, actual: 7, elapsedWorkingDays: 5, totalWorkingDays: 15, remainingWorkingDays: 10 }, { completion: 7 / 30, expectedToDate: 10, pace: 0.7, requiredRunRate: 2.3, band: 'yellow' }],
    // at period end pace = completion: "progress below 50 % is shown red"
    ['period end below 50 % is red', { target: 100, actual: 49, elapsedWorkingDays: 20, totalWorkingDays: 20, remainingWorkingDays: 0 }, { completion: 0.49, expectedToDate: 100, pace: 0.49, requiredRunRate: null, band: 'red' }],
    ['ahead of target: run-rate 0', { target: 100, actual: 120, ...base }, { completion: 1.2, expectedToDate: 50, pace: 2.4, requiredRunRate: 0, band: 'green' }],
    ['first day: nothing expected yet', { target: 100, actual: 0, elapsedWorkingDays: 0, totalWorkingDays: 20, remainingWorkingDays: 20 }, { completion: 0, expectedToDate: 0, pace: null, requiredRunRate: 5, band: 'green' }],
    ['zero target', { target: 0, actual: 0, ...base }, { completion: 1, expectedToDate: 0, pace: null, requiredRunRate: 0, band: 'green' }],
    ['zero target with activity', { target: 0, actual: 3, ...base }, { completion: 1, expectedToDate: 0, pace: null, requiredRunRate: 0, band: 'green' }],
    ['period without working days', { target: 10, actual: 4, elapsedWorkingDays: 0, totalWorkingDays: 0, remainingWorkingDays: 0 }, { completion: 0.4, expectedToDate: 10, pace: 0.4, requiredRunRate: null, band: 'red' }],
    ['custom bands', { target: 100, actual: 20, ...base, bands: { red: 0.3, yellow: 0.8 } }, { completion: 0.2, expectedToDate: 50, pace: 0.4, requiredRunRate: 8, band: 'yellow' }],
    ['exact boundary with thirds', { target: 3, actual: 1, elapsedWorkingDays: 1, totalWorkingDays: 3, remainingWorkingDays: 2 }, { completion: 1 / 3, expectedToDate: 1, pace: 1, requiredRunRate: 1, band: 'green' }],
  ])('%s', (_label, input, expected) => {
    const result = computeProgress(input);
    expect(result.band).toBe(expected.band);
    expect(result.completion).toBeCloseTo(expected.completion, 12);
    expect(result.expectedToDate).toBeCloseTo(expected.expectedToDate, 12);
    if (expected.pace === null) expect(result.pace).toBeNull();
    else expect(result.pace).toBeCloseTo(expected.pace, 12);
    if (expected.requiredRunRate === null) expect(result.requiredRunRate).toBeNull();
    else expect(result.requiredRunRate).toBeCloseTo(expected.requiredRunRate, 12);
  });

  test.each([
    ['negative target', { target: -1, actual: 0, ...base }],
    ['NaN actual', { target: 1, actual: Number.NaN, ...base }],
    ['elapsed beyond total', { target: 1, actual: 0, elapsedWorkingDays: 3, totalWorkingDays: 2, remainingWorkingDays: 0 }],
    ['bands reversed', { target: 1, actual: 0, ...base, bands: { red: 1, yellow: 0.5 } }],
  ])('rejects %s', (_label, input) => {
    expect(() => computeProgress(input)).toThrow(RangeError);
  });

  test.each([
    [0.49, 'red'],
    [0.5, 'yellow'],
    [0.999, 'yellow'],
    [1, 'green'],
    [3, 'green'],
  ] as const)('bandOf(%d) = %s', (ratio, band) => {
    expect(bandOf(ratio)).toBe(band);
  });

  const progressArb = fc
    .record({
      target: fc.integer({ min: 0, max: 10_000_000 }),
      total: fc.integer({ min: 0, max: 260 }),
      elapsedShare: fc.double({ min: 0, max: 1, noNaN: true }),
      a: fc.integer({ min: 0, max: 20_000_000 }),
      b: fc.integer({ min: 0, max: 20_000_000 }),
    })
    .map(({ target, total, elapsedShare, a, b }) => {
      const elapsed = Math.floor(total * elapsedShare);
      return { target, totalWorkingDays: total, elapsedWorkingDays: elapsed, remainingWorkingDays: total - elapsed, low: Math.min(a, b), high: Math.max(a, b) };
    });
  const bandRank = { red: 0, yellow: 1, green: 2 } as const;

  test('pace, completion and band are monotone in actual; run-rate is antitone', () => {
    fc.assert(
      fc.property(progressArb, ({ low, high, ...days }) => {
        const lower = computeProgress({ ...days, actual: low });
        const higher = computeProgress({ ...days, actual: high });
        expect(higher.completion).toBeGreaterThanOrEqual(lower.completion);
        if (lower.pace !== null && higher.pace !== null) expect(higher.pace).toBeGreaterThanOrEqual(lower.pace);
        expect(lower.pace === null).toBe(higher.pace === null);
        expect(bandRank[higher.band]).toBeGreaterThanOrEqual(bandRank[lower.band]);
        if (lower.requiredRunRate !== null && higher.requiredRunRate !== null) {
          expect(higher.requiredRunRate).toBeLessThanOrEqual(lower.requiredRunRate);
        }
      }),
      { numRuns: 1000 },
    );
  });

  test('at period end pace equals completion', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 10_000_000 }), fc.integer({ min: 0, max: 20_000_000 }), fc.integer({ min: 1, max: 260 }), (target, actual, total) => {
        const result = computeProgress({ target, actual, elapsedWorkingDays: total, totalWorkingDays: total, remainingWorkingDays: 0 });
        expect(result.pace).toBeCloseTo(result.completion, 12);
      }),
      { numRuns: 1000 },
    );
  });
});
