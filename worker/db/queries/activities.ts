/** Per-row values of an insert; org, user, token hash and created_at are bound once per statement. */
const ROW_PARAMS = 7;
/** D1 allows 100 bound parameters per statement: 4 shared + 13 rows × 7. */
export const ACTIVITY_ROWS_PER_STATEMENT = Math.floor((100 - 4) / ROW_PARAMS);

export interface ActivityInsert {
  clientEventId: string;
  kind: string;
  occurredAt: number;
  day: string;
  amount: number | null;
  customer: string | null;
  source: string;
}

/**
 * The idempotent write of POST /v1/activities, as statements for ONE db.batch:
 * INSERT … SELECT FROM (VALUES …) WHERE <token still live> ON CONFLICT(org_id, client_event_id)
 * DO NOTHING RETURNING client_event_id, chunked to D1's parameter limit. The liveness guard
 * makes a revoked token write nothing even when the caller came from the auth cache.
 * Raw SQL because drizzle has no INSERT … SELECT FROM VALUES.
 */
export function tokenIsLiveRaw(d1: D1Database, scope: { orgId: string; userId: string; tokenHash: string }): D1PreparedStatement {
  return d1
    .prepare(
      `SELECT 1 AS ok FROM device_tokens t JOIN users u ON u.id = t.user_id AND u.org_id = t.org_id
       WHERE t.token_hash = ? AND t.org_id = ? AND t.user_id = ? AND t.revoked_at IS NULL AND u.active = 1`,
    )
    .bind(scope.tokenHash, scope.orgId, scope.userId);
}

export function insertActivitiesStatements(
  d1: D1Database,
  scope: { orgId: string; userId: string; tokenHash: string; now: number },
  rows: ActivityInsert[],
): D1PreparedStatement[] {
  const statements: D1PreparedStatement[] = [];
  for (let i = 0; i < rows.length; i += ACTIVITY_ROWS_PER_STATEMENT) {
    const chunk = rows.slice(i, i + ACTIVITY_ROWS_PER_STATEMENT);
    const values = chunk.map(() => "(?, ?, ?, ?, ?, ?, ?)").join(", ");
    const params: (string | number | null)[] = [scope.orgId, scope.userId, scope.now];
    for (const r of chunk) params.push(r.clientEventId, r.kind, r.occurredAt, r.day, r.amount, r.customer, r.source);
    params.push(scope.tokenHash);
    statements.push(
      d1
        .prepare(
          `INSERT INTO activities (org_id, user_id, created_at, client_event_id, kind, occurred_at, day, amount, customer, source)
           SELECT ?1, ?2, ?3, v.column1, v.column2, v.column3, v.column4, v.column5, v.column6, v.column7
           FROM (VALUES ${values}) AS v
           WHERE EXISTS (
             SELECT 1 FROM device_tokens t JOIN users u ON u.id = t.user_id AND u.org_id = t.org_id
             WHERE t.token_hash = ?${params.length} AND t.org_id = ?1 AND t.user_id = ?2 AND t.revoked_at IS NULL AND u.active = 1
           )
           ON CONFLICT (org_id, client_event_id) DO NOTHING
           RETURNING client_event_id`,
        )
        .bind(...params),
    );
  }
  return statements;
}

/** Key customers whose label a touch carries: last_response_at moves forward, never back. */
export function touchKeyCustomersStatements(
  d1: D1Database,
  scope: { orgId: string; userId: string; tokenHash: string },
  rows: ActivityInsert[],
): D1PreparedStatement[] {
  const latest = new Map<string, number>();
  for (const r of rows) {
    if (r.kind !== "touch" || !r.customer) continue;
    latest.set(r.customer, Math.max(latest.get(r.customer) ?? 0, r.occurredAt));
  }
  return [...latest].map(([label, at]) =>
    d1
      .prepare(
        `UPDATE key_customers SET last_response_at = max(coalesce(last_response_at, 0), ?1)
         WHERE org_id = ?2 AND user_id = ?3 AND label = ?4
           AND EXISTS (SELECT 1 FROM device_tokens t WHERE t.token_hash = ?5 AND t.org_id = ?2 AND t.user_id = ?3 AND t.revoked_at IS NULL)`,
      )
      .bind(at, scope.orgId, scope.userId, label, scope.tokenHash),
  );
}
