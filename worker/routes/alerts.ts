import { and, desc, eq, inArray, type SQL } from "drizzle-orm";
import { Hono } from "hono";
import { AlertList, AlertListQuery, AlertRowOut, CompleteTaskRequest, TaskList, TaskListQuery, TaskOut } from "../../shared/schemas/insights";
import type { AuthContext } from "../auth/context";
import { requireAuth } from "../auth/middleware";
import { findUserInScope, scopedUserIds } from "../auth/scope";
import { db as makeDb, type Db } from "../db/client";
import { alerts, coachingTasks } from "../db/schema";
import type { AppEnv } from "../env";
import { ApiError } from "../errors";
import { iso, isoOrNull } from "../time";
import { readBody, readQuery } from "../validate";

const alertOut = (a: typeof alerts.$inferSelect) =>
  AlertRowOut.parse({
    id: a.id,
    userId: a.userId,
    level: a.level,
    rule: a.rule,
    status: a.status,
    details: a.details,
    openedAt: iso(a.openedAt),
    acknowledgedAt: isoOrNull(a.acknowledgedAt),
    resolvedAt: isoOrNull(a.resolvedAt),
  });

async function alertInScope(db: Db, auth: AuthContext, id: string) {
  return (
    (await db
      .select()
      .from(alerts)
      .where(and(eq(alerts.orgId, auth.org.id), eq(alerts.id, id), inArray(alerts.userId, scopedUserIds(db, auth))))
      .get()) ?? null
  );
}

/**
 * Alerts in the caller's scope (a rep sees their own). Acknowledge: the rep or a leader in
 * scope; resolve by hand: leaders only (alerts also resolve themselves on a good day).
 */
export const alertsRoute = new Hono<AppEnv>()
  .use(requireAuth)
  .get("/", async (c) => {
    const q = readQuery(c, AlertListQuery);
    const { auth } = c.var;
    const db = makeDb(c.env.DB);
    if (q.userId && !(await findUserInScope(db, auth, q.userId))) throw new ApiError("not_found", "No such user in your scope");
    const conditions: SQL[] = [eq(alerts.orgId, auth.org.id), q.userId ? eq(alerts.userId, q.userId) : inArray(alerts.userId, scopedUserIds(db, auth))];
    conditions.push(q.status === "active" ? inArray(alerts.status, ["open", "acknowledged"]) : eq(alerts.status, q.status));
    const rows = await db.select().from(alerts).where(and(...conditions)).orderBy(desc(alerts.openedAt)).limit(500);
    return c.json(AlertList.parse({ alerts: rows.map(alertOut) }));
  })
  .post("/:id/acknowledge", async (c) => {
    const db = makeDb(c.env.DB);
    const alert = await alertInScope(db, c.var.auth, c.req.param("id"));
    if (!alert) throw new ApiError("not_found", "No such alert in your scope");
    if (alert.status === "open")
      await db.update(alerts).set({ status: "acknowledged", acknowledgedAt: c.var.now }).where(and(eq(alerts.orgId, alert.orgId), eq(alerts.id, alert.id), eq(alerts.status, "open")));
    return c.json(alertOut((await alertInScope(db, c.var.auth, alert.id))!));
  })
  .post("/:id/resolve", async (c) => {
    const { auth } = c.var;
    if (auth.user.role === "rep") throw new ApiError("forbidden", "Only a manager, director or admin resolves an alert by hand");
    const db = makeDb(c.env.DB);
    const alert = await alertInScope(db, auth, c.req.param("id"));
    if (!alert) throw new ApiError("not_found", "No such alert in your scope");
    if (alert.status !== "resolved")
      await db
        .update(alerts)
        .set({ status: "resolved", resolvedAt: c.var.now, details: { ...alert.details, resolvedBy: auth.user.id } })
        .where(and(eq(alerts.orgId, alert.orgId), eq(alerts.id, alert.id)));
    return c.json(alertOut((await alertInScope(db, auth, alert.id))!));
  });

const taskOut = (t: typeof coachingTasks.$inferSelect) =>
  TaskOut.parse({
    id: t.id,
    userId: t.userId,
    assigneeId: t.assigneeId,
    alertId: t.alertId,
    kind: t.kind,
    dueDay: t.dueDay,
    status: t.status,
    note: t.note,
    createdAt: iso(t.createdAt),
    completedAt: isoOrNull(t.completedAt),
  });

/** Coaching tasks and review items (复盘): the leader's work list; reps see tasks about themselves. */
export const tasksRoute = new Hono<AppEnv>()
  .use(requireAuth)
  .get("/", async (c) => {
    const q = readQuery(c, TaskListQuery);
    const { auth } = c.var;
    const db = makeDb(c.env.DB);
    const conditions: SQL[] = [eq(coachingTasks.orgId, auth.org.id), inArray(coachingTasks.userId, scopedUserIds(db, auth))];
    if (q.status !== "all") conditions.push(eq(coachingTasks.status, q.status));
    const rows = await db.select().from(coachingTasks).where(and(...conditions)).orderBy(desc(coachingTasks.createdAt)).limit(500);
    return c.json(TaskList.parse({ tasks: rows.map(taskOut) }));
  })
  .post("/:id/complete", async (c) => {
    const body = await readBody(c, CompleteTaskRequest);
    const { auth } = c.var;
    if (auth.user.role === "rep") throw new ApiError("forbidden", "Tasks are completed by the manager");
    const db = makeDb(c.env.DB);
    const where = and(eq(coachingTasks.orgId, auth.org.id), eq(coachingTasks.id, c.req.param("id")), inArray(coachingTasks.userId, scopedUserIds(db, auth)));
    const task = await db.select().from(coachingTasks).where(where).get();
    if (!task) throw new ApiError("not_found", "No such task in your scope");
    if (task.status === "done") return c.json(taskOut(task));
    const done = await db.update(coachingTasks).set({ status: "done", note: body.note, completedAt: c.var.now }).where(where).returning().get();
    return c.json(taskOut(done!));
  });
