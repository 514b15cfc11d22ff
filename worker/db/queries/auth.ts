import { and, eq, isNull, lt, or } from "drizzle-orm";
import type { AuthContext } from "../../auth/context";
import type { Db } from "../client";
import { deviceTokens, orgs, users } from "../schema";

/**
 * Looks up a live token by its hash. This is the one query that is not filtered by org:
 * the token is the credential that tells us the org.
 */
export async function findAuthByTokenHash(db: Db, tokenHash: string): Promise<AuthContext | null> {
  const row = await db
    .select({
      tokenId: deviceTokens.id,
      user: {
        id: users.id,
        orgId: users.orgId,
        name: users.name,
        role: users.role,
        seniority: users.seniority,
        teamId: users.teamId,
        rampPercent: users.rampPercent,
        hireDate: users.hireDate,
        createdAt: users.createdAt,
      },
      org: {
        id: orgs.id,
        name: orgs.name,
        language: orgs.language,
        timeZone: orgs.timeZone,
        weekStartsOn: orgs.weekStartsOn,
        workingWeekdays: orgs.workingWeekdays,
        holidays: orgs.holidays,
        makeupWorkdays: orgs.makeupWorkdays,
        settings: orgs.settings,
      },
    })
    .from(deviceTokens)
    .innerJoin(users, and(eq(users.id, deviceTokens.userId), eq(users.orgId, deviceTokens.orgId)))
    .innerJoin(orgs, eq(orgs.id, deviceTokens.orgId))
    .where(and(eq(deviceTokens.tokenHash, tokenHash), isNull(deviceTokens.revokedAt), eq(users.active, true)))
    .get();
  if (!row) return null;
  const { org } = row;
  return {
    tokenId: row.tokenId,
    user: row.user,
    org: {
      id: org.id,
      name: org.name,
      language: org.language,
      settings: org.settings,
      calendar: {
        timeZone: org.timeZone,
        weekStartsOn: org.weekStartsOn as 0 | 1 | 2 | 3 | 4 | 5 | 6,
        workingWeekdays: org.workingWeekdays,
        holidays: org.holidays,
        makeupWorkdays: org.makeupWorkdays,
      },
    },
  };
}

/** Throttled last-used bookkeeping: at most one write a minute per token. */
export async function touchToken(db: Db, orgId: string, tokenId: string, now: number): Promise<void> {
  await db
    .update(deviceTokens)
    .set({ lastUsedAt: now })
    .where(
      and(
        eq(deviceTokens.orgId, orgId),
        eq(deviceTokens.id, tokenId),
        or(isNull(deviceTokens.lastUsedAt), lt(deviceTokens.lastUsedAt, now - 60_000)),
      ),
    );
}

/** The hot paths' in-batch re-check: one row iff the token is live and its user active. */
export function tokenIsLiveStatement(db: Db, tokenHash: string, orgId: string, userId: string) {
  return db
    .select({ ok: deviceTokens.id })
    .from(deviceTokens)
    .innerJoin(users, and(eq(users.id, deviceTokens.userId), eq(users.orgId, deviceTokens.orgId)))
    .where(
      and(
        eq(deviceTokens.tokenHash, tokenHash),
        eq(deviceTokens.orgId, orgId),
        eq(deviceTokens.userId, userId),
        isNull(deviceTokens.revokedAt),
        eq(users.active, true),
      ),
    );
}
