import { and, asc, eq, gte, inArray, isNull, lte, or, sql, type SQL } from "drizzle-orm";
import type { BatchItem } from "drizzle-orm/batch";
import type { AuthContext } from "../../auth/context";
import { newId } from "../../auth/crypto";
import { scopedUserIds, teamScope, userScope } from "../../auth/scope";
import type { Db } from "../client";
import { activities, targets, targetVersions, teams, users } from "../schema";

export type TargetScope = "org" | "team" | "rep";
export type TargetRow = typeof targets.$inferSelect;

export const targetColumns = {
  id: targets.id,
  scope: targets.scope,
  subjectId: targets.subjectId,
  metric: targets.metric,
  periodKind: targets.periodKind,
  periodKey: targets.periodKey,
  periodStart: targets.periodStart,
  periodEnd: targets.periodEnd,
  level: targets.level,
  amount: targets.amount,
  version: targets.version,
  createdAt: targets.createdAt,
  updatedAt: targets.updatedAt,
};

/**
 * Targets the caller may read, a condition on `targets`: the org's own targets, team targets of teams in the caller's
 * scope, rep targets of users in it. So a rep sees their own, their team's and the org's; a manager or director those of
 * their scope; an admin all of the org.
 */
export function visibleTargets(db: Db, auth: AuthContext): SQL {
  const inOrg = eq(targets.orgId, auth.org.id);
  if (auth.user.role === "admin") return inOrg;
  return and(
    inOrg,
    or(
      and(eq(targets.scope, "org"), eq(targets.subjectId, auth.org.id)),
      and(eq(targets.scope, "team"), inArray(targets.subjectId, db.select({ id: teams.id }).from(teams).where(teamScope(auth)))),
      and(eq(targets.scope, "rep"), inArray(targets.subjectId, scopedUserIds(db, auth))),
    ),
  )!;
}

export type SubjectAccess = "write" | "read" | "none";

/**
 * May the caller write targets on a subject they can see? Admin: everything in the org. Managers and directors: the
 * teams in their scope and the reps in it (not themselves, not other leaders). Reps: nothing. Subjects outside the
 * caller's scope are `none` (answered 404, never revealed).
 */
export function targetAccess(auth: AuthContext, scope: TargetScope, subject: object | null): SubjectAccess {
  if (!subject) return "none";
  const { role } = auth.user;
  if (role === "admin") return "write";
  if (role === "rep") return "read";
  if (scope === "org") return "read";
  if (scope === "rep" && (subject as { role?: string }).role !== "rep") return "read";
  return "write";
}

/** One subject's access, by a targeted look-up. */
export async function subjectAccess(db: Db, auth: AuthContext, scope: TargetScope, subjectId: string): Promise<SubjectAccess> {
  switch (scope) {
    case "org":
      return targetAccess(auth, scope, subjectId === auth.org.id ? {} : null);
    case "team": {
      const team = await db.select({ id: teams.id }).from(teams).where(and(eq(teams.id, subjectId), teamScope(auth))).get();
      return targetAccess(auth, scope, team ?? null);
    }
    case "rep": {
      const user = await db.select({ role: users.role }).from(users).where(and(eq(users.id, subjectId), userScope(auth))).get();
      return targetAccess(auth, scope, user ?? null);
    }
  }
}

/** Every user and team in the caller's scope, for checking many rows at once (imports, plans). */
export async function subjectsInScope(db: Db, auth: AuthContext) {
  const [userRows, teamRows] = await db.batch([
    db
      .select({
        id: users.id,
        name: users.name,
        role: users.role,
        seniority: users.seniority,
        teamId: users.teamId,
        rampPercent: users.rampPercent,
        hireDate: users.hireDate,
        active: users.active,
      })
      .from(users)
      .where(userScope(auth))
      .orderBy(asc(users.name), asc(users.id)),
    db.select({ id: teams.id, name: teams.name, parentId: teams.parentId }).from(teams).where(teamScope(auth)),
  ]);
  return { users: new Map(userRows.map((u) => [u.id, u])), teams: new Map(teamRows.map((t) => [t.id, t])) };
}
export type SubjectsInScope = Awaited<ReturnType<typeof subjectsInScope>>;


export function findVisibleTarget(db: Db, auth: AuthContext, id: string) {
  return db
    .select(targetColumns)
    .from(targets)
    .where(and(eq(targets.id, id), visibleTargets(db, auth)))
    .get();
}

export interface VersionMeta {
  orgId: string;
  authorId: string;
  reason: string;
  /** Epoch ms of the change. */
  now: number;
}

