import { localDay, previousWorkingDay, startOfLocalDay, periodContaining, workingDaysIn, type OrgCalendar } from "../../shared/domain/calendar";
import { shiftDay } from "../../shared/domain/day";
import { DEFAULT_KPI_BY_SENIORITY } from "../../shared/domain/kpi";
import { BEHAVIOUR_KINDS, type Seniority } from "../../shared/domain/kinds";
import { PAIRING_ALPHABET, PAIRING_CODE_LENGTH } from "../../shared/schemas/pairing";
import { randomCode, sha256Hex } from "../auth/crypto";

/**
 * The demo org: Asia/Shanghai, zh-CN, one department with one team, a manager and three
 * reps of different seniority, revenue targets, and two weeks of activities. Built as
 * plain SQL statements so the same seed runs through `wrangler d1 execute` (npm run seed)
 * and through env.DB in workerd tests.
 */

export const DEMO_ORG_ID = "org_demo";
export const DEMO_CALENDAR: OrgCalendar = {
  timeZone: "Asia/Shanghai",
  weekStartsOn: 1,
  workingWeekdays: [1, 2, 3, 4, 5],
  holidays: [],
  makeupWorkdays: [],
};

export interface DemoUser {
  id: string;
  name: string;
  role: "rep" | "manager" | "admin";
  seniority: Seniority;
  /** How the demo rep behaves: share of KPI minimums reached on a typical day. */
  diligence: number;
}

export const DEMO_USERS: DemoUser[] = [
  { id: "usr_demo_admin", name: "Zhou Min", role: "admin", seniority: "senior", diligence: 0 },
  { id: "usr_demo_manager", name: "Wang Fang", role: "manager", seniority: "senior", diligence: 0 },
  { id: "usr_demo_li", name: "Li Lei", role: "rep", seniority: "junior", diligence: 1.15 },
  { id: "usr_demo_chen", name: "Chen Jing", role: "rep", seniority: "mid", diligence: 0.95 },
  { id: "usr_demo_zhang", name: "Zhang Wei", role: "rep", seniority: "senior", diligence: 0.6 },
];

/** Last year's revenue in minor units (fen): 12,000,000.00 CNY. */
export const DEMO_LAST_YEAR_REVENUE = 1_200_000_000;
export const DEMO_GROWTH_PERCENT = 10;
/** Demo codes live a day so a newcomer has time to use them (API-created codes live 10 minutes). */
export const DEMO_CODE_TTL_MS = 24 * 60 * 60 * 1000;

export interface SeedCode {
  userId: string;
  name: string;
  role: string;
  code: string;
}

export interface Seed {
  statements: string[];
  codes: SeedCode[];
}

function lit(value: string | number | null): string {
  if (value === null) return "NULL";
  if (typeof value === "number") return String(value);
  return `'${value.replace(/'/g, "''")}'`;
}

function insert(table: string, row: Record<string, string | number | null>): string {
  const cols = Object.keys(row);
  return `INSERT INTO ${table} (${cols.join(", ")}) VALUES (${cols.map((c) => lit(row[c] ?? null)).join(", ")})`;
}

/** Deterministic PRNG (mulberry32) so the demo data is the same on every machine. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Fresh one-time pairing codes for the demo users (stored hashed). */
export async function buildPairingCodes(
  now: number,
  users: Pick<DemoUser, "id" | "name" | "role">[] = DEMO_USERS,
  orgId = DEMO_ORG_ID,
  options: { ttlMs?: number; createdBy?: string } = {},
): Promise<Seed> {
  const statements: string[] = [];
  const codes: SeedCode[] = [];
  for (const u of users) {
    const code = randomCode(PAIRING_ALPHABET, PAIRING_CODE_LENGTH);
    statements.push(
      insert("pairing_codes", {
        code_hash: await sha256Hex(code),
        org_id: orgId,
        user_id: u.id,
        created_by: options.createdBy ?? "seed",
        expires_at: now + (options.ttlMs ?? DEMO_CODE_TTL_MS),
        created_at: now,
      }),
    );
    codes.push({ userId: u.id, name: u.name, role: u.role, code });
  }
  return { statements, codes };
}

export interface OrgBootstrap {
  orgId: string;
  orgName: string;
  timeZone: string;
  language: "en" | "zh-CN" | "zh-TW";
  admin: { id: string; name: string; email: string | null };
}

