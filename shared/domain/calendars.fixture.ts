/**
 * Test data only (not exported from index.ts): calendars used by the domain tests.
 *
 * SHANGHAI_2026 is an illustrative 2026 holiday schedule in the style of the State Council's annual notice (chosen for the
 * tests, not an official list): holidays move weekdays off and make-up Saturdays/Sundays (调休) become working days.
 */
import type { OrgCalendar } from './calendar';

export const SHANGHAI_2026: OrgCalendar = {
  timeZone: 'Asia/Shanghai',
  weekStartsOn: 1,
  workingWeekdays: [1, 2, 3, 4, 5],
  holidays: [
    // New Year: Thu 1 – Fri 2 January
    '2026-01-01', '2026-01-02',
    // Spring Festival: Mon 16 – Mon 23 February (weekdays off)
    '2026-02-16', '2026-02-17', '2026-02-18', '2026-02-19', '2026-02-20', '2026-02-23',
    // Labour Day: Fri 1, Mon 4, Tue 5 May
    '2026-05-01', '2026-05-04', '2026-05-05',
    // National Day: Thu 1 – Wed 7 October (weekdays off)
    '2026-10-01', '2026-10-02', '2026-10-05', '2026-10-06', '2026-10-07',
  ],
  makeupWorkdays: [
    '2026-01-04', // Sunday
    '2026-02-14', // Saturday
    '2026-02-28', // Saturday
    '2026-05-09', // Saturday
    '2026-09-27', // Sunday
    '2026-10-10', // Saturday
  ],
};

export const NEW_YORK: OrgCalendar = {
  timeZone: 'America/New_York',
  weekStartsOn: 0,
  workingWeekdays: [1, 2, 3, 4, 5],
  holidays: ['2026-11-26'], // Thanksgiving
  makeupWorkdays: [],
};

export const BERLIN: OrgCalendar = {
  timeZone: 'Europe/Berlin',
  weekStartsOn: 1,
  workingWeekdays: [1, 2, 3, 4, 5],
  holidays: ['2026-12-25', '2026-12-26'],
  makeupWorkdays: [],
};
