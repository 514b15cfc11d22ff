import { expect, test } from "vitest";
import { progressFixture } from "../test-support/progress";
import { defaultDirection, kpisMet, sortReps, streakValue, teamPk, type TeamRow } from "./team";

function rep(name: string, overrides: { completion?: number; target?: number; alert?: TeamRow["alertLevel"]; met?: number; streak?: TeamRow["streak"]; last?: string | null; teamId?: string | null }): TeamRow {
  const base = progressFixture({ completion: overrides.completion ?? 0.5, target: overrides.target ?? 100 });
  const met = overrides.met ?? 0;
  return {
    ...base,
    userId: `u_${name}`,
    name,
    seniority: "mid",
    teamId: overrides.teamId === undefined ? "t_east" : overrides.teamId,
    today: { status: "below", kpis: base.today.kpis.map((k, i) => ({ ...k, count: i < met ? k.minimum : 0 })) },
    alertLevel: overrides.alert ?? null,
    streak: overrides.streak ?? { meets: 0, below: 0 },
    lastActivityAt: overrides.last === undefined ? "2026-11-23T01:00:00.000Z" : overrides.last,
  };
}

const rows = [
  rep("Li", { completion: 0.9, alert: null, met: 4, streak: { meets: 3, below: 0 }, last: "2026-11-23T03:00:00.000Z" }),
  rep("Chen", { completion: 0.4, alert: "orange", met: 1, streak: { meets: 0, below: 3 }, last: null }),
  rep("Zhang", { completion: 0.6, alert: "red", met: 2, streak: { meets: 0, below: 1 }, last: "2026-11-22T03:00:00.000Z" }),
  rep("An", { target: 0, completion: 1, alert: "yellow", met: 2, streak: { meets: 1, below: 0 }, teamId: "t_west" }),
];
const names = (list: TeamRow[]) => list.map((r) => r.name);

test.each([
  ["name", "ascending", ["An", "Chen", "Li", "Zhang"]],
  ["name", "descending", ["Zhang", "Li", "Chen", "An"]],
  // no target sorts below every real completion
  ["completion", "ascending", ["An", "Chen", "Zhang", "Li"]],
  ["alert", "descending", ["Zhang", "Chen", "An", "Li"]],
  // ties (An and Zhang both met 2) keep name order
  ["today", "ascending", ["Chen", "An", "Zhang", "Li"]],
  ["streak", "ascending", ["Chen", "Zhang", "An", "Li"]],
  // never active first
  ["lastActivity", "ascending", ["Chen", "Zhang", "An", "Li"]],
] as const)("sort by %s %s", (column, direction, expected) => {
  expect(names(sortReps(rows, column, direction))).toEqual(expected);
});

test("first click sorts worst first: red alerts at the top, everything else ascending", () => {
  expect(defaultDirection("alert")).toBe("descending");
  expect(defaultDirection("completion")).toBe("ascending");
  expect(defaultDirection("name")).toBe("ascending");
});

test("KPIs met and streak value", () => {
  expect(rows.map(kpisMet)).toEqual([4, 1, 2, 2]);
  expect(rows.map(streakValue)).toEqual([3, -3, -1, 1]);
});

test("team PK ranks teams by the mean completion of reps with a target", () => {
  const standings = teamPk(
    [...rows, rep("Wu", { completion: 0.8, teamId: "t_west" }), rep("Ma", { completion: 2, teamId: null })],
    [
      { id: "t_east", name: "East" },
      { id: "t_west", name: "West" },
    ],
  );
  expect(standings).toEqual([
    { teamId: "t_west", name: "West", reps: 1, completion: 0.8 },
    { teamId: "t_east", name: "East", reps: 3, completion: (0.9 + 0.4 + 0.6) / 3 },
  ]);
});