/**
 * A new target with its version 1, for one db.batch. When the natural key is taken the target insert returns no row and
 * the version insert finds no target to copy: nothing is written.
 */
export function createTargetStatements(db: Db, row: TargetFields, meta: VersionMeta) {
  const id = newId("tgt");
  return [
    db
      .insert(targets)
      .values({ id, orgId: meta.orgId, ...row, version: 1, createdAt: meta.now, updatedAt: meta.now })
      .onConflictDoNothing()
      .returning(targetColumns),
    db.insert(targetVersions).select(
      sql`SELECT ${newId("tv")}, org_id, id, version, amount, ${meta.reason}, ${meta.authorId}, ${meta.now}
        FROM targets WHERE org_id = ${meta.orgId} AND id = ${id}`,
    ),
  ] as const;
}

/** Looks up a target by its natural key (e.g. to name the one a create collided with). */
export function findTargetByNaturalKey(db: Db, orgId: string, key: Omit<TargetFields, "amount" | "periodStart" | "periodEnd">) {
  return db
    .select(targetColumns)
    .from(targets)
    .where(
      and(
        eq(targets.orgId, orgId),
        eq(targets.scope, key.scope),
        eq(targets.subjectId, key.subjectId),
        eq(targets.metric, key.metric),
        eq(targets.periodKind, key.periodKind),
        eq(targets.periodKey, key.periodKey),
        eq(targets.level, key.level),
      ),
    )
    .get();
}

/**
 * A change of amount as ONE atomic pair for db.batch: the version row is inserted and the target updated only while
 * the target is still at `expectedVersion` (both statements test it inside the same transaction), so a lost race
 * writes nothing and the update returns no row.
 */
export function reviseTargetStatements(
  db: Db,
  change: VersionMeta & { targetId: string; expectedVersion: number; amount: number; at: number },
) {
  return [
    db.insert(targetVersions).select(
      sql`SELECT ${newId("tv")}, org_id, id, version + 1, ${change.amount}, ${change.reason}, ${change.authorId}, ${change.at}
        FROM targets WHERE org_id = ${change.orgId} AND id = ${change.targetId} AND version = ${change.expectedVersion}`,
    ),
    db
      .update(targets)
      .set({ amount: change.amount, version: sql`${targets.version} + 1`, updatedAt: change.at })
      .where(and(eq(targets.orgId, change.orgId), eq(targets.id, change.targetId), eq(targets.version, change.expectedVersion)))
      .returning(targetColumns),
  ] as const;
}

/** A target and its whole history, atomically (versions first: they reference the target). */
export function deleteTargetStatements(db: Db, orgId: string, targetId: string) {
  return [
    db.delete(targetVersions).where(and(eq(targetVersions.orgId, orgId), eq(targetVersions.targetId, targetId))).returning({ version: targetVersions.version }),
    db.delete(targets).where(and(eq(targets.orgId, orgId), eq(targets.id, targetId))).returning({ id: targets.id }),
  ] as const;
}

export function targetVersionsQuery(db: Db, orgId: string, targetId: string) {
  return db
    .select({
      version: targetVersions.version,
      amount: targetVersions.amount,
      reason: targetVersions.reason,
      authorId: targetVersions.authorId,
      createdAt: targetVersions.createdAt,
    })
    .from(targetVersions)
    .where(and(eq(targetVersions.orgId, orgId), eq(targetVersions.targetId, targetId)))
    .orderBy(asc(targetVersions.version));
}

/** The fields of a target a plan or an import sets; its identity is the natural key (all but amount and the dates). */
export interface TargetFields {
  scope: TargetScope;
  subjectId: string;
  metric: string;
  periodKind: "year" | "quarter" | "month" | "week" | "day";
  periodKey: string;
  periodStart: string;
  periodEnd: string;
  level: "base" | "stretch" | "challenge";
  amount: number;
}

/** The natural key as one string (unit separator between the parts; ids never contain it). */
export function naturalKey(t: Pick<TargetFields, "scope" | "subjectId" | "metric" | "periodKind" | "periodKey" | "level">): string {
  return [t.scope, t.subjectId, t.metric, t.periodKind, t.periodKey, t.level].join("\u001f");
}

/** 14 bound values per row; D1 allows 100 per statement. */
const UPSERT_ROWS_PER_STATEMENT = 7;
/** Keys per version statement: 5 shared values + one per key. */
const VERSION_KEYS_PER_STATEMENT = 90;

