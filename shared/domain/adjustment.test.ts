import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { DEFAULT_CALENDAR, isWorkingDay, localDay, periodContaining, remainingWorkingDays, type OrgCalendar } from './calendar';
import { NEW_YORK, SHANGHAI_2026 } from './calendars.fixture';
import { adjustTarget, respreadRemaining, reviseTarget, versionInEffect, type TargetVersion } from './adjustment';

const november = periodContaining('month', '2026-11-01', DEFAULT_CALENDAR);

describe('respreadRemaining', () => {
  test.each<[string, OrgCalendar, string, number, number, string, number[], number]>([
    // Monday 23 Nov, 09:00 Shanghai: 23, 24, 25, 26, 27, 30 remain
    ['raised mid-month', DEFAULT_CALENDAR, '2026-11-01', 1_400_000, 500_000, '2026-11-23T01:00:00Z', [150_000, 150_000, 150_000, 150_000, 150_000, 150_000], 0],
    ['odd units go to earlier days', DEFAULT_CALENDAR, '2026-11-01', 1_000_004, 1_000_000, '2026-11-23T01:00:00Z', [1, 1, 1, 1, 0, 0], 0],
    ['already over the new target', DEFAULT_CALENDAR, '2026-11-01', 1_400_000, 1_500_000, '2026-11-23T01:00:00Z', [0, 0, 0, 0, 0, 0], 0],
    ['last day', DEFAULT_CALENDAR, '2026-11-01', 100, 40, '2026-11-30T09:00:00Z', [60], 0],
    ['after the period closed', DEFAULT_CALENDAR, '2026-11-01', 100, 40, '2026-11-30T16:00:00Z', [], 60],
    ['before the period: all working days', DEFAULT_CALENDAR, '2026-11-01', 2_100, 0, '2026-10-15T00:00:00Z', Array.from({ length: 21 }, () => 100), 0],
    // Shanghai, Friday 13 Feb: 13, make-up Sat 14, (festival), 24, 25, 26, 27, make-up Sat 28
    ['make-up Saturdays carry a share', SHANGHAI_2026, '2026-02-01', 800, 100, '2026-02-13T01:00:00Z', [100, 100, 100, 100, 100, 100, 100], 0],
    // 2026-11-01T03:30Z is still Saturday 31 October in New York
    ['DST night in New York: the local day decides', NEW_YORK, '2026-11-01', 2_000, 0, '2026-11-01T03:30:00Z', Array.from({ length: 20 }, () => 100), 0],
    ['zero target', DEFAULT_CALENDAR, '2026-11-01', 0, 0, '2026-11-23T01:00:00Z', [0, 0, 0, 0, 0, 0], 0],
  ])('%s', (_label, cal, monthDay, target, achieved, nowIso, perDay, unallocated) => {
    const period = periodContaining('month', monthDay, cal);
    const result = respreadRemaining({ target, achieved, period, now: Date.parse(nowIso), cal });
    expect(result.perDay.map((d) => d.amount)).toEqual(perDay);
    expect(result.unallocated).toBe(unallocated);
    expect(result.remaining).toBe(Math.max(0, target - achieved));
    expect(result.perDay).toHaveLength(remainingWorkingDays(period, Date.parse(nowIso), cal));
  });

  test('property: re-spread parts sum to what remains, are never negative, and fall on remaining working days', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 10_000_000_000 }),
        fc.integer({ min: 0, max: 10_000_000_000 }),
        fc.constantFrom(DEFAULT_CALENDAR, SHANGHAI_2026, NEW_YORK),
        fc.constantFrom('month', 'quarter', 'week') as fc.Arbitrary<'month' | 'quarter' | 'week'>,
        fc.integer({ min: Date.parse('2026-01-01T00:00:00Z'), max: Date.parse('2026-12-31T00:00:00Z') }),
        fc.integer({ min: -20, max: 20 }),
        (target, achieved, cal, kind, now, offsetDays) => {
          const period = periodContaining(kind, localDay(now + offsetDays * 86_400_000, cal), cal);
          const result = respreadRemaining({ target, achieved, period, now, cal });
          const today = localDay(now, cal);
          expect(result.perDay.reduce((s, d) => s + d.amount, 0) + result.unallocated).toBe(result.remaining);
          for (const { day, amount } of result.perDay) {
            expect(amount).toBeGreaterThanOrEqual(0);
            expect(day >= today && day >= period.start && day <= period.end && isWorkingDay(day, cal)).toBe(true);
          }
        },
      ),
      { numRuns: 1000 },
    );
  });
});

describe('target versions', () => {
  const first: TargetVersion = {
    version: 1,
    amount: 1_100_000,
    reason: 'annual plan',
    author: 'u_director',
    effectiveFrom: '2026-11-01',
    createdAt: Date.parse('2026-10-25T02:00:00Z'),
  };

  test('a change appends a version with reason, author and the local day it takes effect', () => {
    const history = reviseTarget([first], { amount: 1_400_000, reason: ' big deal pulled in ', author: 'u_manager', at: Date.parse('2026-11-22T16:30:00Z') }, DEFAULT_CALENDAR);
    expect(history).toHaveLength(2);
    expect(history[0]).toBe(first);
    expect(history[1]).toEqual({
      version: 2,
      amount: 1_400_000,
      reason: 'big deal pulled in',
      author: 'u_manager',
      effectiveFrom: '2026-11-23', // 00:30 in Shanghai
      createdAt: Date.parse('2026-11-22T16:30:00Z'),
    });
  });

  test.each([
    ['before any version', '2026-10-31', null],
    ['first version', '2026-11-10', 1],
    ['day of the change', '2026-11-23', 2],
    ['later', '2026-11-30', 2],
  ])('version in effect %s (%s) = %s', (_label, day, expected) => {
    const history = reviseTarget([first], { amount: 1_400_000, reason: 'r', author: 'a', at: Date.parse('2026-11-23T01:00:00Z') }, DEFAULT_CALENDAR);
    expect(versionInEffect(history, day)?.version ?? null).toBe(expected);
  });

  test.each([
    ['empty reason', { amount: 1, reason: '  ', author: 'a', at: Date.parse('2026-11-23T00:00:00Z') }],
    ['empty author', { amount: 1, reason: 'r', author: '', at: Date.parse('2026-11-23T00:00:00Z') }],
    ['negative amount', { amount: -1, reason: 'r', author: 'a', at: Date.parse('2026-11-23T00:00:00Z') }],
    ['fractional amount', { amount: 1.5, reason: 'r', author: 'a', at: Date.parse('2026-11-23T00:00:00Z') }],
    ['a change before the previous one', { amount: 1, reason: 'r', author: 'a', at: Date.parse('2026-10-01T00:00:00Z') }],
  ])('rejects %s', (_label, change) => {
    expect(() => reviseTarget([first], change, DEFAULT_CALENDAR)).toThrow(RangeError);
  });

  test('adjustTarget re-spreads the new amount minus what is achieved from the day of the change', () => {
    const result = adjustTarget({
      history: [first],
      change: { amount: 1_400_000, reason: 'raised', author: 'u_manager', at: Date.parse('2026-11-23T01:00:00Z') },
      achieved: 500_000,
      period: november,
      cal: DEFAULT_CALENDAR,
    });
    expect(result.version.version).toBe(2);
    expect(result.respread.remaining).toBe(900_000);
    expect(result.respread.perDay.map((d) => d.day)).toEqual(['2026-11-23', '2026-11-24', '2026-11-25', '2026-11-26', '2026-11-27', '2026-11-30']);
  });
});
