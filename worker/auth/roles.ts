import { createMiddleware } from "hono/factory";
import type { Role } from "../../shared/schemas/users";
import type { AppEnv } from "../env";
import { ApiError } from "../errors";

/** Allows the route only to the given roles (after requireAuth). */
export function requireRole(...roles: Role[]) {
  return createMiddleware<AppEnv>(async (c, next) => {
    if (!roles.includes(c.var.auth.user.role)) throw new ApiError("forbidden", `Requires role ${roles.join(" or ")}`);
    await next();
  });
}
