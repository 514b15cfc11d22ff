import { and, asc, eq } from "drizzle-orm";
import { Hono } from "hono";
import { z } from "zod";
import { ProgressQuery } from "../../shared/api";
import { localDay, periodContaining } from "../../shared/domain/calendar";
import { ProgressResponse, TeamSummaryResponse } from "../../shared/schemas/progress";
import type { AuthContext } from "../auth/context";
import { assertTokenLive, requireAuth, requireAuthBatched } from "../auth/middleware";
import { findUserInScope, userScope } from "../auth/scope";
import { db as makeDb } from "../db/client";
import { tokenIsLiveStatement } from "../db/queries/auth";
import { users } from "../db/schema";
import type { AppEnv } from "../env";
import { ApiError } from "../errors";
import { groupRepFacts, repFactStatements } from "../readmodels/load";
import { buildRepProgress, readWindow } from "../readmodels/rep";
import { orgSettings } from "../settings";
import { iso } from "../time";
import { readQuery } from "../validate";

function windowAt(auth: AuthContext, now: number) {
  const cal = auth.org.calendar;
  const today = localDay(now, cal);
  return readWindow(today, periodContaining("month", today, cal), cal);
}

/** GET /v1/progress: the caller's HUD (or a rep's in scope). One round trip for the caller's own. */
export const progressRoute = new Hono<AppEnv>().use(requireAuthBatched).get("/", async (c) => {
  const query = readQuery(c, ProgressQuery);
  const { auth } = c.var;
  const db = makeDb(c.env.DB);
  let subject: { id: string; seniority: AuthContext["user"]["seniority"]; rampPercent: number } = auth.user;
  if (query.userId && query.userId !== auth.user.id) {
    const other = await findUserInScope(db, auth, query.userId);
    if (!other) throw new ApiError("not_found", "No such user in your scope");
    subject = other;
  }
  const now = c.var.now;
  const w = windowAt(auth, now);
  const [live, ...results] = await db.batch([tokenIsLiveStatement(db, c.var.tokenHash, auth.org.id, auth.user.id), ...repFactStatements(db, auth.org.id, [subject.id], w)]);
  assertTokenLive(live, c.var.tokenHash);
  const facts = groupRepFacts([subject], results).get(subject.id)!;
  const { progress, prompts, alerts } = buildRepProgress(facts, w, now, auth.org.calendar, orgSettings(auth.org.settings));
  return c.json(ProgressResponse.parse({ ...progress, serverTime: iso(now), alerts, prompts: prompts() }));
});

/** GET /v1/team/summary: every active rep in the caller's scope, set-based (same statements for 1 or 100 reps). */
export const teamRoute = new Hono<AppEnv>().use(requireAuth).get("/summary", async (c) => {
  readQuery(c, z.strictObject({}));
  const { auth } = c.var;
  if (auth.user.role === "rep") throw new ApiError("forbidden", "The team summary is for managers, directors and admins");
  const db = makeDb(c.env.DB);
  const now = c.var.now;
  const w = windowAt(auth, now);
  const repsInScope = and(userScope(auth), eq(users.role, "rep"), eq(users.active, true));
  const repIds = db.select({ id: users.id }).from(users).where(repsInScope);
  const [people, ...results] = await db.batch([
    db
      .select({ id: users.id, name: users.name, seniority: users.seniority, rampPercent: users.rampPercent, teamId: users.teamId })
      .from(users)
      .where(repsInScope)
      .orderBy(asc(users.name)),
    ...repFactStatements(db, auth.org.id, repIds.getSQL(), w),
  ]);
  const facts = groupRepFacts(people, results);
  const settings = orgSettings(auth.org.settings);
  const reps = people.map((p) => ({
    ...buildRepProgress(facts.get(p.id)!, w, now, auth.org.calendar, settings).progress,
    name: p.name,
    seniority: p.seniority,
    teamId: p.teamId,
  }));
  return c.json(TeamSummaryResponse.parse({ serverTime: iso(now), day: w.today, reps }));
});
