import { useEffect, useRef, useState } from "preact/hooks";
import { daysInMonth, formatDay, shiftDay, weekdayOf } from "../../../shared/domain/day";
import { t, locale } from "./t";

/**
 * A month of the org's calendar: working days, weekends, holidays and make-up working days (调休). Clicking (or
 * Space/Enter on) a day toggles its exception: a working weekday becomes a holiday and back, a day off becomes a
 * make-up working day and back. Arrow keys move between days (one tab stop for the grid), PageUp/PageDown by month.
 */
export interface CalendarProps {
  /** YYYY-MM shown. */
  month: string;
  onMonth: (month: string) => void;
  weekStartsOn: number;
  workingWeekdays: readonly number[];
  holidays: readonly string[];
  makeupWorkdays: readonly string[];
  onToggle: (day: string) => void;
}

export type DayKind = "working" | "off" | "holiday" | "makeup";

export function dayKind(day: string, p: Pick<CalendarProps, "workingWeekdays" | "holidays" | "makeupWorkdays">): DayKind {
  if (p.makeupWorkdays.includes(day)) return "makeup";
  if (p.holidays.includes(day)) return "holiday";
  return p.workingWeekdays.includes(weekdayOf(day)) ? "working" : "off";
}

/** The calendar's exceptions after toggling `day`. */
export function toggleDay(
  day: string,
  p: Pick<CalendarProps, "workingWeekdays" | "holidays" | "makeupWorkdays">,
): { holidays: string[]; makeupWorkdays: string[] } {
  const holidays = p.holidays.filter((d) => d !== day);
  const makeupWorkdays = p.makeupWorkdays.filter((d) => d !== day);
  const kind = dayKind(day, p);
  if (kind === "working") holidays.push(day);
  if (kind === "off") makeupWorkdays.push(day);
  return { holidays: holidays.sort(), makeupWorkdays: makeupWorkdays.sort() };
}

export function shiftMonth(month: string, by: number): string {
  const [y, m] = month.split("-").map(Number) as [number, number];
  const index = y * 12 + (m - 1) + by;
  return `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, "0")}`;
}

export function MonthCalendar(props: CalendarProps) {
  const [y, m] = props.month.split("-").map(Number) as [number, number];
  const first = formatDay(y, m, 1);
  const length = daysInMonth(y, m);
  const lead = (weekdayOf(first) - props.weekStartsOn + 7) % 7;
  const [focusDay, setFocusDay] = useState(first);
  const grid = useRef<HTMLDivElement>(null);
  const wantFocus = useRef(false);
  const active = focusDay.startsWith(props.month) ? focusDay : first;

  useEffect(() => {
    if (!wantFocus.current) return;
    wantFocus.current = false;
    grid.current?.querySelector<HTMLButtonElement>(`[data-day="${active}"]`)?.focus();
  });

  const weekdayName = (w: number, style: "short" | "long") =>
    new Intl.DateTimeFormat(locale(), { weekday: style, timeZone: "UTC" }).format(new Date(Date.UTC(2023, 0, 1 + w)));
  const monthName = new Intl.DateTimeFormat(locale(), { year: "numeric", month: "long", timeZone: "UTC" }).format(new Date(Date.UTC(y, m - 1, 1)));
  const dayLabel = (day: string) =>
    new Intl.DateTimeFormat(locale(), { dateStyle: "full", timeZone: "UTC" }).format(new Date(`${day}T00:00:00Z`));

  function move(day: string) {
    wantFocus.current = true;
    setFocusDay(day);
    if (!day.startsWith(props.month)) props.onMonth(day.slice(0, 7));
  }

  function onKey(e: KeyboardEvent, day: string) {
    const by: Record<string, number> = { ArrowLeft: -1, ArrowRight: 1, ArrowUp: -7, ArrowDown: 7 };
    if (e.key in by) {
      e.preventDefault();
      move(shiftDay(day, by[e.key]!));
    } else if (e.key === "PageUp" || e.key === "PageDown") {
      e.preventDefault();
      const target = shiftMonth(props.month, e.key === "PageUp" ? -1 : 1);
      move(`${target}-01`);
    }
  }

  const cells: (string | null)[] = [...Array.from({ length: lead }, () => null), ...Array.from({ length }, (_, i) => formatDay(y, m, i + 1))];
  while (cells.length % 7 !== 0) cells.push(null);

  return (
    <div class="calendar" data-testid="calendar">
      <div class="calendar-head">
        <button type="button" class="btn btn-plain" aria-label={t("console.calendar.previous")} onClick={() => props.onMonth(shiftMonth(props.month, -1))}>
          ‹
        </button>
        <strong aria-live="polite" data-testid="calendar-month">
          {monthName}
        </strong>
        <button type="button" class="btn btn-plain" aria-label={t("console.calendar.next")} onClick={() => props.onMonth(shiftMonth(props.month, 1))}>
          ›
        </button>
      </div>
      <div class="calendar-grid" role="grid" aria-label={monthName} ref={grid}>
        <div role="row" class="calendar-row">
          {Array.from({ length: 7 }, (_, i) => (props.weekStartsOn + i) % 7).map((w) => (
            <span role="columnheader" class="calendar-weekday" key={w} aria-label={weekdayName(w, "long")}>
              {weekdayName(w, "short")}
            </span>
          ))}
        </div>
        {Array.from({ length: cells.length / 7 }, (_, row) => (
          <div role="row" class="calendar-row" key={row}>
            {cells.slice(row * 7, row * 7 + 7).map((day, i) => {
              if (!day) return <span role="gridcell" class="calendar-empty" key={`e${i}`} />;
              const kind = dayKind(day, props);
              return (
                <span role="gridcell" key={day}>
                  <button
                    type="button"
                    class={`calendar-day day-${kind}`}
                    data-day={day}
                    data-kind={kind}
                    tabIndex={day === active ? 0 : -1}
                    aria-pressed={kind === "holiday" || kind === "makeup"}
                    aria-label={`${dayLabel(day)}: ${t(`console.calendar.${kind}`)}`}
                    title={t(`console.calendar.${kind}`)}
                    onClick={() => {
                      setFocusDay(day);
                      props.onToggle(day);
                    }}
                    onKeyDown={(e) => onKey(e, day)}
                  >
                    {Number(day.slice(8))}
                  </button>
                </span>
              );
            })}
          </div>
        ))}
      </div>
      <ul class="calendar-legend">
        {(["working", "off", "holiday", "makeup"] as const).map((kind) => (
          <li key={kind}>
            <span class={`swatch day-${kind}`} aria-hidden="true" /> {t(`console.calendar.${kind}`)}
          </li>
        ))}
      </ul>
      <p class="muted small">{t("console.calendar.help")}</p>
    </div>
  );
}
