import { and, desc, eq, gte, inArray, or, type SQL } from "drizzle-orm";
import { Hono } from "hono";
import { AwardList, AwardListQuery, AwardOut } from "../../shared/schemas/insights";
import { requireAuth } from "../auth/middleware";
import { findUserInScope, scopedUserIds, teamScope } from "../auth/scope";
import { db as makeDb } from "../db/client";
import { awards, teams } from "../db/schema";
import type { AppEnv } from "../env";
import { ApiError } from "../errors";
import { iso } from "../time";
import { readQuery } from "../validate";

/**
 * GET /v1/awards: recognition written by the cron (worker/cron), newest first. A rep sees their own awards and the
 * team PK wins of teams in their view; leaders see their scope. Team PK awards have no user: they are visible to anyone
 * whose scope holds the winning team (reps: their own team).
 */
export const awardsRoute = new Hono<AppEnv>().use(requireAuth).get("/", async (c) => {
  const q = readQuery(c, AwardListQuery);
  const { auth } = c.var;
  const db = makeDb(c.env.DB);
  if (q.userId && !(await findUserInScope(db, auth, q.userId))) throw new ApiError("not_found", "No such user in your scope");
  const visibleTeams = db.select({ id: teams.id }).from(teams).where(teamScope(auth));
  const who: SQL = q.userId
    ? eq(awards.userId, q.userId)
    : or(inArray(awards.userId, scopedUserIds(db, auth)), and(eq(awards.kind, "team_pk"), inArray(awards.teamId, visibleTeams)))!;
  const conditions: SQL[] = [eq(awards.orgId, auth.org.id), who];
  if (q.kind) conditions.push(eq(awards.kind, q.kind));
  if (q.since) conditions.push(gte(awards.createdAt, Date.parse(q.since)));
  const rows = await db.select().from(awards).where(and(...conditions)).orderBy(desc(awards.createdAt), desc(awards.id)).limit(500);
  return c.json(
    AwardList.parse({
      awards: rows.map((a) =>
        AwardOut.parse({ id: a.id, kind: a.kind, userId: a.userId, teamId: a.teamId, periodKey: a.periodKey, tier: a.tier, details: a.details, createdAt: iso(a.createdAt) }),
      ),
    }),
  );
});
