import { and, asc, eq } from "drizzle-orm";
import { Hono } from "hono";
import { localDay } from "../../shared/domain/calendar";
import { dayDiff } from "../../shared/domain/day";
import { CreateKeyCustomerRequest, KeyCustomer, KeyCustomerList, KeyCustomerQuery } from "../../shared/schemas/customers";
import type { AuthContext } from "../auth/context";
import { newId } from "../auth/crypto";
import { requireAuth } from "../auth/middleware";
import { findUserInScope } from "../auth/scope";
import { db as makeDb, type Db } from "../db/client";
import { keyCustomers } from "../db/schema";
import type { AppEnv } from "../env";
import { ApiError } from "../errors";
import { iso, isoOrNull } from "../time";
import { readBody, readQuery } from "../validate";

/** Self always; other users only for leaders, within scope. */
async function subjectOf(db: Db, auth: AuthContext, userId: string | undefined): Promise<string> {
  if (!userId || userId === auth.user.id) return auth.user.id;
  if (auth.user.role === "rep" || !(await findUserInScope(db, auth, userId))) throw new ApiError("not_found", "No such user in your scope");
  return userId;
}

function out(row: typeof keyCustomers.$inferSelect, now: number, auth: AuthContext) {
  const cal = auth.org.calendar;
  const since = row.lastResponseAt ?? row.createdAt;
  return KeyCustomer.parse({
    id: row.id,
    userId: row.userId,
    label: row.label,
    lastResponseAt: isoOrNull(row.lastResponseAt),
    createdAt: iso(row.createdAt),
    silentDays: dayDiff(localDay(since, cal), localDay(now, cal)),
  });
}

/** A rep's key customers and how long each has been silent (touches with the label update it). */
export const customersRoute = new Hono<AppEnv>()
  .use(requireAuth)
  .get("/", async (c) => {
    const q = readQuery(c, KeyCustomerQuery);
    const db = makeDb(c.env.DB);
    const userId = await subjectOf(db, c.var.auth, q.userId);
    const rows = await db
      .select()
      .from(keyCustomers)
      .where(and(eq(keyCustomers.orgId, c.var.auth.org.id), eq(keyCustomers.userId, userId)))
      .orderBy(asc(keyCustomers.label));
    return c.json(KeyCustomerList.parse({ customers: rows.map((r) => out(r, c.var.now, c.var.auth)) }));
  })
  .post("/", async (c) => {
    const body = await readBody(c, CreateKeyCustomerRequest);
    const db = makeDb(c.env.DB);
    const userId = await subjectOf(db, c.var.auth, body.userId);
    const row = {
      id: newId("kc"),
      orgId: c.var.auth.org.id,
      userId,
      label: body.label,
      lastResponseAt: body.lastResponseAt ? Date.parse(body.lastResponseAt) : null,
      createdAt: c.var.now,
    };
    // Idempotent by (user, label): adding the same customer twice returns the existing one.
    await db.insert(keyCustomers).values(row).onConflictDoNothing();
    const stored = await db
      .select()
      .from(keyCustomers)
      .where(and(eq(keyCustomers.orgId, row.orgId), eq(keyCustomers.userId, userId), eq(keyCustomers.label, body.label)))
      .get();
    return c.json(out(stored!, c.var.now, c.var.auth), stored!.id === row.id ? 201 : 200);
  })
  .delete("/:id", async (c) => {
    const { auth } = c.var;
    const db = makeDb(c.env.DB);
    const row = await db.select().from(keyCustomers).where(and(eq(keyCustomers.orgId, auth.org.id), eq(keyCustomers.id, c.req.param("id")))).get();
    if (!row || (row.userId !== auth.user.id && (auth.user.role === "rep" || !(await findUserInScope(db, auth, row.userId)))))
      throw new ApiError("not_found", "No such key customer in your scope");
    await db.delete(keyCustomers).where(and(eq(keyCustomers.orgId, auth.org.id), eq(keyCustomers.id, row.id)));
    return c.body(null, 204);
  });