/**
 * The first admin of a new org (npm run bootstrap): the org with the default calendar and settings, its admin, and a
 * one-time pairing code for the admin (10 minutes, stored hashed). The org row comes first and is the guard: the
 * other rows are written only beside the org row this very call creates (same name and creation instant), so if the
 * org id is taken nothing else is written — even where the statements do not run as one transaction.
 */
export async function buildOrgBootstrap(b: OrgBootstrap, now: number, codeTtlMs: number): Promise<Seed & { code: string; expiresAt: number }> {
  const guard = `WHERE EXISTS (SELECT 1 FROM orgs WHERE id = ${lit(b.orgId)} AND name = ${lit(b.orgName)} AND created_at = ${now})`;
  const insertGuarded = (table: string, row: Record<string, string | number | null>) => {
    const cols = Object.keys(row);
    return `INSERT INTO ${table} (${cols.join(", ")}) SELECT ${cols.map((c) => lit(row[c] ?? null)).join(", ")} ${guard}`;
  };
  const code = randomCode(PAIRING_ALPHABET, PAIRING_CODE_LENGTH);
  const statements = [
    insert("orgs", {
      id: b.orgId,
      name: b.orgName,
      time_zone: b.timeZone,
      week_starts_on: 1,
      working_weekdays: "[1,2,3,4,5]",
      holidays: "[]",
      makeup_workdays: "[]",
      language: b.language,
      settings: "{}",
      created_at: now,
    }),
    insertGuarded("users", {
      id: b.admin.id,
      org_id: b.orgId,
      team_id: null,
      name: b.admin.name,
      email: b.admin.email,
      role: "admin",
      seniority: "mid",
      manager_id: null,
      ramp_percent: 100,
      active: 1,
      created_at: now,
    }),
    insertGuarded("pairing_codes", {
      code_hash: await sha256Hex(code),
      org_id: b.orgId,
      user_id: b.admin.id,
      created_by: "bootstrap",
      expires_at: now + codeTtlMs,
      created_at: now,
    }),
  ];
  return { statements, codes: [{ userId: b.admin.id, name: b.admin.name, role: "admin", code }], code, expiresAt: now + codeTtlMs };
}

/** Equal split in integer minor units; the first parts take the remainder so parts sum to the whole. */
function splitEqually(total: number, parts: number): number[] {
  const base = Math.floor(total / parts);
  return Array.from({ length: parts }, (_, i) => base + (i < total - base * parts ? 1 : 0));
}

