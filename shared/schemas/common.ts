import { z } from "zod";

/** ISO-8601 UTC instant on the wire, e.g. 2026-11-23T08:15:00.000Z. */
export const IsoInstant = z.iso.datetime({ offset: false });
/** A local calendar date in the org's timezone. */
export const LocalDate = z.iso.date();
/** Client-generated identifiers (UUID v4 from crypto.randomUUID()). */
export const ClientId = z.uuid();
/** Server ids are opaque strings. */
export const Id = z.string().min(1).max(64);

export const ErrorEnvelope = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    details: z.unknown().optional(),
  }),
});
