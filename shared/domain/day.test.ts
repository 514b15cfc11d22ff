import { addDays, differenceInCalendarDays, getDay } from 'date-fns';
import { TZDate } from '@date-fns/tz';
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { assertDay, dayDiff, eachDay, isDay, shiftDay, weekdayOf } from './day';

const utc = (day: string) => new TZDate(Number(day.slice(0, 4)), Number(day.slice(5, 7)) - 1, Number(day.slice(8, 10)), 'UTC');
const toDay = (d: Date) => d.toISOString().slice(0, 10);
const dayArb = fc
  .date({ min: new Date('1990-01-01T00:00:00Z'), max: new Date('2090-12-31T00:00:00Z'), noInvalidDate: true })
  .map(toDay);

describe('civil days', () => {
  test.each([
    ['2026-11-23', true],
    ['2028-02-29', true],
    ['2026-02-29', false],
    ['2100-02-29', false],
    ['2000-02-29', true],
    ['2026-13-01', false],
    ['2026-00-10', false],
    ['2026-1-5', false],
    ['0999-01-01', false],
    ['2026-11-23T00:00', false],
  ])('isDay(%s) = %s', (value, expected) => {
    expect(isDay(value)).toBe(expected);
  });

  test('assertDay names the offending value', () => {
    expect(() => assertDay('2026-02-30', 'start')).toThrow(/start must be a calendar date.*2026-02-30/);
  });

  test.each([
    ['2026-12-31', 1, '2027-01-01'],
    ['2028-02-28', 1, '2028-02-29'],
    ['2028-02-29', 1, '2028-03-01'],
    ['2026-03-01', -1, '2026-02-28'],
    ['2026-11-23', -365, '2025-11-23'],
  ])('shiftDay(%s, %i) = %s', (day, n, expected) => {
    expect(shiftDay(day, n)).toBe(expected);
  });

  test.each([
    ['2026-11-23', 1],
    ['2026-11-29', 0],
    ['2026-02-14', 6],
    ['2028-02-29', 2],
  ])('weekdayOf(%s) = %i', (day, expected) => {
    expect(weekdayOf(day)).toBe(expected);
  });

  test('eachDay covers both ends and is empty when reversed', () => {
    expect(eachDay('2028-02-27', '2028-03-01')).toEqual(['2028-02-27', '2028-02-28', '2028-02-29', '2028-03-01']);
    expect(eachDay('2026-01-02', '2026-01-01')).toEqual([]);
  });

  test('agrees with date-fns on shifts, distances and weekdays', () => {
    fc.assert(
      fc.property(dayArb, fc.integer({ min: -800, max: 800 }), (day, n) => {
        expect(shiftDay(day, n)).toBe(toDay(addDays(utc(day), n)));
        expect(dayDiff(day, shiftDay(day, n))).toBe(n);
        expect(dayDiff(day, shiftDay(day, n))).toBe(differenceInCalendarDays(utc(shiftDay(day, n)), utc(day)));
        expect(weekdayOf(day)).toBe(getDay(utc(day)));
      }),
      { numRuns: 1000 },
    );
  });
});
