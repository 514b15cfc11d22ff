import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import {
  alertKey,
  applyAlertEvaluation,
  evaluateAlerts,
  isEmptyEvaluation,
  type AlertEvaluation,
  type AlertInput,
  type AlertRow,
  type DailyResult,
  type KeyCustomer,
  type WeeklyResult,
} from './alerts';
import { DEFAULT_CALENDAR, localDay, periodContaining, startOfLocalDay, type OrgCalendar } from './calendar';
import { BERLIN, NEW_YORK, SHANGHAI_2026 } from './calendars.fixture';
import { shiftDay } from './day';

/** 09:00 local on `day`. */
const nine = (day: string, cal: OrgCalendar = DEFAULT_CALENDAR) => startOfLocalDay(day, cal).getTime() + 9 * 3_600_000;
const below = (repId: string, ...days: string[]): DailyResult[] => days.map((day) => ({ repId, day, result: 'below' as const }));
const meets = (repId: string, ...days: string[]): DailyResult[] => days.map((day) => ({ repId, day, result: 'meets' as const }));

function row(partial: Partial<AlertRow> & Pick<AlertRow, 'rule' | 'anchor'>): AlertRow {
  const repId = partial.repId ?? 'r1';
  const customerId = partial.customerId ?? null;
  return {
    key: alertKey(partial.rule, repId, partial.anchor, customerId),
    repId,
    customerId,
    level: 'yellow',
    status: 'open',
    openedOn: partial.anchor,
    resolvedOn: null,
    seniorHelp: false,
    nextAction: null,
    ...partial,
  };
}

/** A compact, readable picture of an evaluation for the tables. */
function summary(evaluation: AlertEvaluation): string[] {
  return [
    ...evaluation.open.map((a) => `open ${a.key} ${a.level}${a.seniorHelp ? ' senior-help' : ''}${a.nextAction ? ` ${a.nextAction}` : ''}`),
    ...evaluation.escalate.map((e) => `escalate ${e.key} ${e.from}→${e.to}${e.nextAction ? ` ${e.nextAction}` : ''}`),
    ...evaluation.resolve.map((r) => `resolve ${r.key} ${r.reason} ${r.on}`),
    ...evaluation.coachingTasks.map((t) => `coach ${t.alertKey} due ${t.due}`),
    ...evaluation.reviewItems.map((r) => `review ${r.alertKey}`),
    ...evaluation.notifications.map((n) => `notify ${n.key} ${n.recipients.join('+')}`),
  ];
}

const evaluate = (partial: Partial<AlertInput> & Pick<AlertInput, 'now'>) =>
  evaluateAlerts({ calendar: DEFAULT_CALENDAR, dailyResults: [], weeklyResults: [], keyCustomers: [], existing: [], ...partial });

