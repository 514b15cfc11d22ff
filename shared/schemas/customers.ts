import { z } from "zod";
import { Id, IsoInstant } from "./common";

export const KeyCustomer = z.object({
  id: Id,
  userId: Id,
  label: z.string(),
  lastResponseAt: IsoInstant.nullable(),
  createdAt: IsoInstant,
  silentDays: z.int().nullable(),
});
export const KeyCustomerList = z.object({ customers: z.array(KeyCustomer) });
export const CreateKeyCustomerRequest = z.strictObject({
  label: z.string().trim().min(1).max(80),
  /** Defaults to the caller; managers may add for reps in scope. */
  userId: Id.optional(),
  lastResponseAt: z.iso.datetime({ offset: false }).optional(),
});
export const KeyCustomerQuery = z.strictObject({ userId: Id.optional() });
