import { z } from "zod";
import { Id } from "./common";
import { Role, Seniority } from "./users";

/** Pairing codes: 8 characters from an alphabet without look-alikes (no 0/O, 1/I/L). */
export const PAIRING_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ";
export const PAIRING_CODE_LENGTH = 8;
/** How long a pairing code created by a leader (or by the bootstrap script) can be used: 10 minutes. */
export const PAIRING_CODE_TTL_MS = 10 * 60 * 1000;

export const PairingCode = z
  .string()
  .trim()
  .transform((s) => s.toUpperCase().replace(/[\s-]/g, ""))
  .pipe(z.string().length(PAIRING_CODE_LENGTH).regex(new RegExp(`^[${PAIRING_ALPHABET}]+$`), "unknown characters"));

export const PairRequest = z.strictObject({
  code: PairingCode,
  deviceLabel: z.string().trim().min(1).max(80).optional(),
});
export type PairRequest = z.input<typeof PairRequest>;

export const MeUser = z.object({
  id: Id,
  name: z.string(),
  role: Role,
  seniority: Seniority,
  teamId: Id.nullable(),
});

export const MeOrg = z.object({
  id: Id,
  name: z.string(),
  timeZone: z.string(),
  language: z.enum(["en", "zh-CN", "zh-TW"]),
});

export const PairResponse = z.object({
  token: z.string(),
  tokenId: Id,
  user: MeUser,
  org: MeOrg,
});
export type PairResponse = z.infer<typeof PairResponse>;
