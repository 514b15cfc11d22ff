import { and, asc, eq, type SQL } from "drizzle-orm";
import type { BatchItem } from "drizzle-orm/batch";
import { Hono } from "hono";
import type { z } from "zod";
import { respreadRemaining, reviseTarget, versionInEffect, type TargetVersion } from "../../shared/domain/adjustment";
import { localDay, periodFromKey, type OrgCalendar, type Period } from "../../shared/domain/calendar";
import {
  allocateToReps,
  annualTarget,
  decomposeYear,
  targetLevels,
  type RepShareInput,
  type RepSplit,
} from "../../shared/domain/decomposition";
import {
  ApplyDecomposeRequest,
  ApplyDecomposeResponse,
  CreateTargetRequest,
  DecomposeRequest,
  DecomposeResponse,
  DeleteTargetResponse,
  MAX_PLAN_REPS,
  Target,
  TargetList,
  TargetListQuery,
  TargetVersionList,
  UpdateTargetRequest,
  UpdateTargetResponse,
} from "../../shared/schemas/targets";
import type { AuthContext } from "../auth/context";
import { requireAuth } from "../auth/middleware";
import { requireRole } from "../auth/roles";
import { db as makeDb, type Db } from "../db/client";
import {
  achievedQuery,
  createTargetStatements,
  deleteTargetStatements,
  findTargetByNaturalKey,
  findVisibleTarget,
  reviseTargetStatements,
  subjectAccess,
  subjectsInScope,
  targetAccess,
  targetColumns,
  targetVersionsQuery,
  upsertTargetsStatements,
  visibleTargets,
  type TargetFields,
  type TargetRow,
  type TargetScope,
} from "../db/queries/targets";
import { targets } from "../db/schema";
import type { AppEnv } from "../env";
import { ApiError } from "../errors";
import { orgSettings } from "../settings";
import { iso } from "../time";
import { readBody, readQuery } from "../validate";

const LEADERS = ["manager", "director", "admin"] as const;

function targetOut(row: Omit<TargetRow, "orgId">): Target {
  return Target.parse({ ...row, createdAt: iso(row.createdAt), updatedAt: iso(row.updatedAt) });
}

/** A period key resolved with the org's calendar, or a 400 naming the field. */
function periodOf(key: string, cal: OrgCalendar, path = "periodKey"): Period {
  return domainRule(path, () => periodFromKey(key, cal));
}

/** Runs a domain rule; its RangeError (bad input the schema cannot see) becomes a 400 naming `path`. */
function domainRule<T>(path: string, rule: () => T): T {
  try {
    return rule();
  } catch (error) {
    if (error instanceof RangeError) throw new ApiError("validation_failed", error.message, [{ path, message: error.message }]);
    throw error;
  }
}

/** 404 outside the caller's scope (never reveal), 403 when visible but not theirs to change. */
function assertWritable(access: "write" | "read" | "none", what: string): void {
  if (access === "none") throw new ApiError("not_found", `No such ${what} in your scope`);
  if (access === "read") throw new ApiError("forbidden", `You cannot change targets of this ${what}`);
}

const SUBJECT_NAME: Record<TargetScope, string> = { org: "org", team: "team", rep: "user" };

async function loadTarget(db: Db, auth: AuthContext, id: string) {
  const row = await findVisibleTarget(db, auth, id);
  if (!row) throw new ApiError("not_found", "No such target in your scope");
  return row;
}

function versionOut(v: { version: number; amount: number; reason: string; authorId: string | null; createdAt: number }, cal: OrgCalendar) {
  return { ...v, createdAt: iso(v.createdAt), effectiveFrom: localDay(v.createdAt, cal) };
}

// ---- Decomposition ---------------------------------------------------------------------------------------------------

type DecomposeInput = z.output<typeof DecomposeRequest>;

/**
 * The plan of a decomposition, from the domain engine: annual (given, or last year × growth) → levels → quarters →
 * months → working days → weeks, and each month split among the reps (by weight × ramp × share of the month worked).
 * Also the target rows `apply` stores: the subject's year, quarters, months and full weeks, and each rep's months.
 */