describe('KPI streaks (yellow at 2, orange at 3 consecutive closed working days below)', () => {
  test.each<[string, Partial<AlertInput> & Pick<AlertInput, 'now'>, string[]]>([
    ['two below days → yellow, rep and manager notified', { now: nine('2026-11-23'), dailyResults: below('r1', '2026-11-19', '2026-11-20') }, [
      'open kpi_streak:r1:2026-11-19 yellow',
      'notify kpi_streak:r1:2026-11-19#yellow rep+manager',
    ]],
    ['one below day → nothing', { now: nine('2026-11-23'), dailyResults: [...meets('r1', '2026-11-19'), ...below('r1', '2026-11-20')] }, []],
    ['three below days → orange directly, coaching due next working day, senior help', { now: nine('2026-11-23'), dailyResults: below('r1', '2026-11-18', '2026-11-19', '2026-11-20') }, [
      'open kpi_streak:r1:2026-11-18 orange senior-help',
      'coach kpi_streak:r1:2026-11-18 due 2026-11-24',
      'notify kpi_streak:r1:2026-11-18#orange rep+manager',
    ]],
    ['Friday then Monday are consecutive', { now: nine('2026-11-24'), dailyResults: below('r1', '2026-11-20', '2026-11-23') }, [
      'open kpi_streak:r1:2026-11-20 yellow',
      'notify kpi_streak:r1:2026-11-20#yellow rep+manager',
    ]],
    ['rows for weekend days are ignored', { now: nine('2026-11-24'), dailyResults: [...below('r1', '2026-11-20', '2026-11-23'), ...meets('r1', '2026-11-21')] }, [
      'open kpi_streak:r1:2026-11-20 yellow',
      'notify kpi_streak:r1:2026-11-20#yellow rep+manager',
    ]],
    ['today has not closed: its row is ignored', { now: nine('2026-11-23'), dailyResults: below('r1', '2026-11-20', '2026-11-23') }, []],
    ['a missing working day breaks the streak', { now: nine('2026-11-24'), dailyResults: below('r1', '2026-11-19', '2026-11-23') }, []],
    ['a streak that ended earlier opens nothing', { now: nine('2026-11-24'), dailyResults: [...below('r1', '2026-11-18', '2026-11-19', '2026-11-20'), ...meets('r1', '2026-11-23')] }, []],
    ['duplicate rows: meets wins', { now: nine('2026-11-23'), dailyResults: [...below('r1', '2026-11-19', '2026-11-20'), ...meets('r1', '2026-11-20')] }, []],
    ['reps are independent', { now: nine('2026-11-23'), dailyResults: [...below('r1', '2026-11-19', '2026-11-20'), ...below('r2', '2026-11-20'), ...meets('r2', '2026-11-19')] }, [
      'open kpi_streak:r1:2026-11-19 yellow',
      'notify kpi_streak:r1:2026-11-19#yellow rep+manager',
    ]],
    ['yellow escalates to orange on the third day (orange supersedes yellow)', {
      now: nine('2026-11-24'),
      dailyResults: below('r1', '2026-11-19', '2026-11-20', '2026-11-23'),
      existing: [row({ rule: 'kpi_streak', anchor: '2026-11-19', openedOn: '2026-11-23' })],
    }, [
      'escalate kpi_streak:r1:2026-11-19 yellow→orange',
      'coach kpi_streak:r1:2026-11-19 due 2026-11-25',
      'notify kpi_streak:r1:2026-11-19#orange rep+manager',
    ]],
    ['an acknowledged yellow still escalates', {
      now: nine('2026-11-24'),
      dailyResults: below('r1', '2026-11-19', '2026-11-20', '2026-11-23'),
      existing: [row({ rule: 'kpi_streak', anchor: '2026-11-19', status: 'acknowledged' })],
    }, [
      'escalate kpi_streak:r1:2026-11-19 yellow→orange',
      'coach kpi_streak:r1:2026-11-19 due 2026-11-25',
      'notify kpi_streak:r1:2026-11-19#orange rep+manager',
    ]],
    ['an orange streak getting longer raises nothing new', {
      now: nine('2026-11-25'),
      dailyResults: below('r1', '2026-11-19', '2026-11-20', '2026-11-23', '2026-11-24'),
      existing: [row({ rule: 'kpi_streak', anchor: '2026-11-19', level: 'orange', seniorHelp: true })],
    }, []],
    ['an alert resolved by hand stays resolved', {
      now: nine('2026-11-24'),
      dailyResults: below('r1', '2026-11-19', '2026-11-20', '2026-11-23'),
      existing: [row({ rule: 'kpi_streak', anchor: '2026-11-19', status: 'resolved', resolvedOn: '2026-11-23' })],
    }, []],
    ['a day that meets KPIs resolves the alert', {
      now: nine('2026-11-24'),
      dailyResults: [...below('r1', '2026-11-19', '2026-11-20'), ...meets('r1', '2026-11-23')],
      existing: [row({ rule: 'kpi_streak', anchor: '2026-11-19', status: 'acknowledged' })],
    }, ['resolve kpi_streak:r1:2026-11-19 kpi_met 2026-11-23']],
    ['the meets day resolves the old streak while a new streak opens', {
      now: nine('2026-11-27'),
      dailyResults: [...below('r1', '2026-11-19', '2026-11-20'), ...meets('r1', '2026-11-23'), ...below('r1', '2026-11-24', '2026-11-25', '2026-11-26')],
      existing: [row({ rule: 'kpi_streak', anchor: '2026-11-19' })],
    }, [
      'open kpi_streak:r1:2026-11-24 orange senior-help',
      'resolve kpi_streak:r1:2026-11-19 kpi_met 2026-11-23',
      'coach kpi_streak:r1:2026-11-24 due 2026-11-30',
      'notify kpi_streak:r1:2026-11-24#orange rep+manager',
    ]],
    ['configurable streak lengths', { now: nine('2026-11-23'), dailyResults: below('r1', '2026-11-20'), rules: { yellowStreak: 1, orangeStreak: 2 } }, [
      'open kpi_streak:r1:2026-11-20 yellow',
      'notify kpi_streak:r1:2026-11-20#yellow rep+manager',
    ]],
  ])('%s', (_label, input, expected) => {
    expect(summary(evaluate(input))).toEqual(expected);
  });

  test.each<[string, OrgCalendar, string, number, string[]]>([
    // Shanghai 2026: Fri 13 Feb and make-up Sat 14 Feb are consecutive working days; the festival follows.
    ['make-up Saturday continues a streak across the festival', SHANGHAI_2026, 'below 2026-02-13 2026-02-14', nine('2026-02-24', SHANGHAI_2026), [
      'open kpi_streak:r1:2026-02-13 yellow',
      'notify kpi_streak:r1:2026-02-13#yellow rep+manager',
    ]],
    ['third day after the festival → orange, coaching due the next working day', SHANGHAI_2026, 'below 2026-02-13 2026-02-14 2026-02-24', nine('2026-02-25', SHANGHAI_2026), [
      'open kpi_streak:r1:2026-02-13 orange senior-help',
      'coach kpi_streak:r1:2026-02-13 due 2026-02-26',
      'notify kpi_streak:r1:2026-02-13#orange rep+manager',
    ]],
    ['coaching due skips to a make-up Saturday', SHANGHAI_2026, 'below 2026-02-10 2026-02-11 2026-02-12', nine('2026-02-13', SHANGHAI_2026), [
      'open kpi_streak:r1:2026-02-10 orange senior-help',
      'coach kpi_streak:r1:2026-02-10 due 2026-02-14',
      'notify kpi_streak:r1:2026-02-10#orange rep+manager',
    ]],
    // New York springs forward on Sun 8 March: Mon 9 March closes at 2026-03-10T04:00Z, not 05:00Z.
    ['New York: Monday after DST not closed at 03:30Z', NEW_YORK, 'below 2026-03-06 2026-03-09', Date.parse('2026-03-10T03:30:00Z'), []],
    ['New York: Monday after DST closed at 04:00Z', NEW_YORK, 'below 2026-03-06 2026-03-09', Date.parse('2026-03-10T04:00:00Z'), [
      'open kpi_streak:r1:2026-03-06 yellow',
      'notify kpi_streak:r1:2026-03-06#yellow rep+manager',
    ]],
    // Berlin falls back on Sun 25 October: Mon 26 October closes at 23:00Z.
    ['Berlin: Monday after DST end not closed at 22:30Z', BERLIN, 'below 2026-10-23 2026-10-26', Date.parse('2026-10-26T22:30:00Z'), []],
    ['Berlin: Monday after DST end closed at 23:00Z', BERLIN, 'below 2026-10-23 2026-10-26', Date.parse('2026-10-26T23:00:00Z'), [
      'open kpi_streak:r1:2026-10-23 yellow',
      'notify kpi_streak:r1:2026-10-23#yellow rep+manager',
    ]],
  ])('%s', (_label, calendar, days, now, expected) => {
    const dailyResults = below('r1', ...days.split(' ').slice(1));
    expect(summary(evaluate({ calendar, now, dailyResults }))).toEqual(expected);
  });
});

