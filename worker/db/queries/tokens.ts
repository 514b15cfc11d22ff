import { and, desc, eq, isNull } from "drizzle-orm";
import type { Db } from "../client";
import { deviceTokens } from "../schema";

export function listTokens(db: Db, orgId: string, userId: string) {
  return db
    .select({
      id: deviceTokens.id,
      userId: deviceTokens.userId,
      label: deviceTokens.label,
      createdAt: deviceTokens.createdAt,
      lastUsedAt: deviceTokens.lastUsedAt,
      revokedAt: deviceTokens.revokedAt,
    })
    .from(deviceTokens)
    .where(and(eq(deviceTokens.orgId, orgId), eq(deviceTokens.userId, userId)))
    .orderBy(desc(deviceTokens.createdAt));
}

export function findToken(db: Db, orgId: string, tokenId: string) {
  return db
    .select({ id: deviceTokens.id, userId: deviceTokens.userId, tokenHash: deviceTokens.tokenHash, revokedAt: deviceTokens.revokedAt })
    .from(deviceTokens)
    .where(and(eq(deviceTokens.orgId, orgId), eq(deviceTokens.id, tokenId)))
    .get();
}

export function revokeToken(db: Db, orgId: string, tokenId: string, now: number) {
  return db
    .update(deviceTokens)
    .set({ revokedAt: now })
    .where(and(eq(deviceTokens.orgId, orgId), eq(deviceTokens.id, tokenId), isNull(deviceTokens.revokedAt)));
}
