import { and, eq, gte, inArray, isNull, lte, sql, sum, count } from "drizzle-orm";
import { Hono } from "hono";
import { localDay, periodContaining } from "../../shared/domain/calendar";
import { shiftDay } from "../../shared/domain/day";
import { computeFunnel } from "../../shared/domain/funnel";
import { leaderboard } from "../../shared/domain/incentives";
import { FUNNEL_KINDS, type FunnelKind } from "../../shared/domain/kinds";
import { FunnelQuery, FunnelResponse, LeaderboardQuery, LeaderboardResponse } from "../../shared/schemas/insights";
import { requireAuth } from "../auth/middleware";
import { findUserInScope, scopedUserIds, teamScope } from "../auth/scope";
import { db as makeDb } from "../db/client";
import { activities, targets, teams, users } from "../db/schema";
import type { AppEnv } from "../env";
import { ApiError } from "../errors";
import { orgSettings } from "../settings";
import { readQuery } from "../validate";

// Mounted at /v1: auth is per route so it does not wrap every /v1 path.
export const insightsRoute = new Hono<AppEnv>()
  /**
   * Ranked by % of own revenue target over the org's active reps (fair across seniority),
   * filtered by the org's privacy mode around the caller. Leaders always see the full board.
   */
  .get("/leaderboard", requireAuth, async (c) => {
    const q = readQuery(c, LeaderboardQuery);
    const { auth } = c.var;
    const db = makeDb(c.env.DB);
    const cal = auth.org.calendar;
    const period = periodContaining(q.period, localDay(c.var.now, cal), cal);
    const reps = db.select({ id: users.id }).from(users).where(and(eq(users.orgId, auth.org.id), eq(users.role, "rep"), eq(users.active, true)));
    const [people, goals, won] = await db.batch([
      db.select({ id: users.id, name: users.name }).from(users).where(and(eq(users.orgId, auth.org.id), eq(users.role, "rep"), eq(users.active, true))),
      db
        .select({ userId: targets.subjectId, amount: targets.amount })
        .from(targets)
        .where(
          and(
            eq(targets.orgId, auth.org.id),
            eq(targets.scope, "rep"),
            eq(targets.metric, "revenue"),
            eq(targets.periodKind, q.period),
            eq(targets.periodKey, period.key),
            eq(targets.level, "base"),
            inArray(targets.subjectId, reps),
          ),
        ),
      db
        .select({ userId: activities.userId, amount: sql<number>`coalesce(${sum(activities.amount)}, 0)`.mapWith(Number) })
        .from(activities)
        .where(and(eq(activities.orgId, auth.org.id), eq(activities.kind, "won"), gte(activities.day, period.start), lte(activities.day, period.end), isNull(activities.deletedAt)))
        .groupBy(activities.userId),
    ]);
    const target = new Map(goals.map((g) => [g.userId, g.amount]));
    const actual = new Map(won.map((w) => [w.userId, w.amount]));
    const privacy = auth.user.role === "rep" ? orgSettings(auth.org.settings).leaderboardPrivacy : "full";
    const names = new Map(people.map((p) => [p.id, p.name]));
    const rows = leaderboard(
      people.map((p) => ({ repId: p.id, actual: actual.get(p.id) ?? 0, target: target.get(p.id) ?? 0 })),
      { privacy, viewerId: auth.user.id },
    );
    return c.json(
      LeaderboardResponse.parse({
        privacy,
        periodKey: period.key,
        rows: rows.map((r) => ({ userId: r.repId, name: names.get(r.repId) ?? "", rank: r.rank, completion: r.completion, isViewer: r.isViewer })),
      }),
    );
  })
  /** Funnel stage counts and conversions for the caller's scope, one rep, or one team (default: this month). */
  .get("/funnel", requireAuth, async (c) => {
    const q = readQuery(c, FunnelQuery);
    const { auth } = c.var;
    const db = makeDb(c.env.DB);
    const cal = auth.org.calendar;
    const today = localDay(c.var.now, cal);
    const month = periodContaining("month", today, cal);
    const from = q.from ?? month.start;
    const to = q.to ?? month.end;
    if (from > to || shiftDay(from, 400) < to) throw new ApiError("validation_failed", "from must be ≤ to and at most 400 days apart");
    let who;
    if (q.userId) {
      if (q.userId !== auth.user.id && !(await findUserInScope(db, auth, q.userId))) throw new ApiError("not_found", "No such user in your scope");
      who = eq(activities.userId, q.userId);
    } else if (q.teamId) {
      const team = await db.select({ id: teams.id }).from(teams).where(and(eq(teams.id, q.teamId), teamScope(auth))).get();
      if (!team) throw new ApiError("not_found", "No such team in your scope");
      who = inArray(activities.userId, db.select({ id: users.id }).from(users).where(and(eq(users.orgId, auth.org.id), eq(users.teamId, q.teamId))));
    } else {
      who = inArray(activities.userId, scopedUserIds(db, auth));
    }
    const rows = await db
      .select({ kind: activities.kind, n: count() })
      .from(activities)
      .where(and(eq(activities.orgId, auth.org.id), who, gte(activities.day, from), lte(activities.day, to), isNull(activities.deletedAt), inArray(activities.kind, [...FUNNEL_KINDS])))
      .groupBy(activities.kind);
    const counts = Object.fromEntries(rows.map((r) => [r.kind, r.n])) as Partial<Record<FunnelKind, number>>;
    const funnel = computeFunnel(counts);
    return c.json(FunnelResponse.parse({ from, to, stages: funnel.stages.map((s) => ({ kind: s.kind, count: s.count, conversion: s.conversion })) }));
  });