describe('weekly completion (red below 40 % at week close)', () => {
  const week = (repId: string, weekStart: string, completion: number): WeeklyResult => ({ repId, weekStart, completion });
  test.each<[string, Partial<AlertInput> & Pick<AlertInput, 'now'>, string[]]>([
    ['39 % in the week that just closed → red, review item, manager and director', { now: nine('2026-11-23'), weeklyResults: [week('r1', '2026-11-16', 0.39)] }, [
      'open weekly_completion:r1:2026-W47 red',
      'review weekly_completion:r1:2026-W47',
      'notify weekly_completion:r1:2026-W47#red manager+director',
    ]],
    ['exactly 40 % is not red', { now: nine('2026-11-23'), weeklyResults: [week('r1', '2026-11-16', 0.4)] }, []],
    ['the current week has not closed', { now: nine('2026-11-27'), weeklyResults: [week('r1', '2026-11-23', 0.1)] }, []],
    ['only the last closed week raises', { now: nine('2026-11-23'), weeklyResults: [week('r1', '2026-11-09', 0.1)] }, []],
    ['any day of the week identifies it', { now: nine('2026-11-23'), weeklyResults: [week('r1', '2026-11-19', 0.2)] }, [
      'open weekly_completion:r1:2026-W47 red',
      'review weekly_completion:r1:2026-W47',
      'notify weekly_completion:r1:2026-W47#red manager+director',
    ]],
    ['duplicate rows: the higher completion counts', { now: nine('2026-11-23'), weeklyResults: [week('r1', '2026-11-16', 0.2), week('r1', '2026-11-16', 0.5)] }, []],
    ['already raised → nothing', { now: nine('2026-11-24'), weeklyResults: [week('r1', '2026-11-16', 0.2)], existing: [row({ rule: 'weekly_completion', anchor: '2026-W47', level: 'red' })] }, []],
    ['a later week at 40 % or more resolves it', { now: nine('2026-11-30'), weeklyResults: [week('r1', '2026-11-16', 0.2), week('r1', '2026-11-23', 0.45)], existing: [row({ rule: 'weekly_completion', anchor: '2026-W47', level: 'red' })] }, [
      'resolve weekly_completion:r1:2026-W47 week_recovered 2026-11-23',
    ]],
    ['Sunday-start weeks in New York', { calendar: NEW_YORK, now: nine('2026-11-22', NEW_YORK), weeklyResults: [week('r1', '2026-11-15', 0.3)] }, [
      'open weekly_completion:r1:2026-W46 red',
      'review weekly_completion:r1:2026-W46',
      'notify weekly_completion:r1:2026-W46#red manager+director',
    ]],
    ['configurable threshold', { now: nine('2026-11-23'), weeklyResults: [week('r1', '2026-11-16', 0.45)], rules: { redWeeklyCompletion: 0.5 } }, [
      'open weekly_completion:r1:2026-W47 red',
      'review weekly_completion:r1:2026-W47',
      'notify weekly_completion:r1:2026-W47#red manager+director',
    ]],
  ])('%s', (_label, input, expected) => {
    expect(summary(evaluate(input))).toEqual(expected);
  });
});

