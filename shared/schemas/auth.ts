import { z } from "zod";
import { Id, IsoInstant } from "./common";
import { MeOrg, MeUser } from "./pairing";

export const CreatePairingCodeRequest = z.strictObject({ userId: Id });
export const PairingCodeResponse = z.object({
  code: z.string(),
  userId: Id,
  expiresAt: IsoInstant,
});

export const DeviceToken = z.object({
  id: Id,
  userId: Id,
  label: z.string().nullable(),
  createdAt: IsoInstant,
  lastUsedAt: IsoInstant.nullable(),
  revokedAt: IsoInstant.nullable(),
});
export const DeviceTokenList = z.object({ tokens: z.array(DeviceToken) });

export const MeResponse = z.object({
  user: MeUser,
  org: MeOrg,
  tokenId: Id,
  serverTime: IsoInstant,
});
