import { z } from "zod";
import { SENIORITIES } from "../domain/kinds";

export const ROLES = ["rep", "manager", "director", "admin"] as const;
export const Role = z.enum(ROLES);
export type Role = z.infer<typeof Role>;
export const Seniority = z.enum(SENIORITIES);