describe('stale key customers (> 7 days silent; orange when ignored 3 more days)', () => {
  const acme = (lastResponse: string | null, extra: Partial<KeyCustomer> = {}): KeyCustomer => ({
    repId: 'r1',
    customerId: 'acme',
    label: 'Acme',
    lastResponseAt: lastResponse === null ? null : Date.parse(lastResponse),
    ...extra,
  });
  const staleRow = (extra: Partial<AlertRow> = {}) =>
    row({ rule: 'stale_customer', customerId: 'acme', anchor: '2026-11-16', openedOn: '2026-11-24', nextAction: 'send_value_follow_up', ...extra });
  test.each<[string, Partial<AlertInput> & Pick<AlertInput, 'now'>, string[]]>([
    ['7 days silent → nothing yet', { now: nine('2026-11-23'), keyCustomers: [acme('2026-11-16T02:00:00Z')] }, []],
    ['8 days silent → alert the rep with a value follow-up', { now: nine('2026-11-24'), keyCustomers: [acme('2026-11-16T02:00:00Z')] }, [
      'open stale_customer:r1/acme:2026-11-16 yellow send_value_follow_up',
      'notify stale_customer:r1/acme:2026-11-16#yellow rep',
    ]],
    ['the local day of the response counts (16:30Z is the next day in Shanghai)', { now: nine('2026-11-24'), keyCustomers: [acme('2026-11-15T16:30:00Z')] }, [
      'open stale_customer:r1/acme:2026-11-16 yellow send_value_follow_up',
      'notify stale_customer:r1/acme:2026-11-16#yellow rep',
    ]],
    ['never responded: silence counts from keySince', { now: nine('2026-11-24'), keyCustomers: [acme(null, { keySince: Date.parse('2026-11-10T02:00:00Z') })] }, [
      'open stale_customer:r1/acme:2026-11-10 yellow send_value_follow_up',
      'notify stale_customer:r1/acme:2026-11-10#yellow rep',
    ]],
    ['no response and no keySince → cannot judge', { now: nine('2026-11-24'), keyCustomers: [acme(null)] }, []],
    ['ignored 2 days → still yellow', { now: nine('2026-11-26'), keyCustomers: [acme('2026-11-16T02:00:00Z')], existing: [staleRow()] }, []],
    ['ignored 3 days → orange with an ROI summary, manager notified', { now: nine('2026-11-27'), keyCustomers: [acme('2026-11-16T02:00:00Z')], existing: [staleRow()] }, [
      'escalate stale_customer:r1/acme:2026-11-16 yellow→orange send_roi_summary',
      'notify stale_customer:r1/acme:2026-11-16#orange rep+manager',
    ]],
    ['acknowledged → not ignored, no escalation', { now: nine('2026-11-30'), keyCustomers: [acme('2026-11-16T02:00:00Z')], existing: [staleRow({ status: 'acknowledged' })] }, []],
    ['the customer responds → resolved', { now: nine('2026-11-27'), keyCustomers: [acme('2026-11-25T02:00:00Z')], existing: [staleRow()] }, [
      'resolve stale_customer:r1/acme:2026-11-16 customer_responded 2026-11-25',
    ]],
    ['no longer a key customer → resolved', { now: nine('2026-11-27'), keyCustomers: [], existing: [staleRow()] }, [
      'resolve stale_customer:r1/acme:2026-11-16 customer_dropped 2026-11-27',
    ]],
    ['ids are encoded in keys', { now: nine('2026-11-24'), keyCustomers: [{ repId: 'r:1', customerId: 'a/b', lastResponseAt: Date.parse('2026-11-16T02:00:00Z') }] }, [
      'open stale_customer:r%3A1/a%2Fb:2026-11-16 yellow send_value_follow_up',
      'notify stale_customer:r%3A1/a%2Fb:2026-11-16#yellow rep',
    ]],
  ])('%s', (_label, input, expected) => {
    expect(summary(evaluate(input))).toEqual(expected);
  });

  test('notification params carry facts, not English', () => {
    const [notification] = evaluate({ now: nine('2026-11-24'), keyCustomers: [acme('2026-11-16T02:00:00Z')] }).notifications;
    expect(notification).toMatchObject({ messageKey: 'alert.stale_customer.yellow', params: { customer: 'Acme', silentDays: 8, action: 'send_value_follow_up' } });
  });
});

