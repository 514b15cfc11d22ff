import { and, asc, eq, isNull } from "drizzle-orm";
import { Hono, type Context } from "hono";
import { z } from "zod";
import { ProgressQuery } from "../../shared/api";
import { localDay, periodContaining } from "../../shared/domain/calendar";
import { ProgressResponse, TeamSummaryResponse } from "../../shared/schemas/progress";
import type { AuthContext } from "../auth/context";
import { assertTokenLive, evictAuth, requireAuthBatched } from "../auth/middleware";
import { userScope } from "../auth/scope";
import { db as makeDb, type Db } from "../db/client";
import { findAuthByTokenHash } from "../db/queries/auth";
import { deviceTokens, users } from "../db/schema";
import type { AppEnv } from "../env";
import { ApiError } from "../errors";
import { groupRepFacts, repFactStatements, type RepFactResults } from "../readmodels/load";
import { buildRepProgress, readWindow, type RepSubject } from "../readmodels/rep";
import { orgSettings } from "../settings";
import { iso } from "../time";
import { readQuery } from "../validate";

function windowAt(auth: AuthContext, now: number) {
  const cal = auth.org.calendar;
  const today = localDay(now, cal);
  return readWindow(today, periodContaining("month", today, cal), cal);
}

/**
 * The in-batch re-check of a caller answered from the auth cache: one row iff the token is live and its user active,
 * with the user's role and team as they are now. Scopes are computed from the cached role and team, so a caller whose
 * role or team changed since is read again (see `withCurrentCaller`).
 */
function callerCheck(db: Db, tokenHash: string, auth: AuthContext) {
  return db
    .select({ role: users.role, teamId: users.teamId })
    .from(deviceTokens)
    .innerJoin(users, and(eq(users.id, deviceTokens.userId), eq(users.orgId, deviceTokens.orgId)))
    .where(
      and(
        eq(deviceTokens.tokenHash, tokenHash),
        eq(deviceTokens.orgId, auth.org.id),
        eq(deviceTokens.userId, auth.user.id),
        isNull(deviceTokens.revokedAt),
        eq(users.active, true),
      ),
    );
}

const STALE = Symbol("stale caller");
type CallerRows = { role: AuthContext["user"]["role"]; teamId: string | null }[];

/** 401 for a dead token; STALE when the cached caller's role or team is no longer true. */
function checkCaller(rows: CallerRows, tokenHash: string, auth: AuthContext): typeof STALE | undefined {
  assertTokenLive(rows, tokenHash);
  return rows[0]!.role === auth.user.role && rows[0]!.teamId === auth.user.teamId ? undefined : STALE;
}

/**
 * Runs a one-round-trip read with the (possibly cached) caller; if its batch shows that the caller's role or team
 * changed, reads the caller from D1 and runs it once more. The common case stays one round trip.
 */
async function withCurrentCaller<T>(c: Context<AppEnv>, read: (auth: AuthContext) => Promise<T | typeof STALE>): Promise<T> {
  const first = await read(c.var.auth);
  if (first !== STALE) return first;
  evictAuth(c.var.tokenHash);
  const current = await findAuthByTokenHash(makeDb(c.env.DB), c.var.tokenHash);
  if (!current) throw new ApiError("unauthorized", "Unknown or revoked device token");
  c.set("auth", current);
  const second = await read(current);
  if (second === STALE) throw new ApiError("conflict", "Your role changed while answering; try again");
  return second;
}

/**
 * GET /v1/progress: the caller's HUD (or that of a user in the caller's scope). One round trip either way: the token
 * re-check, the subject's scope check and the read model's statements share one db.batch; every statement is filtered
 * by the org and, for another user, by the caller's scope.
 */
export const progressRoute = new Hono<AppEnv>().use(requireAuthBatched).get("/", async (c) => {
  const query = readQuery(c, ProgressQuery);
  const db = makeDb(c.env.DB);
  const now = c.var.now;
  const body = await withCurrentCaller(c, async (auth) => {
    const w = windowAt(auth, now);
    const check = callerCheck(db, c.var.tokenHash, auth);
    let subject: RepSubject = auth.user;
    let results: RepFactResults;
    if (query.userId && query.userId !== auth.user.id) {
      const inScope = and(eq(users.id, query.userId), userScope(auth));
      const [caller, found, ...facts] = await db.batch([
        check,
        db.select({ id: users.id, seniority: users.seniority, rampPercent: users.rampPercent, hireDate: users.hireDate, createdAt: users.createdAt }).from(users).where(inScope),
        ...repFactStatements(db, auth.org.id, db.select({ id: users.id }).from(users).where(inScope).getSQL(), w),
      ]);
      if (checkCaller(caller, c.var.tokenHash, auth)) return STALE;
      if (!found[0]) throw new ApiError("not_found", "No such user in your scope");
      subject = found[0];
      results = facts;
    } else {
      const [caller, ...facts] = await db.batch([check, ...repFactStatements(db, auth.org.id, [subject.id], w)]);
      if (checkCaller(caller, c.var.tokenHash, auth)) return STALE;
      results = facts;
    }
    const facts = groupRepFacts([subject], results).get(subject.id)!;
    const { progress, prompts, alerts } = buildRepProgress(facts, w, now, auth.org.calendar, orgSettings(auth.org.settings));
    return ProgressResponse.parse({ ...progress, serverTime: iso(now), alerts, prompts: prompts() });
  });
  return c.json(body);
});

/**
 * GET /v1/team/summary: every active rep in the caller's scope, set-based (same statements for 1 or 100 reps), in one
 * round trip with the token re-check.
 */
export const teamRoute = new Hono<AppEnv>().use(requireAuthBatched).get("/summary", async (c) => {
  readQuery(c, z.strictObject({}));
  const db = makeDb(c.env.DB);
  const now = c.var.now;
  const body = await withCurrentCaller(c, async (auth) => {
    if (auth.user.role === "rep") {
      // Still a rep? (The check alone: one round trip.)
      if (checkCaller(await callerCheck(db, c.var.tokenHash, auth), c.var.tokenHash, auth)) return STALE;
      throw new ApiError("forbidden", "The team summary is for managers, directors and admins");
    }
    const w = windowAt(auth, now);
    const repsInScope = and(userScope(auth), eq(users.role, "rep"), eq(users.active, true));
    const repIds = db.select({ id: users.id }).from(users).where(repsInScope);
    const [caller, people, ...results] = await db.batch([
      callerCheck(db, c.var.tokenHash, auth),
      db
        .select({ id: users.id, name: users.name, seniority: users.seniority, rampPercent: users.rampPercent, hireDate: users.hireDate, createdAt: users.createdAt, teamId: users.teamId })
        .from(users)
        .where(repsInScope)
        .orderBy(asc(users.name)),
      ...repFactStatements(db, auth.org.id, repIds.getSQL(), w),
    ]);
    if (checkCaller(caller, c.var.tokenHash, auth)) return STALE;
    const facts = groupRepFacts(people, results);
    const settings = orgSettings(auth.org.settings);
    const reps = people.map((p) => ({
      ...buildRepProgress(facts.get(p.id)!, w, now, auth.org.calendar, settings).progress,
      name: p.name,
      seniority: p.seniority,
      teamId: p.teamId,
    }));
    return TeamSummaryResponse.parse({ serverTime: iso(now), day: w.today, reps });
  });
  return c.json(body);
});
