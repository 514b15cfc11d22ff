import { Hono } from "hono";
import { PAIRING_CODE_LENGTH, PAIRING_CODE_TTL_MS, PairRequest, PairResponse } from "../../shared/schemas/pairing";
import { newDeviceToken, newId, sha256Hex } from "../auth/crypto";
import { db } from "../db/client";
import { exchangePairingCode } from "../db/queries/pairing";
import type { AppEnv } from "../env";
import { ApiError } from "../errors";
import { readBody } from "../validate";

export { PAIRING_CODE_LENGTH, PAIRING_CODE_TTL_MS };

export const pairing = new Hono<AppEnv>().post("/", async (c) => {
  const body = await readBody(c, PairRequest);
  const token = newDeviceToken();
  const tokenId = newId("tok");
  const paired = await exchangePairingCode(db(c.env.DB), {
    codeHash: await sha256Hex(body.code),
    tokenId,
    tokenHash: await sha256Hex(token),
    label: body.deviceLabel ?? null,
    now: c.var.now,
  });
  // One answer for wrong, expired and already-used codes: don't help guessing.
  if (!paired) throw new ApiError("pairing_code_invalid", "This pairing code is wrong, expired or already used");
  return c.json(PairResponse.parse({ token, tokenId, user: paired.user, org: paired.org }));
});