/**
 * Insert-or-update many targets on their natural key, for ONE db.batch (so all or nothing). A row whose amount is
 * unchanged is left alone; a new row gets version 1, a changed one version + 1 — and each of those gets a version row
 * with `meta.reason`. Re-running the same rows therefore writes nothing.
 *
 * How the version rows find their targets inside the same batch: the upsert stamps `updated_at = meta.now` on exactly
 * the rows it writes, and a target whose current version has no row yet is one this batch created or changed. Returns
 * the statements and how many leading ones are upserts (whose results list the written rows).
 */
export function upsertTargetsStatements(db: Db, rows: readonly TargetFields[], meta: VersionMeta): { statements: BatchItem<"sqlite">[]; upserts: number } {
  const statements: BatchItem<"sqlite">[] = [];
  for (let i = 0; i < rows.length; i += UPSERT_ROWS_PER_STATEMENT) {
    const chunk = rows.slice(i, i + UPSERT_ROWS_PER_STATEMENT);
    statements.push(
      db
        .insert(targets)
        .values(chunk.map((r) => ({ id: newId("tgt"), orgId: meta.orgId, ...r, version: 1, createdAt: meta.now, updatedAt: meta.now })))
        .onConflictDoUpdate({
          target: [targets.orgId, targets.scope, targets.subjectId, targets.metric, targets.periodKind, targets.periodKey, targets.level],
          set: { amount: sql`excluded.amount`, version: sql`${targets.version} + 1`, updatedAt: sql`excluded.updated_at` },
          setWhere: sql`${targets.amount} <> excluded.amount`,
        })
        .returning({ id: targets.id, version: targets.version }),
    );
  }
  const upserts = statements.length;
  const keys = rows.map(naturalKey);
  for (let i = 0; i < keys.length; i += VERSION_KEYS_PER_STATEMENT) {
    const chunk = keys.slice(i, i + VERSION_KEYS_PER_STATEMENT);
    statements.push(
      db.insert(targetVersions).select(
        sql`SELECT 'tv_' || lower(hex(randomblob(16))), t.org_id, t.id, t.version, t.amount, ${meta.reason}, ${meta.authorId}, ${meta.now}
          FROM targets t
          WHERE t.org_id = ${meta.orgId} AND t.updated_at = ${meta.now}
            AND ${naturalKeyOf("t")} IN (${sql.join(
              chunk.map((k) => sql`${k}`),
              sql`, `,
            )})
            AND NOT EXISTS (SELECT 1 FROM target_versions v WHERE v.org_id = t.org_id AND v.target_id = t.id AND v.version = t.version)`,
      ),
    );
  }
  return { statements, upserts };
}

function naturalKeyOf(alias: string): SQL {
  const col = (name: string) => sql.raw(`${alias}.${name}`);
  return sql`(${col("scope")} || char(31) || ${col("subject_id")} || char(31) || ${col("metric")} || char(31) || ${col("period_kind")} || char(31) || ${col("period_key")} || char(31) || ${col("level")})`;
}

/** Existing targets of the org for the given period keys, by natural key (to predict or authorise an import). */
export async function existingTargetsByKey(db: Db, orgId: string, periodKeys: readonly string[]): Promise<Map<string, { id: string; amount: number }>> {
  const unique = [...new Set(periodKeys)];
  const found = new Map<string, { id: string; amount: number }>();
  if (unique.length === 0) return found;
  const queries = [];
  for (let i = 0; i < unique.length; i += 90) {
    queries.push(
      db
        .select({ id: targets.id, amount: targets.amount, scope: targets.scope, subjectId: targets.subjectId, metric: targets.metric, periodKind: targets.periodKind, periodKey: targets.periodKey, level: targets.level })
        .from(targets)
        .where(and(eq(targets.orgId, orgId), inArray(targets.periodKey, unique.slice(i, i + 90)))),
    );
  }
  const results = await db.batch(queries as [(typeof queries)[number], ...(typeof queries)[number][]]);
  for (const rows of results) for (const r of rows) found.set(naturalKey(r), { id: r.id, amount: r.amount });
  return found;
}

/**
 * What a rep has achieved towards a target over an inclusive local-day range: the sum of `won` amounts for revenue,
 * the number of events for an activity kind (undone events excluded).
 */
export function achievedQuery(db: Db, orgId: string, userId: string, metric: string, from: string, to: string) {
  const revenue = metric === "revenue";
  return db
    .select({ total: (revenue ? sql<number>`coalesce(sum(${activities.amount}), 0)` : sql<number>`count(*)`).mapWith(Number) })
    .from(activities)
    .where(
      and(
        eq(activities.orgId, orgId),
        eq(activities.userId, userId),
        eq(activities.kind, revenue ? "won" : metric),
        gte(activities.day, from),
        lte(activities.day, to),
        isNull(activities.deletedAt),
      ),
    );
}
