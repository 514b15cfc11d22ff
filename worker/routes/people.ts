import { and, asc, eq, type SQL } from "drizzle-orm";
import { Hono } from "hono";
import { UserQuery } from "../../shared/api";
import {
  CreateTeamRequest,
  CreateUserRequest,
  Team,
  TeamList,
  UpdateTeamRequest,
  UpdateUserRequest,
  User,
  UserList,
} from "../../shared/schemas/users";
import { newId } from "../auth/crypto";
import type { AuthContext } from "../auth/context";
import { requireAuth } from "../auth/middleware";
import { requireRole } from "../auth/roles";
import { findUserInScope, teamScope, userScope } from "../auth/scope";
import { db as makeDb, type Db } from "../db/client";
import { teams, users } from "../db/schema";
import type { AppEnv } from "../env";
import { ApiError } from "../errors";
import { readBody, readQuery } from "../validate";

const userColumns = {
  id: users.id,
  name: users.name,
  email: users.email,
  role: users.role,
  seniority: users.seniority,
  teamId: users.teamId,
  managerId: users.managerId,
  hireDate: users.hireDate,
  rampPercent: users.rampPercent,
  active: users.active,
};

const teamColumns = { id: teams.id, name: teams.name, kind: teams.kind, parentId: teams.parentId, leaderId: teams.leaderId };

async function teamInScope(db: Db, auth: AuthContext, teamId: string) {
  return (await db.select(teamColumns).from(teams).where(and(eq(teams.id, teamId), teamScope(auth))).get()) ?? null;
}

/**
 * Checks references a user write makes: the team must be in the caller's scope, the manager
 * a user in the org. Non-admins can only manage reps, inside their own scope.
 */
async function checkUserWrite(db: Db, auth: AuthContext, body: { role?: string; teamId?: string | null; managerId?: string | null }) {
  const isAdmin = auth.user.role === "admin";
  if (!isAdmin && body.role !== undefined && body.role !== "rep")
    throw new ApiError("forbidden", "Only an admin can give a role other than rep");
  if (body.teamId) {
    const team = await teamInScope(db, auth, body.teamId);
    if (!team) throw new ApiError("validation_failed", "Unknown team", [{ path: "teamId", message: "not in your scope" }]);
  } else if (!isAdmin && body.teamId === null) {
    throw new ApiError("forbidden", "Only an admin can take a user out of every team");
  }
  if (body.managerId) {
    const manager = await db.select({ id: users.id }).from(users).where(and(eq(users.orgId, auth.org.id), eq(users.id, body.managerId))).get();
    if (!manager) throw new ApiError("validation_failed", "Unknown manager", [{ path: "managerId", message: "no such user in the org" }]);
  }
}

export const usersRoute = new Hono<AppEnv>()
  .use(requireAuth)
  .get("/", async (c) => {
    const q = readQuery(c, UserQuery);
    const conditions: SQL[] = [userScope(c.var.auth)];
    if (q.teamId) conditions.push(eq(users.teamId, q.teamId));
    if (q.active) conditions.push(eq(users.active, q.active === "true"));
    const rows = await makeDb(c.env.DB).select(userColumns).from(users).where(and(...conditions)).orderBy(asc(users.name));
    return c.json(UserList.parse({ users: rows }));
  })
  .get("/:id", async (c) => {
    const row = await makeDb(c.env.DB).select(userColumns).from(users).where(and(eq(users.id, c.req.param("id")), userScope(c.var.auth))).get();
    if (!row) throw new ApiError("not_found", "No such user in your scope");
    return c.json(User.parse(row));
  })
  .post("/", requireRole("manager", "director", "admin"), async (c) => {
    const body = await readBody(c, CreateUserRequest);
    const { auth } = c.var;
    const db = makeDb(c.env.DB);
    // Non-admins add reps to their own team unless they name another team in their scope.
    const teamId = body.teamId ?? (auth.user.role === "admin" ? undefined : (auth.user.teamId ?? undefined));
    if (auth.user.role !== "admin" && !teamId) throw new ApiError("forbidden", "You have no team to add people to");
    await checkUserWrite(db, auth, { role: body.role, teamId: teamId ?? null, managerId: body.managerId ?? null });
    const row = {
      id: newId("usr"),
      orgId: auth.org.id,
      name: body.name,
      email: body.email ?? null,
      role: body.role,
      seniority: body.seniority,
      teamId: teamId ?? null,
      managerId: body.managerId ?? (auth.user.role === "admin" ? null : auth.user.id),
      hireDate: body.hireDate ?? null,
      rampPercent: body.rampPercent,
      active: true,
      createdAt: c.var.now,
    };
    await db.insert(users).values(row);
    return c.json(User.parse(row), 201);
  })
  .patch("/:id", requireRole("manager", "director", "admin"), async (c) => {
    const body = await readBody(c, UpdateUserRequest);
    const { auth } = c.var;
    const db = makeDb(c.env.DB);
    const target = await findUserInScope(db, auth, c.req.param("id"));
    if (!target) throw new ApiError("not_found", "No such user in your scope");
    if (auth.user.role !== "admin" && target.role !== "rep") throw new ApiError("forbidden", "Only an admin can change a manager, director or admin");
    if (target.id === auth.user.id && (body.role !== undefined || body.active === false))
      throw new ApiError("forbidden", "You cannot change your own role or deactivate yourself");
    if (body.managerId === target.id) throw new ApiError("validation_failed", "A user cannot manage themself", [{ path: "managerId", message: "self" }]);
    await checkUserWrite(db, auth, body);
    const updated = await db
      .update(users)
      .set(body)
      .where(and(eq(users.orgId, auth.org.id), eq(users.id, target.id)))
      .returning(userColumns)
      .get();
    return c.json(User.parse(updated));
  });

