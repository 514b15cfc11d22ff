import { createMiddleware } from "hono/factory";
import { db } from "../db/client";
import { findAuthByTokenHash } from "../db/queries/auth";
import type { AppEnv } from "../env";
import { ApiError } from "../errors";
import { sha256Hex } from "./crypto";

/** Requires `Authorization: Bearer <device token>` and puts the caller in c.var.auth. */
export const requireAuth = createMiddleware<AppEnv>(async (c, next) => {
  const header = c.req.header("authorization") ?? "";
  const match = /^Bearer\s+(\S{16,256})$/i.exec(header);
  if (!match?.[1]) throw new ApiError("unauthorized", "Missing or malformed bearer token");
  const auth = await findAuthByTokenHash(db(c.env.DB), await sha256Hex(match[1]));
  if (!auth) throw new ApiError("unauthorized", "Unknown or revoked device token");
  c.set("auth", auth);
  await next();
});
