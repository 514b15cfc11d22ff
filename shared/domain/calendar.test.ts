import { getWeek, getWeekYear } from 'date-fns';
import { TZDate } from '@date-fns/tz';
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import {
  DEFAULT_CALENDAR,
  elapsedWorkingDays,
  isWorkingDay,
  lastClosedWorkingDay,
  localDay,
  localDayLengthHours,
  nextWorkingDay,
  periodContaining,
  periodFromKey,
  periodsOverlapping,
  previousWorkingDay,
  remainingWorkingDays,
  startOfLocalDay,
  validateCalendar,
  workingDaysIn,
  type OrgCalendar,
  type PeriodKind,
} from './calendar';
import { BERLIN, NEW_YORK, SHANGHAI_2026 } from './calendars.fixture';
import { dayDiff, shiftDay } from './day';

const zoneCal = (timeZone: string, weekStartsOn: OrgCalendar['weekStartsOn'] = 1): OrgCalendar => ({ ...DEFAULT_CALENDAR, timeZone, weekStartsOn });
const dayArb = fc.integer({ min: 0, max: 365 * 12 }).map((n) => shiftDay('2020-01-01', n));
const zoneArb = fc.constantFrom('Asia/Shanghai', 'America/New_York', 'Europe/Berlin', 'America/Santiago', 'Australia/Lord_Howe', 'UTC');

describe('default calendar', () => {
  test('is Asia/Shanghai, Monday start, Monday–Friday, and valid', () => {
    expect(DEFAULT_CALENDAR).toMatchObject({ timeZone: 'Asia/Shanghai', weekStartsOn: 1, workingWeekdays: [1, 2, 3, 4, 5] });
    expect(validateCalendar(DEFAULT_CALENDAR)).toEqual([]);
    expect(validateCalendar(SHANGHAI_2026)).toEqual([]);
  });

  test.each([
    [{ timeZone: 'Mars/Olympus' }, ['time_zone']],
    [{ weekStartsOn: 7 }, ['week_starts_on']],
    [{ workingWeekdays: [1, 8] }, ['working_weekdays']],
    [{ holidays: ['2026-02-30'] }, ['holidays']],
    [{ makeupWorkdays: ['someday'] }, ['makeup_workdays']],
  ])('validateCalendar flags %j', (patch, problems) => {
    expect(validateCalendar({ ...DEFAULT_CALENDAR, ...(patch as Partial<OrgCalendar>) })).toEqual(problems);
  });
});

describe('localDay', () => {
  test.each([
    ['Asia/Shanghai', '2026-11-22T15:59:59.999Z', '2026-11-22'],
    ['Asia/Shanghai', '2026-11-22T16:00:00.000Z', '2026-11-23'],
    ['America/New_York', '2026-03-08T04:59:59.999Z', '2026-03-07'], // EST midnight
    ['America/New_York', '2026-03-08T05:00:00.000Z', '2026-03-08'],
    ['America/New_York', '2026-03-09T03:59:59.999Z', '2026-03-08'], // the 23-hour day ends at 04:00Z (EDT)
    ['America/New_York', '2026-03-09T04:00:00.000Z', '2026-03-09'],
    ['America/New_York', '2026-11-02T04:59:59.999Z', '2026-11-01'], // the 25-hour day ends at 05:00Z (EST)
    ['Europe/Berlin', '2026-03-29T21:59:59.999Z', '2026-03-29'],
    ['Europe/Berlin', '2026-03-29T22:00:00.000Z', '2026-03-30'],
    ['Europe/Berlin', '2026-10-25T22:59:59.999Z', '2026-10-25'],
    ['Europe/Berlin', '2026-10-25T23:00:00.000Z', '2026-10-26'],
    ['Asia/Shanghai', '2028-02-28T16:00:00.000Z', '2028-02-29'],
  ])('%s: %s is local day %s', (timeZone, iso, expected) => {
    expect(localDay(new Date(iso), zoneCal(timeZone))).toBe(expected);
    expect(localDay(Date.parse(iso), zoneCal(timeZone))).toBe(expected);
  });

  test('rejects an unknown zone and an invalid instant', () => {
    expect(() => localDay(0, zoneCal('Mars/Olympus'))).toThrow(RangeError);
    expect(() => localDay(new Date('nope'), DEFAULT_CALENDAR)).toThrow(RangeError);
  });
});