describe('rules validation', () => {
  test.each([
    [{ orangeStreak: 2 }],
    [{ yellowStreak: 0 }],
    [{ staleEscalateAfterDays: 0 }],
    [{ redWeeklyCompletion: Number.NaN }],
  ])('rejects %j', (rules) => {
    expect(() => evaluate({ now: nine('2026-11-23'), rules })).toThrow(RangeError);
  });
});

// ---- properties ------------------------------------------------------------------------------------------------------

const REPS = ['r1', 'r2', 'r3'];
const CUSTOMERS = ['c1', 'c2'];
const BASE_DAY = '2026-02-01';
const dayArb = (from: number, to: number) => fc.integer({ min: from, max: to }).map((n) => shiftDay(BASE_DAY, n));

const scenarioArb = fc.record({
  calendar: fc.constantFrom(DEFAULT_CALENDAR, SHANGHAI_2026, NEW_YORK),
  nowDay: fc.integer({ min: 14, max: 40 }),
  nowHour: fc.integer({ min: 0, max: 23 }),
  // One dense history per rep (below-heavy so streaks happen), plus stray duplicate rows that may contradict it.
  histories: fc.tuple(...REPS.map(() => fc.array(fc.constantFrom('below', 'below', 'below', 'meets', 'missing'), { minLength: 43, maxLength: 43 }))),
  duplicates: fc.array(fc.record({ repId: fc.constantFrom(...REPS), day: dayArb(0, 42), result: fc.constantFrom('meets' as const, 'below' as const) }), { maxLength: 12, size: 'medium' }),
  weekly: fc.array(fc.record({ repId: fc.constantFrom(...REPS), weekStart: dayArb(0, 42), completion: fc.constantFrom(0, 0.2, 0.39, 0.4, 0.41, 0.8, 1.2) }), { maxLength: 12, size: 'medium' }),
  customers: fc.array(
    fc.record({
      repId: fc.constantFrom(...REPS),
      customerId: fc.constantFrom(...CUSTOMERS),
      lastResponseAt: fc.option(fc.integer({ min: 0, max: 42 * 24 }).map((h) => Date.parse(`${BASE_DAY}T00:00:00Z`) + h * 3_600_000), { nil: null }),
      keySince: fc.option(fc.constant(Date.parse('2026-01-20T00:00:00Z')), { nil: null }),
    }),
    { maxLength: 6, size: 'medium' },
  ),
  // Earlier cron runs (days before now) build a realistic history; then some alerts are acknowledged or resolved by hand.
  earlierRuns: fc.uniqueArray(fc.integer({ min: 1, max: 6 }), { maxLength: 4 }),
  handled: fc.array(fc.tuple(fc.nat(), fc.constantFrom('acknowledged' as const, 'resolved' as const)), { maxLength: 4 }),
  // Plus arbitrary stored rows (possibly inconsistent with the data).
  arbitrary: fc.array(
    fc.record({
      rule: fc.constantFrom('kpi_streak' as const, 'weekly_completion' as const, 'stale_customer' as const),
      repId: fc.constantFrom(...REPS),
      customerId: fc.constantFrom(...CUSTOMERS),
      anchorDay: dayArb(0, 40),
      level: fc.constantFrom('yellow' as const, 'orange' as const, 'red' as const),
      status: fc.constantFrom('open' as const, 'acknowledged' as const, 'resolved' as const),
      openedOffset: fc.integer({ min: 0, max: 5 }),
    }),
    { maxLength: 4 },
  ),
  order: fc.func(fc.integer()),
});

