import { and, eq } from "drizzle-orm";
import type { Db } from "../client";
import { users } from "../schema";

export function findUserInOrg(db: Db, orgId: string, userId: string) {
  return db
    .select({
      id: users.id,
      name: users.name,
      role: users.role,
      seniority: users.seniority,
      teamId: users.teamId,
      managerId: users.managerId,
      rampPercent: users.rampPercent,
      active: users.active,
    })
    .from(users)
    .where(and(eq(users.orgId, orgId), eq(users.id, userId)))
    .get();
}
