import { z } from "zod";
import { ActivityKind, ActivitySource } from "../../shared/schemas/activities";
import type { BackgroundRequest as RequestType } from "../messages";

/** Runtime check of every message the background receives (messages.ts has the types). */
export const BackgroundRequest = z.discriminatedUnion("type", [
  z.strictObject({ type: z.literal("getState") }),
  z.strictObject({ type: z.literal("sync") }),
  z.strictObject({
    type: z.literal("pair"),
    serverUrl: z.string().max(2048),
    code: z.string().max(64),
    deviceLabel: z.string().trim().min(1).max(80).optional(),
  }),
  z.strictObject({ type: z.literal("unpair") }),
  z.strictObject({
    type: z.literal("logActivity"),
    clientEventId: z.uuid().optional(),
    kind: ActivityKind,
    source: ActivitySource,
    customer: z.string().trim().min(1).max(80).optional(),
    amount: z.int().min(0).optional(),
  }),
]);

// The schema and the protocol types must describe the same messages.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const sameShape: Same<z.infer<typeof BackgroundRequest>, RequestType> = true;
void sameShape;
