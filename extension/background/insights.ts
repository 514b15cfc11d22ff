import type { z } from "zod";
import type { MeUser } from "../../shared/schemas/pairing";
import type { ApiClient } from "../api/client";
import { describeSyncError } from "../api/outbox";
import type { Insights } from "../storage";

/**
 * The popup's data beyond the HUD, fetched in parallel: org settings (undo window), this month's leaderboard (the
 * server applies the org's privacy mode), alerts and tasks in the user's scope, the user's key customers, and for
 * managers, directors and admins the team summary and the teams. A call that fails keeps the previous value of its
 * part (the popup shows what it has and says that a refresh failed); the first failure is reported.
 */
export async function loadInsights(
  client: ApiClient,
  user: z.infer<typeof MeUser>,
  previous: Insights | null,
  now: () => number,
): Promise<Insights> {
  const prior = previous?.userId === user.id ? previous : null;
  // When the requests left: of two overlapping refreshes, the one that asked later has the newer answers.
  const requestedAt = now();
  const leader = user.role !== "rep";
  let error: unknown = undefined;
  const keep = async <T>(call: Promise<T>, fallback: T): Promise<T> => {
    try {
      return await call;
    } catch (failure) {
      error ??= failure;
      return fallback;
    }
  };
  const [org, leaderboard, alerts, tasks, customers, summary, teams] = await Promise.all([
    keep(client.call("getOrg").then((o) => o.settings.undoWindowMinutes), prior?.undoWindowMinutes ?? null),
    keep(client.call("leaderboard", { query: { period: "month" } }), prior?.leaderboard ?? null),
    keep(client.call("listAlerts", { query: { status: "active" } }).then((r) => r.alerts), prior?.alerts ?? []),
    keep(client.call("listTasks", { query: { status: "open" } }).then((r) => r.tasks), prior?.tasks ?? []),
    keep(client.call("listKeyCustomers").then((r) => r.customers.map((c) => c.label)), prior?.keyCustomers ?? []),
    leader ? keep(client.call("teamSummary"), prior?.team?.summary ?? null) : null,
    leader ? keep(client.call("listTeams").then((r) => r.teams), prior?.team?.teams ?? []) : [],
  ]);
  return {
    userId: user.id,
    fetchedAt: requestedAt,
    undoWindowMinutes: org,
    leaderboard,
    alerts,
    tasks,
    keyCustomers: customers,
    team: leader && summary ? { summary, teams } : null,
    error: error === undefined ? null : describeSyncError(error),
  };
}