type Scenario = typeof scenarioArb extends fc.Arbitrary<infer T> ? T : never;

function buildInput(s: Scenario): AlertInput {
  const cal = s.calendar;
  const now = startOfLocalDay(shiftDay(BASE_DAY, s.nowDay), cal).getTime() + s.nowHour * 3_600_000;
  const dailyResults: DailyResult[] = [
    ...s.histories.flatMap((history, r) =>
      history.flatMap((result, n) => (result === 'missing' ? [] : [{ repId: REPS[r]!, day: shiftDay(BASE_DAY, n), result: result as 'meets' | 'below' }])),
    ),
    ...s.duplicates,
  ];
  const base = { calendar: cal, dailyResults, weeklyResults: s.weekly, keyCustomers: s.customers };
  let existing: AlertRow[] = s.arbitrary.map((a) => {
    const customerId = a.rule === 'stale_customer' ? a.customerId : null;
    const anchor = a.rule === 'weekly_completion' ? weekKeyOf(a.anchorDay, cal) : a.anchorDay;
    return {
      key: alertKey(a.rule, a.repId, anchor, customerId),
      rule: a.rule,
      repId: a.repId,
      customerId,
      anchor,
      level: a.level,
      status: a.status,
      openedOn: shiftDay(a.anchorDay, a.openedOffset),
      resolvedOn: a.status === 'resolved' ? shiftDay(a.anchorDay, a.openedOffset) : null,
      seniorHelp: false,
      nextAction: null,
    };
  });
  for (const daysBefore of [...s.earlierRuns].sort((a, b) => b - a)) {
    const earlier = now - daysBefore * 86_400_000;
    existing = applyAlertEvaluation(existing, evaluateAlerts({ ...base, now: earlier, existing }), localDay(earlier, cal));
  }
  for (const [index, status] of s.handled) {
    const target = existing[index % Math.max(existing.length, 1)];
    if (target && target.status !== 'resolved') existing = existing.map((r) => (r === target ? { ...r, status, resolvedOn: status === 'resolved' ? localDay(now, cal) : null } : r));
  }
  return { ...base, now, existing };
}

