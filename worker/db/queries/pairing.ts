import { and, eq, gt, isNull, sql } from "drizzle-orm";
import type { Db } from "../client";
import { deviceTokens, orgs, pairingCodes, users } from "../schema";

export interface PairingInput {
  codeHash: string;
  tokenId: string;
  tokenHash: string;
  label: string | null;
  now: number;
}

/**
 * Exchanges a pairing code for a device token in ONE atomic batch: claim the code
 * (only if unused and unexpired), create the token from the claimed row, read back
 * the user and org. A wrong, expired or reused code claims nothing, so nothing is written.
 */
export async function exchangePairingCode(db: Db, input: PairingInput) {
  const claimed = and(eq(pairingCodes.codeHash, input.codeHash), eq(pairingCodes.tokenId, input.tokenId));
  const [, , rows] = await db.batch([
    db
      .update(pairingCodes)
      .set({ usedAt: input.now, tokenId: input.tokenId })
      .where(and(eq(pairingCodes.codeHash, input.codeHash), isNull(pairingCodes.usedAt), gt(pairingCodes.expiresAt, input.now))),
    db.insert(deviceTokens).select(
      db
        .select({
          id: sql`${input.tokenId}`.as("id"),
          orgId: pairingCodes.orgId,
          userId: pairingCodes.userId,
          tokenHash: sql`${input.tokenHash}`.as("token_hash"),
          label: sql`${input.label}`.as("label"),
          createdAt: sql`${input.now}`.as("created_at"),
          lastUsedAt: sql`NULL`.as("last_used_at"),
          revokedAt: sql`NULL`.as("revoked_at"),
        })
        .from(pairingCodes)
        .where(claimed),
    ),
    db
      .select({
        userId: sql<string>`${users.id}`.as("user_id"),
        userName: sql<string>`${users.name}`.as("user_name"),
        role: users.role,
        seniority: users.seniority,
        teamId: users.teamId,
        orgId: sql<string>`${orgs.id}`.as("org_id"),
        orgName: sql<string>`${orgs.name}`.as("org_name"),
        timeZone: orgs.timeZone,
        language: orgs.language,
      })
      .from(pairingCodes)
      .innerJoin(users, and(eq(users.id, pairingCodes.userId), eq(users.orgId, pairingCodes.orgId)))
      .innerJoin(orgs, eq(orgs.id, pairingCodes.orgId))
      .where(claimed),
  ]);
  // D1 batch results are mapped by column name and users/orgs share `id`/`name`: alias them.
  const row = rows[0];
  if (!row) return null;
  return {
    user: { id: row.userId, name: row.userName, role: row.role, seniority: row.seniority, teamId: row.teamId },
    org: { id: row.orgId, name: row.orgName, timeZone: row.timeZone, language: row.language },
  };
}

export async function insertPairingCode(
  db: Db,
  row: { codeHash: string; orgId: string; userId: string; createdBy: string | null; expiresAt: number },
) {
  await db.insert(pairingCodes).values(row);
}