describe('startOfLocalDay', () => {
  test.each([
    ['America/New_York', '2026-03-08', '2026-03-08T05:00:00.000Z', 23],
    ['America/New_York', '2026-03-09', '2026-03-09T04:00:00.000Z', 24],
    ['America/New_York', '2026-11-01', '2026-11-01T04:00:00.000Z', 25],
    ['America/New_York', '2026-11-02', '2026-11-02T05:00:00.000Z', 24],
    ['Europe/Berlin', '2026-03-29', '2026-03-28T23:00:00.000Z', 23],
    ['Europe/Berlin', '2026-10-25', '2026-10-24T22:00:00.000Z', 25],
    ['Asia/Shanghai', '2028-02-29', '2028-02-28T16:00:00.000Z', 24],
    // Chile skips 00:00–01:00 on 2026-09-06: the day starts at its first existing instant, 01:00 local.
    ['America/Santiago', '2026-09-06', '2026-09-06T04:00:00.000Z', 23],
  ])('%s %s starts at %s and lasts %i h', (timeZone, day, iso, hours) => {
    expect(startOfLocalDay(day, zoneCal(timeZone)).toISOString()).toBe(iso);
    expect(localDayLengthHours(day, zoneCal(timeZone))).toBe(hours);
  });

  test('round-trips with localDay and orders days, in every zone', () => {
    fc.assert(
      fc.property(zoneArb, dayArb, (timeZone, day) => {
        const cal = zoneCal(timeZone);
        const start = startOfLocalDay(day, cal).getTime();
        const next = startOfLocalDay(shiftDay(day, 1), cal).getTime();
        expect(localDay(start, cal)).toBe(day);
        expect(localDay(start - 1, cal)).toBe(shiftDay(day, -1));
        expect(localDay(next - 1, cal)).toBe(day);
        expect([23, 23.5, 24, 24.5, 25]).toContain((next - start) / 3_600_000);
      }),
      { numRuns: 1000 },
    );
  });
});

describe('periodContaining', () => {
  test.each<[PeriodKind, string, OrgCalendar, string, string, string]>([
    ['day', '2026-11-23', DEFAULT_CALENDAR, '2026-11-23', '2026-11-23', '2026-11-23'],
    ['week', '2026-11-23', DEFAULT_CALENDAR, '2026-11-23', '2026-11-29', '2026-W48'],
    ['week', '2026-11-29', DEFAULT_CALENDAR, '2026-11-23', '2026-11-29', '2026-W48'],
    ['week', '2026-11-26', NEW_YORK, '2026-11-22', '2026-11-28', '2026-W47'], // Sunday start
    ['week', '2026-12-31', DEFAULT_CALENDAR, '2026-12-28', '2027-01-03', '2026-W53'], // straddles the year
    ['week', '2027-01-03', DEFAULT_CALENDAR, '2026-12-28', '2027-01-03', '2026-W53'],
    ['week', '2027-01-04', DEFAULT_CALENDAR, '2027-01-04', '2027-01-10', '2027-W01'],
    ['week', '2026-04-01', DEFAULT_CALENDAR, '2026-03-30', '2026-04-05', '2026-W14'], // straddles months and quarters
    ['week', '2028-02-29', { ...DEFAULT_CALENDAR, weekStartsOn: 6 }, '2028-02-26', '2028-03-03', '2028-W09'],
    ['month', '2028-02-10', DEFAULT_CALENDAR, '2028-02-01', '2028-02-29', '2028-02'],
    ['month', '2026-02-10', DEFAULT_CALENDAR, '2026-02-01', '2026-02-28', '2026-02'],
    ['quarter', '2026-11-23', DEFAULT_CALENDAR, '2026-10-01', '2026-12-31', '2026-Q4'],
    ['quarter', '2026-01-01', DEFAULT_CALENDAR, '2026-01-01', '2026-03-31', '2026-Q1'],
    ['quarter', '2026-06-30', DEFAULT_CALENDAR, '2026-04-01', '2026-06-30', '2026-Q2'],
    ['year', '2028-07-04', DEFAULT_CALENDAR, '2028-01-01', '2028-12-31', '2028'],
  ])('%s containing %s → %s..%s (%s)', (kind, day, cal, start, end, key) => {
    expect(periodContaining(kind, day, cal)).toEqual({ kind, start, end, key });
    expect(periodFromKey(key, cal)).toEqual({ kind, start, end, key });
  });

  test('week keys follow date-fns week numbering with firstWeekContainsDate 4 (ISO for Monday start)', () => {
    fc.assert(
      fc.property(dayArb, fc.integer({ min: 0, max: 6 }), (day, weekStartsOn) => {
        const cal = { ...DEFAULT_CALENDAR, weekStartsOn: weekStartsOn as OrgCalendar['weekStartsOn'] };
        const week = periodContaining('week', day, cal);
        const date = new TZDate(Number(day.slice(0, 4)), Number(day.slice(5, 7)) - 1, Number(day.slice(8, 10)), 'UTC');
        const options = { weekStartsOn: cal.weekStartsOn, firstWeekContainsDate: 4 } as const;
        expect(week.key).toBe(`${getWeekYear(date, options)}-W${String(getWeek(date, options)).padStart(2, '0')}`);
        expect(dayDiff(week.start, week.end)).toBe(6);
        expect(week.start <= day && day <= week.end).toBe(true);
        expect(periodFromKey(week.key, cal)).toEqual(week);
      }),
      { numRuns: 1000 },
    );
  });

  test.each(['2026-W54', '2026-W00', '2026-13', '2026-Q5', '26', 'soon'])('periodFromKey rejects %s', (key) => {
    expect(() => periodFromKey(key, DEFAULT_CALENDAR)).toThrow(RangeError);
  });

  test('periodsOverlapping lists whole weeks around a month', () => {
    expect(periodsOverlapping('week', { start: '2026-02-01', end: '2026-02-28' }, DEFAULT_CALENDAR).map((p) => p.key)).toEqual([
      '2026-W05', '2026-W06', '2026-W07', '2026-W08', '2026-W09',
    ]);
    expect(periodsOverlapping('month', { start: '2026-01-15', end: '2026-03-01' }, DEFAULT_CALENDAR).map((p) => p.key)).toEqual([
      '2026-01', '2026-02', '2026-03',
    ]);
  });
});