export async function buildDemoSeed(now: number): Promise<Seed> {
  const cal = DEMO_CALENDAR;
  const s: string[] = [];
  // Two weeks of activities on the closed working days before today. The cron has not evaluated them yet, so the
  // first scheduled run (npm run cron) catches up and produces the demo's alerts, tasks and awards.
  const days: string[] = [];
  for (let i = 0, day = localDay(now, cal); i < 10; i++) {
    day = previousWorkingDay(day, cal);
    days.unshift(day);
  }
  s.push(
    insert("orgs", {
      id: DEMO_ORG_ID,
      name: "Acme Sales (Demo)",
      time_zone: cal.timeZone,
      week_starts_on: cal.weekStartsOn,
      working_weekdays: JSON.stringify(cal.workingWeekdays),
      holidays: "[]",
      makeup_workdays: "[]",
      language: "zh-CN",
      settings: "{}",
      evaluated_through: shiftDay(days[0]!, -1),
      created_at: now,
    }),
  );
  s.push(insert("teams", { id: "team_demo_sales", org_id: DEMO_ORG_ID, parent_id: null, name: "Sales", kind: "department", leader_id: "usr_demo_admin", created_at: now }));
  s.push(insert("teams", { id: "team_demo_east", org_id: DEMO_ORG_ID, parent_id: "team_demo_sales", name: "East China", kind: "team", leader_id: "usr_demo_manager", created_at: now }));
  const today = localDay(now, cal);
  const hire = "2024-03-01";
  for (const u of DEMO_USERS) {
    s.push(
      insert("users", {
        id: u.id,
        org_id: DEMO_ORG_ID,
        team_id: u.role === "admin" ? "team_demo_sales" : "team_demo_east",
        name: u.name,
        email: `${u.id.replace("usr_demo_", "")}@demo.example`,
        role: u.role,
        seniority: u.seniority,
        manager_id: u.role === "rep" ? "usr_demo_manager" : u.role === "manager" ? "usr_demo_admin" : null,
        hire_date: hire,
        ramp_percent: 100,
        active: 1,
        created_at: now,
      }),
    );
  }

  // Targets: org year = last year × (1 + growth); month = year / 12; each rep an equal share of the month.
  const year = periodContaining("year", today, cal);
  const month = periodContaining("month", today, cal);
  const yearAmount = (DEMO_LAST_YEAR_REVENUE * (100 + DEMO_GROWTH_PERCENT)) / 100;
  const monthAmount = yearAmount / 12;
  const reps = DEMO_USERS.filter((u) => u.role === "rep");
  s.push(
    insert("targets", {
      id: "tgt_demo_org_year",
      org_id: DEMO_ORG_ID,
      scope: "org",
      subject_id: DEMO_ORG_ID,
      metric: "revenue",
      period_kind: "year",
      period_key: year.key,
      period_start: year.start,
      period_end: year.end,
      level: "base",
      amount: yearAmount,
      version: 1,
      created_at: now,
      updated_at: now,
    }),
  );
  s.push(insert("target_versions", { id: "tv_demo_org_year_1", org_id: DEMO_ORG_ID, target_id: "tgt_demo_org_year", version: 1, amount: yearAmount, reason: `Last year ${DEMO_LAST_YEAR_REVENUE} + ${DEMO_GROWTH_PERCENT}%`, author_id: "usr_demo_admin", created_at: now }));
  splitEqually(monthAmount, reps.length).forEach((amount, i) => {
    const rep = reps[i]!;
    const id = `tgt_demo_${rep.id}_${month.key}`;
    s.push(
      insert("targets", {
        id,
        org_id: DEMO_ORG_ID,
        scope: "rep",
        subject_id: rep.id,
        metric: "revenue",
        period_kind: "month",
        period_key: month.key,
        period_start: month.start,
        period_end: month.end,
        level: "base",
        amount,
        version: 1,
        created_at: now,
        updated_at: now,
      }),
    );
    s.push(insert("target_versions", { id: `tv_${id}_1`, org_id: DEMO_ORG_ID, target_id: id, version: 1, amount, reason: "Equal share of the org's month", author_id: "usr_demo_manager", created_at: now }));
  });

  const random = mulberry32(20261123);
  const inMonth = new Set(workingDaysIn(month, cal));
  let n = 0;
  for (const rep of reps) {
    const minimums = DEFAULT_KPI_BY_SENIORITY[rep.seniority];
    for (const d of days) {
      const dayStart = startOfLocalDay(d, cal).getTime();
      const rows: string[] = [];
      for (const kind of BEHAVIOUR_KINDS) {
        const count = Math.max(0, Math.round(minimums[kind] * rep.diligence + (random() - 0.5) * 2));
        for (let k = 0; k < count; k++) {
          const at = dayStart + (9 * 60 + Math.floor(random() * 9 * 60)) * 60_000;
          rows.push(`(${lit(DEMO_ORG_ID)}, ${lit(rep.id)}, ${lit(seedUuid(++n))}, ${lit(kind)}, ${at}, ${lit(d)}, NULL, NULL, 'api', ${now})`);
        }
      }
      // Some deals close: a won event with an amount on about one day in four.
      if (random() < 0.25 * rep.diligence && inMonth.has(d)) {
        const amount = Math.round((5_000_00 + random() * 60_000_00) * rep.diligence);
        rows.push(`(${lit(DEMO_ORG_ID)}, ${lit(rep.id)}, ${lit(seedUuid(++n))}, 'won', ${dayStart + 15 * 3_600_000}, ${lit(d)}, ${amount}, 'Demo customer', 'api', ${now})`);
      }
      if (rows.length)
        s.push(`INSERT INTO activities (org_id, user_id, client_event_id, kind, occurred_at, day, amount, customer, source, created_at) VALUES ${rows.join(", ")}`);
    }
  }

  const codes = await buildPairingCodes(now);
  return { statements: [...s, ...codes.statements], codes: codes.codes };
}

/** Stable UUID-shaped ids for seeded events (v4 layout, deterministic). */
function seedUuid(n: number): string {
  const hex = n.toString(16).padStart(12, "0");
  return `5eed0000-0000-4000-8000-${hex}`;
}
