import { sha256Hex } from "../auth/crypto";
import { db as drizzleDb } from "../db/client";
import { enqueueStatements } from "../notify/outbox";
import type { OrgPlan } from "./plan";

/**
 * An org's plan → chunked multi-row statements, each under D1's 100 bound parameters, in this order:
 *
 *   INSERT notification_outbox … ON CONFLICT …     ⌈messages / 14⌉
 *   INSERT coaching_tasks … ON CONFLICT DO NOTHING ⌈tasks / 11⌉
 *   INSERT awards … ON CONFLICT DO NOTHING         ⌈awards / 10⌉
 *   INSERT alerts … ON CONFLICT DO NOTHING        ⌈opened / 12⌉
 *   UPDATE alerts … FROM (VALUES …) (level raises) ⌈raises / 19⌉
 *   UPDATE alerts … FROM (VALUES …) (resolutions)  ⌈resolutions / 33⌉
 *   UPDATE orgs SET evaluated_through (only forward) 1
 *
 * Every row has a natural key; ids are derived from it (SHA-256 of org + key), so the same plan written twice, or by
 * two runs at once, leaves identical rows. Updates are guarded (`status <> 'resolved'`, level only upwards,
 * `evaluated_through < ?`), so they are idempotent and never move anything backwards.
 *
 * The statements go out in batches of at most WRITE_BATCH_STATEMENTS (one round trip and one transaction each; a
 * normal day is one batch). The order makes a run that dies between batches safe: evaluated_through moves last, so the
 * next run plans the same rows again; rows already written are ignored by their natural keys, messages already
 * enqueued by their dedup keys. Messages and tasks go before the alert rows they belong to, because the ladder emits
 * them when an alert opens or rises: an alert stored without them would never get them (the next run would see the
 * alert as existing). A test kills a run between batches to hold this.
 */
export const WRITE_BATCH_STATEMENTS = 100;

export function writeBatches(statements: D1PreparedStatement[]): D1PreparedStatement[][] {
  const out: D1PreparedStatement[][] = [];
  for (let i = 0; i < statements.length; i += WRITE_BATCH_STATEMENTS) out.push(statements.slice(i, i + WRITE_BATCH_STATEMENTS));
  return out;
}
const MAX_PARAMS = 100;

export async function naturalId(prefix: string, orgId: string, naturalKey: string): Promise<string> {
  return `${prefix}_${(await sha256Hex(`${orgId}\u0000${naturalKey}`)).slice(0, 32)}`;
}

function chunks<T>(items: T[], paramsPerRow: number, reserved = 0): T[][] {
  const size = Math.floor((MAX_PARAMS - reserved) / paramsPerRow);
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

const tuple = (n: number) => `(${Array.from({ length: n }, () => "?").join(", ")})`;

export async function writeStatements(d1: D1Database, plan: OrgPlan, now: number): Promise<D1PreparedStatement[]> {
  const org = plan.orgId;
  const statements: D1PreparedStatement[] = [];

  // Notifications first: if a run dies between batches, what it did not write is planned again next time, and
  // messages already enqueued are deduplicated — whereas an alert written without its message would never send it.
  // (The outbox's own statement builder, bound onto this batch's D1 handle.)
  for (const q of enqueueStatements(drizzleDb(d1), plan.outbox, now)) {
    const { sql, params } = q.toSQL();
    statements.push(d1.prepare(sql).bind(...params));
  }

  /** Chunked multi-row `INSERT … ON CONFLICT (org_id, natural_key) DO NOTHING`; each row's values in `columns` order. */
  const insertOnce = (table: string, columns: string[], rows: unknown[][]) => {
    for (const chunk of chunks(rows, columns.length)) {
      statements.push(
        d1
          .prepare(
            `INSERT INTO ${table} (${columns.join(", ")})
             VALUES ${chunk.map(() => tuple(columns.length)).join(", ")} ON CONFLICT (org_id, natural_key) DO NOTHING`,
          )
          .bind(...chunk.flat()),
      );
    }
  };

  insertOnce(
    "coaching_tasks",
    ["id", "org_id", "user_id", "assignee_id", "alert_id", "kind", "natural_key", "due_day", "created_at"],
    await Promise.all(
      plan.tasks.map(async (t) => [
        await naturalId("tsk", org, t.naturalKey),
        org,
        t.userId,
        t.assigneeId,
        await naturalId("alt", org, t.alertKey),
        t.kind,
        t.naturalKey,
        t.dueDay,
        t.createdAt,
      ]),
    ),
  );
  insertOnce(
    "awards",
    ["id", "org_id", "user_id", "team_id", "kind", "period_key", "tier", "natural_key", "details", "created_at"],
    await Promise.all(
      plan.awards.map(async (a) => [
        await naturalId("awd", org, a.naturalKey),
        org,
        a.userId,
        a.teamId,
        a.kind,
        a.periodKey,
        a.tier,
        a.naturalKey,
        JSON.stringify(a.details),
        a.createdAt,
      ]),
    ),
  );
  insertOnce(
    "alerts",
    ["id", "org_id", "user_id", "level", "rule", "natural_key", "details", "opened_at"],
    await Promise.all(
      plan.alerts.map(async (a) => [await naturalId("alt", org, a.naturalKey), org, a.userId, a.level, a.rule, a.naturalKey, JSON.stringify(a.details), a.openedAt]),
    ),
  );

  const raises = plan.raises.map((r) => [r.naturalKey, r.level, r.seniorHelp ? 1 : 0, r.nextAction, r.at]);
  for (const chunk of chunks(raises, 5, 1)) {
    statements.push(
      d1
        .prepare(
          `UPDATE alerts
              SET level = v.column2,
                  details = json_set(alerts.details, '$.seniorHelp', json(CASE v.column3 WHEN 1 THEN 'true' ELSE 'false' END),
                                     '$.nextAction', v.column4, '$.escalatedAt', v.column5)
             FROM (VALUES ${chunk.map(() => tuple(5)).join(", ")}) AS v
            WHERE alerts.org_id = ? AND alerts.natural_key = v.column1 AND alerts.status <> 'resolved'
              AND (CASE alerts.level WHEN 'yellow' THEN 1 WHEN 'orange' THEN 2 ELSE 3 END)
                < (CASE v.column2 WHEN 'yellow' THEN 1 WHEN 'orange' THEN 2 ELSE 3 END)`,
        )
        .bind(...chunk.flat(), org),
    );
  }

  const resolutions = plan.resolutions.map((r) => [r.naturalKey, r.at, r.reason]);
  for (const chunk of chunks(resolutions, 3, 1)) {
    statements.push(
      d1
        .prepare(
          `UPDATE alerts
              SET status = 'resolved', resolved_at = v.column2, details = json_set(alerts.details, '$.resolution', v.column3)
             FROM (VALUES ${chunk.map(() => tuple(3)).join(", ")}) AS v
            WHERE alerts.org_id = ? AND alerts.natural_key = v.column1 AND alerts.status <> 'resolved'`,
        )
        .bind(...chunk.flat(), org),
    );
  }

  if (plan.evaluatedThrough) {
    statements.push(
      d1
        .prepare(`UPDATE orgs SET evaluated_through = ? WHERE id = ? AND (evaluated_through IS NULL OR evaluated_through < ?)`)
        .bind(plan.evaluatedThrough, org, plan.evaluatedThrough),
    );
  }
  return statements;
}