describe('working days', () => {
  test.each([
    ['2026-11-23', true, 'ordinary Monday'],
    ['2026-11-28', false, 'ordinary Saturday'],
    ['2026-02-14', true, 'make-up Saturday wins over the weekend'],
    ['2026-02-28', true, 'make-up Saturday'],
    ['2026-02-21', false, 'Saturday in the Spring Festival'],
    ['2026-02-16', false, 'holiday wins over a weekday'],
    ['2026-01-04', true, 'make-up Sunday'],
    ['2026-10-07', false, 'National Day Wednesday'],
    ['2026-10-10', true, 'make-up Saturday after National Day'],
  ])('Shanghai 2026: %s working = %s (%s)', (day, expected) => {
    expect(isWorkingDay(day, SHANGHAI_2026)).toBe(expected);
  });

  test('a day listed both as holiday and make-up day is a working day', () => {
    expect(isWorkingDay('2026-11-23', { ...DEFAULT_CALENDAR, holidays: ['2026-11-23'], makeupWorkdays: ['2026-11-23'] })).toBe(true);
  });

  test.each([
    ['Shanghai 2026', SHANGHAI_2026, '2026-02-01', '2026-02-28', 16], // 20 weekdays − 6 holidays + 2 make-up Saturdays
    ['plain', DEFAULT_CALENDAR, '2026-02-01', '2026-02-28', 20],
    ['Shanghai 2026', SHANGHAI_2026, '2026-10-01', '2026-10-11', 3], // Thu 8, Fri 9, make-up Sat 10
    ['plain', DEFAULT_CALENDAR, '2028-02-01', '2028-02-29', 21], // leap February
    ['plain', DEFAULT_CALENDAR, '2026-11-25', '2026-12-01', 5], // mid-week start: Wed–Fri + Mon–Tue
    ['New York', NEW_YORK, '2026-11-22', '2026-11-28', 4], // Thanksgiving
    ['plain', DEFAULT_CALENDAR, '2026-11-29', '2026-11-23', 0], // reversed range
  ])('%s: working days in %s..%s = %i', (_label, cal, start, end, count) => {
    expect(workingDaysIn({ start, end }, cal)).toHaveLength(count);
  });

  test('National Day week lists its working days in order', () => {
    expect(workingDaysIn({ start: '2026-09-26', end: '2026-10-11' }, SHANGHAI_2026)).toEqual([
      '2026-09-27', '2026-09-28', '2026-09-29', '2026-09-30', '2026-10-08', '2026-10-09', '2026-10-10',
    ]);
  });

  test.each([
    ['2026-11-23', '2026-11-20', '2026-11-24', DEFAULT_CALENDAR], // Monday: Friday before
    ['2026-11-20', '2026-11-19', '2026-11-23', DEFAULT_CALENDAR], // Friday then Monday are consecutive
    ['2026-02-13', '2026-02-12', '2026-02-14', SHANGHAI_2026], // make-up Saturday is next
    ['2026-02-14', '2026-02-13', '2026-02-24', SHANGHAI_2026], // then the festival
    ['2026-10-08', '2026-09-30', '2026-10-09', SHANGHAI_2026],
    ['2026-11-25', '2026-11-24', '2026-11-27', NEW_YORK],
  ])('around %s: previous %s, next %s', (day, previous, next, cal) => {
    expect(previousWorkingDay(day, cal)).toBe(previous);
    expect(nextWorkingDay(day, cal)).toBe(next);
  });

  test('a calendar without working days is an error, not a hang', () => {
    expect(() => nextWorkingDay('2026-11-23', { ...DEFAULT_CALENDAR, workingWeekdays: [] })).toThrow(/no working day/);
  });
});

