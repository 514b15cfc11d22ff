import { and, eq, or, sql, type SQL } from "drizzle-orm";
import type { Db } from "../db/client";
import { teams, users } from "../db/schema";
import type { AuthContext } from "./context";

/**
 * Data scopes (DOMAIN.md): rep = self, manager = own team (and direct reports),
 * director = own department subtree, admin = whole org. Always combined with the org filter.
 *
 * Returns a condition on the `users` table.
 */
export function userScope(auth: AuthContext): SQL {
  const { user, org } = auth;
  const inOrg = eq(users.orgId, org.id);
  switch (user.role) {
    case "admin":
      return inOrg;
    case "manager":
      return and(
        inOrg,
        or(eq(users.id, user.id), eq(users.managerId, user.id), user.teamId === null ? sql`0` : eq(users.teamId, user.teamId)),
      )!;
    case "director":
      return and(
        inOrg,
        or(
          eq(users.id, user.id),
          eq(users.managerId, user.id),
          user.teamId === null
            ? sql`0`
            : sql`${users.teamId} IN (WITH RECURSIVE subtree(id) AS (
                SELECT id FROM teams WHERE org_id = ${org.id} AND id = ${user.teamId}
                UNION SELECT t.id FROM teams t JOIN subtree s ON t.parent_id = s.id WHERE t.org_id = ${org.id}
              ) SELECT id FROM subtree)`,
        ),
      )!;
    case "rep":
      return and(inOrg, eq(users.id, user.id))!;
  }
}

/** Ids of the users in the caller's scope, as a subquery for `inArray(x.userId, …)`. */
export function scopedUserIds(db: Db, auth: AuthContext) {
  return db.select({ id: users.id }).from(users).where(userScope(auth));
}

/** Teams in the caller's scope: admin all, director their subtree, others their own team. A condition on `teams`. */
export function teamScope(auth: AuthContext): SQL {
  const { user, org } = auth;
  const inOrg = eq(teams.orgId, org.id);
  if (user.role === "admin") return inOrg;
  if (user.teamId === null) return sql`0`;
  if (user.role === "director")
    return and(
      inOrg,
      sql`${teams.id} IN (WITH RECURSIVE subtree(id) AS (
        SELECT id FROM teams WHERE org_id = ${org.id} AND id = ${user.teamId}
        UNION SELECT t.id FROM teams t JOIN subtree s ON t.parent_id = s.id WHERE t.org_id = ${org.id}
      ) SELECT id FROM subtree)`,
    )!;
  return and(inOrg, eq(teams.id, user.teamId))!;
}

/** Is `userId` in the caller's scope? One small query; returns the user's row or null. */
export async function findUserInScope(db: Db, auth: AuthContext, userId: string) {
  return (
    (await db
      .select({
        id: users.id,
        name: users.name,
        role: users.role,
        seniority: users.seniority,
        teamId: users.teamId,
        managerId: users.managerId,
        rampPercent: users.rampPercent,
        active: users.active,
        hireDate: users.hireDate,
      })
      .from(users)
      .where(and(eq(users.id, userId), userScope(auth)))
      .get()) ?? null
  );
}
