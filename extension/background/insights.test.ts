import { expect, test } from "vitest";
import { HTTPError, NetworkError } from "../api/errors";
import type { ApiClient } from "../api/client";
import { loadInsights } from "./insights";

const REP = { id: "u_rep", name: "Chen", role: "rep" as const, seniority: "mid" as const, teamId: "t1" };
const MANAGER = { ...REP, id: "u_mgr", role: "manager" as const };
const answers: Record<string, unknown> = {
  getOrg: { settings: { undoWindowMinutes: 15 } },
  leaderboard: { privacy: "full", periodKey: "2026-11", rows: [] },
  listAlerts: { alerts: [{ id: "a1" }] },
  listTasks: { tasks: [{ id: "t1" }] },
  listKeyCustomers: { customers: [{ label: "ACME" }, { label: "Globex" }] },
  teamSummary: { serverTime: "x", day: "2026-11-23", reps: [] },
  listTeams: { teams: [{ id: "t1", name: "East" }] },
};

function client(failing: Record<string, unknown> = {}) {
  const calls: string[] = [];
  const api = {
    call: async (name: string) => {
      calls.push(name);
      if (name in failing) throw failing[name];
      return answers[name];
    },
  } as unknown as ApiClient;
  return { api, calls };
}

test("a rep gets settings, board, alerts, tasks and key customers, not the team", async () => {
  const { api, calls } = client();
  const insights = await loadInsights(api, REP, null, () => 1_000);
  expect(calls.sort()).toEqual(["getOrg", "leaderboard", "listAlerts", "listKeyCustomers", "listTasks"]);
  expect(insights).toEqual({
    userId: "u_rep",
    fetchedAt: 1_000,
    undoWindowMinutes: 15,
    leaderboard: answers.leaderboard,
    alerts: [{ id: "a1" }],
    tasks: [{ id: "t1" }],
    keyCustomers: ["ACME", "Globex"],
    team: null,
    error: null,
  });
});

test("a manager also gets the team summary and teams", async () => {
  const { api, calls } = client();
  const insights = await loadInsights(api, MANAGER, null, () => 1_000);
  expect(calls).toContain("teamSummary");
  expect(insights.team).toEqual({ summary: answers.teamSummary, teams: [{ id: "t1", name: "East" }] });
});

test("a failed part keeps its previous value; the first failure is reported", async () => {
  const previous = await loadInsights(client().api, MANAGER, null, () => 1_000);
  const { api } = client({ listTasks: new HTTPError(500, "internal", "boom"), teamSummary: new NetworkError("down") });
  const insights = await loadInsights(api, MANAGER, previous, () => 2_000);
  expect(insights.tasks).toEqual([{ id: "t1" }]);
  expect(insights.team?.summary).toEqual(answers.teamSummary);
  expect(insights.fetchedAt).toBe(2_000);
  expect(insights.error?.kind).toMatch(/http|network/);
});

test("a previous cache of another user is never reused", async () => {
  const previous = await loadInsights(client().api, MANAGER, null, () => 1_000);
  const { api } = client({ listTasks: new NetworkError("down") });
  expect((await loadInsights(api, REP, previous, () => 2_000)).tasks).toEqual([]);
});