/** Would making `parentId` the parent of `teamId` close a cycle? Walks up from the new parent. */
async function wouldCycle(db: Db, orgId: string, teamId: string, parentId: string): Promise<boolean> {
  const all = await db.select({ id: teams.id, parentId: teams.parentId }).from(teams).where(eq(teams.orgId, orgId));
  const parentOf = new Map(all.map((t) => [t.id, t.parentId]));
  for (let at: string | null | undefined = parentId, steps = 0; at && steps <= all.length; at = parentOf.get(at), steps++) {
    if (at === teamId) return true;
  }
  return false;
}

export const teamsRoute = new Hono<AppEnv>()
  .use(requireAuth)
  .get("/", async (c) => {
    const rows = await makeDb(c.env.DB).select(teamColumns).from(teams).where(teamScope(c.var.auth)).orderBy(asc(teams.name));
    return c.json(TeamList.parse({ teams: rows }));
  })
  .post("/", requireRole("admin"), async (c) => {
    const body = await readBody(c, CreateTeamRequest);
    const { auth } = c.var;
    const db = makeDb(c.env.DB);
    if (body.parentId && !(await teamInScope(db, auth, body.parentId)))
      throw new ApiError("validation_failed", "Unknown parent team", [{ path: "parentId", message: "no such team in the org" }]);
    if (body.leaderId && !(await findUserInScope(db, auth, body.leaderId)))
      throw new ApiError("validation_failed", "Unknown leader", [{ path: "leaderId", message: "no such user in the org" }]);
    const row = { id: newId("team"), orgId: auth.org.id, name: body.name, kind: body.kind, parentId: body.parentId ?? null, leaderId: body.leaderId ?? null, createdAt: c.var.now };
    await db.insert(teams).values(row);
    return c.json(Team.parse(row), 201);
  })
  .patch("/:id", requireRole("admin"), async (c) => {
    const body = await readBody(c, UpdateTeamRequest);
    const { auth } = c.var;
    const db = makeDb(c.env.DB);
    const id = c.req.param("id");
    if (!(await teamInScope(db, auth, id))) throw new ApiError("not_found", "No such team");
    if (body.parentId) {
      if (!(await teamInScope(db, auth, body.parentId)))
        throw new ApiError("validation_failed", "Unknown parent team", [{ path: "parentId", message: "no such team in the org" }]);
      if (await wouldCycle(db, auth.org.id, id, body.parentId))
        throw new ApiError("validation_failed", "A team cannot sit below itself", [{ path: "parentId", message: "cycle" }]);
    }
    if (body.leaderId && !(await findUserInScope(db, auth, body.leaderId)))
      throw new ApiError("validation_failed", "Unknown leader", [{ path: "leaderId", message: "no such user in the org" }]);
    const updated = await db.update(teams).set(body).where(and(eq(teams.orgId, auth.org.id), eq(teams.id, id))).returning(teamColumns).get();
    return c.json(Team.parse(updated));
  });
