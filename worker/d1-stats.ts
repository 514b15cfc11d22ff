/**
 * D1 work per request, measured: a D1Database that counts what it sends — round trips (each `run`/`all`/`first`/`raw`
 * of a statement, each `batch`, each `exec`) and the statements they carry — and the time spent waiting for them.
 *
 * Enabled per deployment with the var SERVER_TIMING = "1" (app.ts wraps env.DB for the request and reports
 * `Server-Timing: d1;dur=<ms>;desc="round-trips=<n> statements=<n>"`). It is off by default and separate from
 * ALLOW_TIME_TRAVEL, so a staging or production deployment can be measured without letting clients move the clock.
 * Work the request starts but does not wait for (ctx.waitUntil bookkeeping) is counted if it was sent before the
 * answer was.
 */

import type { D1Stats } from "./server-timing";

async function track<T>(stats: D1Stats, statements: number, call: () => Promise<T>): Promise<T> {
  stats.roundTrips += 1;
  stats.statements += statements;
  const start = performance.now();
  try {
    return await call();
  } finally {
    stats.ms += performance.now() - start;
  }
}

class CountingStatement {
  constructor(
    readonly inner: D1PreparedStatement,
    private readonly stats: D1Stats,
  ) {}
  bind(...values: unknown[]): CountingStatement {
    return new CountingStatement(this.inner.bind(...values), this.stats);
  }
  first<T>(column?: string): Promise<T | null> {
    return track(this.stats, 1, () => (column === undefined ? this.inner.first<T>() : this.inner.first<T>(column)));
  }
  run<T>(): Promise<D1Result<T>> {
    return track(this.stats, 1, () => this.inner.run<T>());
  }
  all<T>(): Promise<D1Result<T>> {
    return track(this.stats, 1, () => this.inner.all<T>());
  }
  raw<T>(options?: { columnNames?: boolean }): Promise<T[]> {
    return track(this.stats, 1, () => this.inner.raw<T>(options as { columnNames: true }) as Promise<T[]>);
  }
}

const unwrap = (s: D1PreparedStatement): D1PreparedStatement => (s instanceof CountingStatement ? s.inner : s);

/** `db`, counting into `stats`. Statements it prepares may be passed to its `batch` (drizzle does). */
export function countingD1(db: D1Database, stats: D1Stats): D1Database {
  const counting = {
    prepare: (query: string) => new CountingStatement(db.prepare(query), stats),
    batch: <T>(statements: D1PreparedStatement[]) => track(stats, statements.length, () => db.batch<T>(statements.map(unwrap))),
    exec: async (query: string) => {
      const result = await track(stats, 0, () => db.exec(query));
      stats.statements += result.count;
      return result;
    },
    dump: () => track(stats, 1, () => db.dump()),
    withSession: (constraintOrBookmark?: string) => {
      const session = db.withSession(constraintOrBookmark);
      return {
        prepare: (query: string) => new CountingStatement(session.prepare(query), stats),
        batch: <T>(statements: D1PreparedStatement[]) => track(stats, statements.length, () => session.batch<T>(statements.map(unwrap))),
        getBookmark: () => session.getBookmark(),
      };
    },
  };
  return counting as unknown as D1Database;
}