describe('elapsed and remaining working days', () => {
  const november = periodContaining('month', '2026-11-15', DEFAULT_CALENDAR); // 21 working days
  test.each([
    ['2026-11-23T01:00:00Z', 15, 6, 'Monday 09:00 Shanghai: 15 closed days, today still open'],
    ['2026-11-22T15:59:59Z', 15, 6, 'Sunday 23:59 Shanghai'],
    ['2026-11-01T00:00:00Z', 0, 21, 'first day'],
    ['2026-10-20T00:00:00Z', 0, 21, 'before the period'],
    ['2026-11-30T10:00:00Z', 20, 1, 'last day'],
    ['2026-11-30T16:00:00Z', 21, 0, 'after the last day closed'],
    ['2027-03-01T00:00:00Z', 21, 0, 'long after'],
  ])('at %s: elapsed %i, remaining %i (%s)', (iso, elapsed, remaining) => {
    expect(elapsedWorkingDays(november, Date.parse(iso), DEFAULT_CALENDAR)).toBe(elapsed);
    expect(remainingWorkingDays(november, Date.parse(iso), DEFAULT_CALENDAR)).toBe(remaining);
  });

  test('New York DST day: the local day, not the UTC day, decides', () => {
    const week = periodContaining('week', '2026-03-08', NEW_YORK); // Sun 8 – Sat 14 March
    // 2026-03-10T03:30Z is still Monday 9 March in New York (EDT, UTC−4)
    expect(elapsedWorkingDays(week, Date.parse('2026-03-10T03:30:00Z'), NEW_YORK)).toBe(0);
    expect(elapsedWorkingDays(week, Date.parse('2026-03-10T04:00:00Z'), NEW_YORK)).toBe(1);
  });

  test('lastClosedWorkingDay skips the weekend and holidays', () => {
    expect(lastClosedWorkingDay(Date.parse('2026-11-23T01:00:00Z'), DEFAULT_CALENDAR)).toBe('2026-11-20');
    expect(lastClosedWorkingDay(Date.parse('2026-02-24T01:00:00Z'), SHANGHAI_2026)).toBe('2026-02-14');
  });

  test('elapsed + remaining = total, for any period and instant', () => {
    const cals = [DEFAULT_CALENDAR, SHANGHAI_2026, NEW_YORK, BERLIN];
    fc.assert(
      fc.property(
        fc.constantFrom(...cals),
        fc.constantFrom<PeriodKind>('day', 'week', 'month', 'quarter'),
        fc.integer({ min: 0, max: 900 }).map((n) => shiftDay('2025-09-01', n)),
        fc.integer({ min: Date.parse('2025-08-01T00:00:00Z'), max: Date.parse('2028-06-01T00:00:00Z') }),
        (cal, kind, day, now) => {
          const period = periodContaining(kind, day, cal);
          const total = workingDaysIn(period, cal).length;
          const elapsed = elapsedWorkingDays(period, now, cal);
          const remaining = remainingWorkingDays(period, now, cal);
          expect(elapsed + remaining).toBe(total);
          expect(elapsed).toBeGreaterThanOrEqual(0);
          expect(remaining).toBeGreaterThanOrEqual(0);
        },
      ),
      { numRuns: 1000 },
    );
  });
});