const weekKeyOf = (day: string, cal: OrgCalendar) => periodContaining('week', day, cal).key;

describe('alert evaluation properties', () => {
  test('idempotent: applying the output and evaluating again at the same instant changes nothing', () => {
    const seen = new Map<string, number>();
    fc.assert(
      fc.property(scenarioArb, (scenario) => {
        const input = buildInput(scenario);
        const first = evaluateAlerts(input);
        for (const line of new Set(summary(first).map((l) => l.split(' ').slice(0, 2).join(' ').replace(/:.*/, '')))) seen.set(line, (seen.get(line) ?? 0) + 1);
        const applied = applyAlertEvaluation(input.existing, first, localDay(input.now, input.calendar));
        const second = evaluateAlerts({ ...input, existing: applied });
        expect(summary(second)).toEqual([]);
        expect(isEmptyEvaluation(second)).toBe(true);
        // and applying the first output twice gives the same rows
        expect(applyAlertEvaluation(applied, first, localDay(input.now, input.calendar))).toEqual(applied);
      }),
      { numRuns: 1000 },
    );
    // The generator must actually exercise every step of the ladder, or the property says nothing.
    for (const step of ['open kpi_streak', 'escalate kpi_streak', 'resolve kpi_streak', 'open weekly_completion', 'resolve weekly_completion', 'open stale_customer', 'escalate stale_customer', 'resolve stale_customer', 'coach kpi_streak', 'review weekly_completion']) {
      expect(seen.get(step) ?? 0, step).toBeGreaterThan(10);
    }
  });

  test('order-independent: shuffling every input list gives the same output', () => {
    fc.assert(
      fc.property(scenarioArb, (scenario) => {
        const input = buildInput(scenario);
        const shuffle = <T>(list: readonly T[]) =>
          list.map((item, i) => ({ item, rank: scenario.order(JSON.stringify(item) + i) })).sort((a, b) => a.rank - b.rank).map((x) => x.item);
        const reordered: AlertInput = {
          ...input,
          dailyResults: shuffle(input.dailyResults),
          weeklyResults: shuffle(input.weeklyResults),
          keyCustomers: shuffle(input.keyCustomers),
          existing: shuffle(input.existing),
        };
        expect(evaluateAlerts(reordered)).toEqual(evaluateAlerts(input));
        expect(evaluateAlerts({ ...input, dailyResults: [...input.dailyResults].reverse(), existing: [...input.existing].reverse() })).toEqual(evaluateAlerts(input));
      }),
      { numRuns: 1000 },
    );
  });

  test('one streak never yields two alerts, and every produced key is unique', () => {
    fc.assert(
      fc.property(scenarioArb, (scenario) => {
        const input = buildInput(scenario);
        const result = evaluateAlerts(input);
        const existingKeys = new Set(input.existing.map((r) => r.key));
        for (const list of [result.open, result.escalate, result.resolve, result.coachingTasks, result.reviewItems, result.notifications]) {
          const keys = list.map((x) => x.key);
          expect(new Set(keys).size).toBe(keys.length);
        }
        for (const opened of result.open) expect(existingKeys.has(opened.key)).toBe(false);
        const kpiOpen = result.open.filter((a) => a.rule === 'kpi_streak').map((a) => a.repId);
        expect(new Set(kpiOpen).size).toBe(kpiOpen.length);
      }),
      { numRuns: 1000 },
    );
  });
});
