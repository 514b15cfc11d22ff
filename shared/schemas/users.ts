import { z } from "zod";
import { SENIORITIES } from "../domain/kinds";
import { Id, LocalDate } from "./common";

export const ROLES = ["rep", "manager", "director", "admin"] as const;
export const Role = z.enum(ROLES);
export type Role = z.infer<typeof Role>;
export const Seniority = z.enum(SENIORITIES);

const Name = z.string().trim().min(1).max(80);

export const User = z.object({
  id: Id,
  name: z.string(),
  email: z.string().nullable(),
  role: Role,
  seniority: Seniority,
  teamId: Id.nullable(),
  managerId: Id.nullable(),
  hireDate: LocalDate.nullable(),
  rampPercent: z.int(),
  active: z.boolean(),
});
export type User = z.infer<typeof User>;

export const CreateUserRequest = z.strictObject({
  name: Name,
  email: z.email().max(200).optional(),
  role: Role.default("rep"),
  seniority: Seniority.default("mid"),
  teamId: Id.optional(),
  managerId: Id.optional(),
  hireDate: LocalDate.optional(),
  /** Ramp for new hires: share of the full quota, percent. */
  rampPercent: z.int().min(0).max(100).default(100),
});

export const UpdateUserRequest = z
  .strictObject({
    name: Name,
    email: z.email().max(200).nullable(),
    role: Role,
    seniority: Seniority,
    teamId: Id.nullable(),
    managerId: Id.nullable(),
    hireDate: LocalDate.nullable(),
    rampPercent: z.int().min(0).max(100),
    active: z.boolean(),
  })
  .partial()
  .refine((v) => Object.keys(v).length > 0, "Nothing to update");

export const UserList = z.object({ users: z.array(User) });

export const Team = z.object({
  id: Id,
  name: z.string(),
  kind: z.enum(["department", "team"]),
  parentId: Id.nullable(),
  leaderId: Id.nullable(),
});
export const TeamList = z.object({ teams: z.array(Team) });
export const CreateTeamRequest = z.strictObject({
  name: Name,
  kind: z.enum(["department", "team"]).default("team"),
  parentId: Id.optional(),
  leaderId: Id.optional(),
});
export const UpdateTeamRequest = z
  .strictObject({ name: Name, parentId: Id.nullable(), leaderId: Id.nullable() })
  .partial()
  .refine((v) => Object.keys(v).length > 0, "Nothing to update");
