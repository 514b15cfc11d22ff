import type { OrgCalendar, Weekday } from "../../shared/domain/calendar";
import { orgSettings } from "../settings";
import type { Language } from "../notify/templates";
import { evaluationWindow, RESOLVED_LOOKBACK_DAYS, type OrgFacts, type OrgRow } from "./plan";

/**
 * The cron's reads for one org: one db.batch of READ_STATEMENTS set-based statements, whatever the number of reps
 * (GROUP BY rep and day, never one query per rep). The window comes from the org row, so the org is read first
 * (by the run's org list, or by `loadOrgRow` for a queue message).
 */
export const READ_STATEMENTS = 10;

interface OrgRecord {
  id: string;
  name: string;
  language: string;
  time_zone: string;
  week_starts_on: number;
  working_weekdays: string;
  holidays: string;
  makeup_workdays: string;
  settings: string;
  evaluated_through: string | null;
}

export const ORG_COLUMNS = "id, name, language, time_zone, week_starts_on, working_weekdays, holidays, makeup_workdays, settings, evaluated_through";

export function toOrgRow(r: OrgRecord): OrgRow {
  const calendar: OrgCalendar = {
    timeZone: r.time_zone,
    weekStartsOn: r.week_starts_on as Weekday,
    workingWeekdays: JSON.parse(r.working_weekdays) as Weekday[],
    holidays: JSON.parse(r.holidays) as string[],
    makeupWorkdays: JSON.parse(r.makeup_workdays) as string[],
  };
  return {
    id: r.id,
    name: r.name,
    language: r.language as Language,
    calendar,
    settings: orgSettings(JSON.parse(r.settings) as Record<string, unknown>),
    evaluatedThrough: r.evaluated_through,
  };
}

export async function loadOrgRow(db: D1Database, orgId: string): Promise<OrgRow | null> {
  const row = await db.prepare(`SELECT ${ORG_COLUMNS} FROM orgs WHERE id = ?`).bind(orgId).first<OrgRecord>();
  return row ? toOrgRow(row) : null;
}

export async function loadOrgRows(db: D1Database): Promise<OrgRow[]> {
  const { results } = await db.prepare(`SELECT ${ORG_COLUMNS} FROM orgs ORDER BY id`).all<OrgRecord>();
  return results.map(toOrgRow);
}

const json = (v: unknown) => (typeof v === "string" ? (JSON.parse(v) as Record<string, unknown>) : {});

/** Loads everything `planOrg` needs for `org` at `now`, in one round trip. */
export async function loadOrgFacts(db: D1Database, org: OrgRow, now: number): Promise<OrgFacts> {
  const w = evaluationWindow(org.calendar, org.evaluatedThrough, now);
  const id = org.id;
  const periodKeys = w.tierPeriods.map((p) => p.key);
  // Runs that close no day (95 of 96 a day) evaluate tiers only: the day-close facts are not read (`? = 1` is false).
  const closes = w.days.length > 0 ? 1 : 0;
  const firstTargetDay = w.from < w.revenueFrom ? w.from : w.revenueFrom;
  const statements = [
    db.prepare(
      `SELECT id, name, role, seniority, ramp_percent AS rampPercent, team_id AS teamId, manager_id AS managerId, hire_date AS hireDate, created_at AS createdAt
         FROM users WHERE org_id = ? AND active = 1`,
    ).bind(id),
    db.prepare(`SELECT id, parent_id AS parentId, name, leader_id AS leaderId FROM teams WHERE org_id = ?`).bind(id),
    db.prepare(
      `SELECT user_id AS userId, day,
              SUM(kind = 'touch') AS touch, SUM(kind = 'needs_confirmed') AS needs_confirmed,
              SUM(kind = 'proposal_sent') AS proposal_sent, SUM(kind = 'demo_or_visit') AS demo_or_visit,
              SUM(CASE WHEN kind = 'won' THEN COALESCE(amount, 0) ELSE 0 END) AS won
         FROM activities
        WHERE org_id = ? AND ? = 1 AND day >= ? AND day <= ? AND deleted_at IS NULL
        GROUP BY user_id, day`,
    ).bind(id, closes, w.from, w.today),
    db.prepare(
      `SELECT user_id AS userId, substr(day, 1, 7) AS month, SUM(COALESCE(amount, 0)) AS amount
         FROM activities
        WHERE org_id = ? AND day >= ? AND day <= ? AND kind = 'won' AND deleted_at IS NULL
        GROUP BY user_id, month`,
    ).bind(id, w.revenueFrom, w.today),
    db.prepare(
      `SELECT subject_id AS userId, period_kind AS periodKind, period_key AS periodKey, period_start AS periodStart, period_end AS periodEnd, amount
         FROM targets
        WHERE org_id = ? AND scope = 'rep' AND metric = 'revenue' AND level = 'base'
          AND period_kind IN ('week', 'month', 'quarter', 'year') AND period_end >= ? AND period_start <= ?`,
    ).bind(id, firstTargetDay, w.today),
    db.prepare(
      `SELECT user_id AS userId, rule, natural_key AS naturalKey, level, status, details, opened_at AS openedAt, resolved_at AS resolvedAt
         FROM alerts WHERE org_id = ? AND ? = 1 AND (status <> 'resolved' OR resolved_at >= ?)`,
    ).bind(id, closes, now - RESOLVED_LOOKBACK_DAYS * 86_400_000),
    db.prepare(`SELECT id, user_id AS userId, label, last_response_at AS lastResponseAt, created_at AS createdAt FROM key_customers WHERE org_id = ? AND ? = 1`).bind(id, closes),
    db.prepare(
      `SELECT natural_key AS naturalKey FROM awards WHERE org_id = ? AND kind = 'tier' AND period_key IN (${periodKeys.map(() => "?").join(", ")})`,
    ).bind(id, ...periodKeys),
    db.prepare(`SELECT user_id AS userId, COUNT(*) AS n FROM coaching_tasks WHERE org_id = ? AND ? = 1 AND status = 'open' GROUP BY user_id`).bind(id, closes),
    db.prepare(`SELECT id, team_id AS teamId FROM notification_channels WHERE org_id = ? AND enabled = 1`).bind(id),
  ];
  const [people, teams, days, monthRevenue, targets, alerts, customers, tierAwards, openTasks, channels] = await db.batch(statements);
  const rows = <T>(r: D1Result | undefined) => (r?.results ?? []) as T[];
  return {
    org,
    people: rows<OrgFacts["people"][number]>(people),
    teams: rows<OrgFacts["teams"][number]>(teams),
    days: rows<OrgFacts["days"][number]>(days),
    monthRevenue: rows<OrgFacts["monthRevenue"][number]>(monthRevenue),
    targets: rows<OrgFacts["targets"][number]>(targets),
    alerts: rows<Omit<OrgFacts["alerts"][number], "details"> & { details: string }>(alerts).map((a) => ({ ...a, details: json(a.details) })),
    customers: rows<OrgFacts["customers"][number]>(customers),
    tierAwardKeys: rows<{ naturalKey: string }>(tierAwards).map((a) => a.naturalKey),
    openTasks: rows<OrgFacts["openTasks"][number]>(openTasks),
    channels: rows<OrgFacts["channels"][number]>(channels),
  };
}