async function buildPlan(db: Db, auth: AuthContext, body: DecomposeInput) {
  const cal = auth.org.calendar;
  const subjects = await subjectsInScope(db, auth);
  let subjectId: string;
  let inSubject: (teamId: string | null) => boolean;
  if (body.scope === "org") {
    if (auth.user.role !== "admin") throw new ApiError("forbidden", "Only an admin plans for the whole org");
    subjectId = auth.org.id;
    inSubject = () => true;
  } else {
    subjectId = body.teamId!;
    assertWritable(targetAccess(auth, "team", subjects.teams.get(subjectId) ?? null), "team");
    // The team and every team below it that the caller can see.
    const subtree = new Set([subjectId]);
    let grew = true;
    while (grew) {
      grew = false;
      for (const t of subjects.teams.values()) {
        if (t.parentId && subtree.has(t.parentId) && !subtree.has(t.id)) {
          subtree.add(t.id);
          grew = true;
        }
      }
    }
    inSubject = (teamId) => teamId !== null && subtree.has(teamId);
  }

  let reps;
  if (body.reps) {
    reps = body.reps.map((id, i) => {
      const user = subjects.users.get(id);
      if (!user) throw new ApiError("not_found", "No such user in your scope");
      if (targetAccess(auth, "rep", user) !== "write") throw new ApiError("forbidden", "You can only set targets for reps in your scope");
      if (!inSubject(user.teamId))
        throw new ApiError("validation_failed", "A rep is not in the planned team", [{ path: `reps.${i}`, message: "not in the planned team" }]);
      return user;
    });
  } else {
    reps = [...subjects.users.values()].filter((u) => u.active && u.role === "rep" && inSubject(u.teamId));
    if (reps.length > MAX_PLAN_REPS)
      throw new ApiError("validation_failed", `More than ${MAX_PLAN_REPS} reps: list the reps to plan for`, [{ path: "reps", message: "too many reps" }]);
  }

  const split = body.repSplit;
  if (split.mode === "explicit") {
    const problems = [
      ...reps.filter((r) => split.weights[r.id] === undefined).map((r) => ({ path: `repSplit.weights.${r.id}`, message: "missing weight" })),
      ...Object.keys(split.weights)
        .filter((id) => !reps.some((r) => r.id === id))
        .map((id) => ({ path: `repSplit.weights.${id}`, message: "not a rep of this plan" })),
    ];
    if (problems.length) throw new ApiError("validation_failed", "Explicit weights must name exactly the plan's reps", problems);
  }
  const repInputs: RepShareInput[] = reps.map((u) => ({
    repId: u.id,
    seniority: u.seniority,
    ...(split.mode === "explicit" ? { weight: split.weights[u.id]! } : {}),
    ramp: u.rampPercent / 100,
    ...(u.hireDate ? { hiredOn: u.hireDate } : {}),
  }));
  // What the body leaves out comes from the org's settings (their defaults are DOMAIN.md's).
  const settings = orgSettings(auth.org.settings);
  const repSplit: RepSplit = split.mode === "seniority" ? { mode: "seniority", weights: split.weights ?? settings.seniorityWeights } : { mode: split.mode };
  const levelBasisPoints = body.levelBasisPoints ?? settings.levelBasisPoints;

  const annual = body.annual ?? domainRule("growth", () => annualTarget(body.lastYearActual!, body.growth!));
  const amounts = domainRule("levelBasisPoints", () => targetLevels(annual, levelBasisPoints));

  const rows: TargetFields[] = [];
  const add = (scope: TargetScope, subject: string, period: Period, level: TargetFields["level"], amount: number) =>
    rows.push({ scope, subjectId: subject, metric: body.metric, periodKind: period.kind, periodKey: period.key, periodStart: period.start, periodEnd: period.end, level, amount });

  const levels = body.levels.map((level) => {
    const plan = domainRule("seasonality", () =>
      decomposeYear({ year: body.year, annual: amounts[level], cal, ...body.seasonality }),
    );
    add(body.scope, subjectId, plan.period, level, plan.amount);
    const repTotals = new Map(reps.map((r) => [r.id, 0]));
    const quarters = plan.quarters.map((q) => {
      add(body.scope, subjectId, q.period, level, q.amount);
      return {
        key: q.period.key,
        start: q.period.start,
        end: q.period.end,
        amount: q.amount,
        months: q.months.map((m) => {
          add(body.scope, subjectId, m.period, level, m.amount);
          const shares =
            repInputs.length === 0
              ? []
              : domainRule("reps", () => allocateToReps(m.amount, repInputs, repSplit, { period: m.period, cal }));
          for (const s of shares) {
            add("rep", s.repId, m.period, level, s.amount);
            repTotals.set(s.repId, repTotals.get(s.repId)! + s.amount);
          }
          return {
            key: m.period.key,
            start: m.period.start,
            end: m.period.end,
            amount: m.amount,
            workingDays: m.days.length,
            reps: shares.map((s) => ({ repId: s.repId, amount: s.amount })),
          };
        }),
      };
    });
    const weeks = plan.weeks.map((w) => {
      // A week reaching into the next or previous year holds only this year's days; storing it would overwrite the
      // other year's share, so apply keeps full weeks only.
      if (!w.partial) add(body.scope, subjectId, w.period, level, w.amount);
      return { key: w.period.key, start: w.period.start, end: w.period.end, amount: w.amount, partial: w.partial };
    });
    return { level, annual: plan.amount, quarters, weeks, repTotals: [...repTotals].map(([repId, amount]) => ({ repId, amount })) };
  });

  const preview = {
    year: body.year,
    metric: body.metric,
    scope: body.scope,
    subjectId,
    reps: reps.map((r) => ({ id: r.id, name: r.name, seniority: r.seniority, rampPercent: r.rampPercent, hireDate: r.hireDate })),
    levels,
    levelBasisPoints,
    repSplit: split.mode === "explicit" ? split : repSplit,
    targetCount: rows.length,
  };
  return { preview, rows };
}

