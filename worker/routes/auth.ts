import { Hono } from "hono";
import { TokenQuery } from "../../shared/api";
import { CreatePairingCodeRequest, DeviceTokenList, MeResponse, PairingCodeResponse } from "../../shared/schemas/auth";
import { PAIRING_ALPHABET, PAIRING_CODE_LENGTH } from "../../shared/schemas/pairing";
import { randomCode, sha256Hex } from "../auth/crypto";
import { evictAuth, requireAuth } from "../auth/middleware";
import { requireRole } from "../auth/roles";
import { findUserInScope } from "../auth/scope";
import { db as makeDb } from "../db/client";
import { insertPairingCode } from "../db/queries/pairing";
import { findToken, listTokens, revokeToken } from "../db/queries/tokens";
import type { AppEnv } from "../env";
import { ApiError } from "../errors";
import { iso, isoOrNull } from "../time";
import { readBody, readQuery } from "../validate";
import { PAIRING_CODE_TTL_MS } from "./pairing";

export const me = new Hono<AppEnv>().use(requireAuth).get("/", (c) => {
  const { user, org, tokenId } = c.var.auth;
  return c.json(
    MeResponse.parse({
      user: { id: user.id, name: user.name, role: user.role, seniority: user.seniority, teamId: user.teamId },
      org: { id: org.id, name: org.name, timeZone: org.calendar.timeZone, language: org.language },
      tokenId,
      serverTime: iso(c.var.now),
    }),
  );
});

/** One-time pairing codes, created by a manager, director or admin for a user in their scope. */
export const pairingCodes = new Hono<AppEnv>()
  .use(requireAuth, requireRole("manager", "director", "admin"))
  .post("/", async (c) => {
    const body = await readBody(c, CreatePairingCodeRequest);
    const db = makeDb(c.env.DB);
    const target = await findUserInScope(db, c.var.auth, body.userId);
    if (!target) throw new ApiError("not_found", "No such user in your scope");
    if (!target.active) throw new ApiError("conflict", "The user is deactivated");
    const code = randomCode(PAIRING_ALPHABET, PAIRING_CODE_LENGTH);
    const expiresAt = c.var.now + PAIRING_CODE_TTL_MS;
    await insertPairingCode(db, {
      codeHash: await sha256Hex(code),
      orgId: c.var.auth.org.id,
      userId: target.id,
      createdBy: c.var.auth.user.id,
      expiresAt,
    });
    return c.json(PairingCodeResponse.parse({ code, userId: target.id, expiresAt: iso(expiresAt) }), 201);
  });

/** Device tokens: list per user, revoke. Own tokens always; others' within the caller's scope (not reps). */
export const tokens = new Hono<AppEnv>()
  .use(requireAuth)
  .get("/", async (c) => {
    const q = readQuery(c, TokenQuery);
    const { auth } = c.var;
    const db = makeDb(c.env.DB);
    const userId = q.userId ?? auth.user.id;
    if (userId !== auth.user.id && !(auth.user.role !== "rep" && (await findUserInScope(db, auth, userId))))
      throw new ApiError("not_found", "No such user in your scope");
    const rows = await listTokens(db, auth.org.id, userId);
    return c.json(
      DeviceTokenList.parse({
        tokens: rows.map((t) => ({ ...t, createdAt: iso(t.createdAt), lastUsedAt: isoOrNull(t.lastUsedAt), revokedAt: isoOrNull(t.revokedAt) })),
      }),
    );
  })
  .delete("/:id", async (c) => {
    const { auth } = c.var;
    const db = makeDb(c.env.DB);
    const token = await findToken(db, auth.org.id, c.req.param("id"));
    const allowed =
      token && (token.userId === auth.user.id || (auth.user.role !== "rep" && (await findUserInScope(db, auth, token.userId))));
    if (!token || !allowed) throw new ApiError("not_found", "No such token in your scope");
    await revokeToken(db, auth.org.id, token.id, c.var.now);
    evictAuth(token.tokenHash);
    return c.body(null, 204);
  });
