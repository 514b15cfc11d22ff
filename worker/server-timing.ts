/**
 * The `Server-Timing: d1;…` header the worker adds when SERVER_TIMING = "1" (see d1-stats.ts), and its reader for
 * tests and benchmarks. No Workers types here, so Node scripts can import it.
 */

export interface D1Stats {
  roundTrips: number;
  statements: number;
  /** Summed wall time of the round trips, ms (overlapping calls count twice). */
  ms: number;
}

export function newD1Stats(): D1Stats {
  return { roundTrips: 0, statements: 0, ms: 0 };
}

export function serverTiming(stats: D1Stats): string {
  return `d1;dur=${stats.ms.toFixed(1)};desc="round-trips=${stats.roundTrips} statements=${stats.statements}"`;
}

/** Reads a `Server-Timing` header written by `serverTiming` (tests, benchmarks). */
export function parseServerTiming(header: string | null): Omit<D1Stats, "ms"> | null {
  const match = /d1;[^,]*desc="round-trips=(\d+) statements=(\d+)"/.exec(header ?? "");
  return match ? { roundTrips: Number(match[1]), statements: Number(match[2]) } : null;
}