// ---- Routes ----------------------------------------------------------------------------------------------------------

export const targetsRoute = new Hono<AppEnv>()
  .use(requireAuth)
  .get("/", async (c) => {
    const q = readQuery(c, TargetListQuery);
    const { auth } = c.var;
    const db = makeDb(c.env.DB);
    if (q.subjectId) {
      let visible = false;
      for (const scope of q.scope ? [q.scope] : (["rep", "team", "org"] as const)) {
        if ((await subjectAccess(db, auth, scope, q.subjectId)) !== "none") {
          visible = true;
          break;
        }
      }
      if (!visible) throw new ApiError("not_found", "No such subject in your scope");
    }
    const conditions: SQL[] = [visibleTargets(db, auth)];
    if (q.scope) conditions.push(eq(targets.scope, q.scope));
    if (q.subjectId) conditions.push(eq(targets.subjectId, q.subjectId));
    if (q.metric) conditions.push(eq(targets.metric, q.metric));
    if (q.periodKind) conditions.push(eq(targets.periodKind, q.periodKind));
    if (q.periodKey) conditions.push(eq(targets.periodKey, q.periodKey));
    if (q.level) conditions.push(eq(targets.level, q.level));
    const rows = await db
      .select(targetColumns)
      .from(targets)
      .where(and(...conditions))
      .orderBy(asc(targets.periodStart), asc(targets.periodEnd), asc(targets.scope), asc(targets.subjectId), asc(targets.metric), asc(targets.level))
      .limit(q.limit);
    return c.json(TargetList.parse({ targets: rows.map(targetOut) }));
  })
  .post("/decompose", requireRole(...LEADERS), async (c) => {
    const body = await readBody(c, DecomposeRequest);
    const { preview } = await buildPlan(makeDb(c.env.DB), c.var.auth, body);
    return c.json(DecomposeResponse.parse(preview));
  })
  /** Stores the previewed plan in one db.batch: all rows or none; re-applying the same input changes nothing. */
  .post("/decompose/apply", requireRole(...LEADERS), async (c) => {
    const body = await readBody(c, ApplyDecomposeRequest);
    const { auth } = c.var;
    const db = makeDb(c.env.DB);
    const { preview, rows } = await buildPlan(db, auth, body);
    const { statements, upserts } = upsertTargetsStatements(db, rows, {
      orgId: auth.org.id,
      authorId: auth.user.id,
      reason: body.reason,
      now: c.var.now,
    });
    const results = await db.batch(statements as [BatchItem<"sqlite">, ...BatchItem<"sqlite">[]]);
    const written = (results.slice(0, upserts) as { id: string; version: number }[][]).flat();
    const created = written.filter((w) => w.version === 1).length;
    return c.json(
      ApplyDecomposeResponse.parse({ ...preview, created, updated: written.length - created, unchanged: rows.length - written.length }),
    );
  })
  .get("/:id", async (c) => c.json(targetOut(await loadTarget(makeDb(c.env.DB), c.var.auth, c.req.param("id")))))
  .get("/:id/versions", async (c) => {
    const { auth } = c.var;
    const db = makeDb(c.env.DB);
    const target = await loadTarget(db, auth, c.req.param("id"));
    const cal = auth.org.calendar;
    const versions = (await targetVersionsQuery(db, auth.org.id, target.id)).map((v) => versionOut(v, cal));
    const history: TargetVersion[] = versions.map((v) => ({ ...v, author: v.authorId ?? "", createdAt: Date.parse(v.createdAt) }));
    const inEffect = versionInEffect(history, localDay(c.var.now, cal));
    return c.json(TargetVersionList.parse({ targetId: target.id, versions, inEffect: inEffect?.version ?? null }));
  })
  .post("/", requireRole(...LEADERS), async (c) => {
    const body = await readBody(c, CreateTargetRequest);
    const { auth } = c.var;
    const db = makeDb(c.env.DB);
    const subjectId = body.scope === "org" ? (body.subjectId ?? auth.org.id) : body.subjectId!;
    assertWritable(await subjectAccess(db, auth, body.scope, subjectId), SUBJECT_NAME[body.scope]);
    const period = periodOf(body.periodKey, auth.org.calendar);
    const fields: TargetFields = {
      scope: body.scope,
      subjectId,
      metric: body.metric,
      periodKind: period.kind,
      periodKey: period.key,
      periodStart: period.start,
      periodEnd: period.end,
      level: body.level,
      amount: body.amount,
    };
    const meta = { orgId: auth.org.id, authorId: auth.user.id, reason: body.reason, now: c.var.now };
    const [inserted] = await db.batch(createTargetStatements(db, fields, meta));
    const created = inserted[0];
    if (!created) {
      const existing = await findTargetByNaturalKey(db, auth.org.id, fields);
      throw new ApiError("conflict", "This target exists already: change it with PATCH", existing ? { id: existing.id, version: existing.version } : undefined);
    }
    return c.json(targetOut(created), 201);
  })
  /** A change is a new version (reason + author) written in the same batch as the target; stale expectedVersion → 409. */
  .patch("/:id", requireRole(...LEADERS), async (c) => {
    const body = await readBody(c, UpdateTargetRequest);
    const { auth } = c.var;
    const db = makeDb(c.env.DB);
    const cal = auth.org.calendar;
    const target = await loadTarget(db, auth, c.req.param("id"));
    assertWritable(await subjectAccess(db, auth, target.scope, target.subjectId), SUBJECT_NAME[target.scope]);
    if (target.version !== body.expectedVersion)
      throw new ApiError("conflict", "The target has changed since you read it", { currentVersion: target.version });

    // Versions never predate their predecessor, even if this isolate's clock is a little behind the last writer's.
    const at = Math.max(c.var.now, target.updatedAt);
    const current: TargetVersion = {
      version: target.version,
      amount: target.amount,
      reason: "",
      author: "",
      effectiveFrom: localDay(target.updatedAt, cal),
      createdAt: target.updatedAt,
    };
    const next = domainRule("reason", () => reviseTarget([current], { amount: body.amount, reason: body.reason, author: auth.user.id, at }, cal)).at(-1)!;
    const [, updatedRows, achievedRows] = await db.batch([
      ...reviseTargetStatements(db, {
        orgId: auth.org.id,
        targetId: target.id,
        expectedVersion: body.expectedVersion,
        amount: next.amount,
        reason: next.reason,
        authorId: auth.user.id,
        now: c.var.now,
        at,
      }),
      achievedQuery(db, auth.org.id, target.subjectId, target.metric, target.periodStart, target.periodEnd),
    ]);
    const updated = updatedRows[0];
    if (!updated) throw new ApiError("conflict", "The target has changed since you read it");

    let adjustment = null;
    if (target.scope === "rep") {
      const achieved = achievedRows[0]?.total ?? 0;
      const respread = respreadRemaining({ target: next.amount, achieved, period: { start: target.periodStart, end: target.periodEnd }, now: c.var.now, cal });
      adjustment = { achieved, ...respread };
    }
    return c.json(
      UpdateTargetResponse.parse({
        target: targetOut(updated),
        version: versionOut({ version: next.version, amount: next.amount, reason: next.reason, authorId: auth.user.id, createdAt: at }, cal),
        adjustment,
      }),
    );
  })
  .delete("/:id", requireRole(...LEADERS), async (c) => {
    const { auth } = c.var;
    const db = makeDb(c.env.DB);
    const target = await loadTarget(db, auth, c.req.param("id"));
    assertWritable(await subjectAccess(db, auth, target.scope, target.subjectId), SUBJECT_NAME[target.scope]);
    const [versions, deleted] = await db.batch(deleteTargetStatements(db, auth.org.id, target.id));
    if (deleted.length === 0) throw new ApiError("not_found", "No such target in your scope");
    return c.json(DeleteTargetResponse.parse({ id: target.id, deletedVersions: versions.length }));
  });
