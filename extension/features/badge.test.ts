import { describe, expect, test } from "vitest";
import { BADGE_COLORS, MAX_BADGE_LENGTH, badgeText, formatBadge } from "./badge";
import { progressFixture } from "../test-support/progress";
import type { ProgressResponse } from "../../shared/schemas/progress";

type Period = Partial<ProgressResponse["period"]>;

describe("badge text and colour", () => {
  test.each<[string, Period | null, number, string, string]>([
    ["62 % on a yellow pace", { completion: 0.62, band: "yellow" }, 0, "62%", BADGE_COLORS.yellow],
    ["waiting events replace % with a dot", { completion: 0.62, band: "yellow" }, 3, "62•", BADGE_COLORS.yellow],
    ["floors: 99.6 % is not yet 100 %", { completion: 0.996, band: "green" }, 0, "99%", BADGE_COLORS.green],
    ["float noise: 0.29 shows 29", { completion: 0.29, band: "red" }, 0, "29%", BADGE_COLORS.red],
    ["zero", { completion: 0, band: "red" }, 0, "0%", BADGE_COLORS.red],
    ["exactly done", { completion: 1, band: "green" }, 0, "100%", BADGE_COLORS.green],
    ["done with waiting events", { completion: 1, band: "green" }, 1, "100•", BADGE_COLORS.green],
    ["over-achieved", { completion: 4.56, band: "green" }, 0, "456%", BADGE_COLORS.green],
    ["beyond 999 %", { completion: 12.5, band: "green" }, 0, "999+", BADGE_COLORS.green],
    ["beyond 999 % with waiting events", { completion: 12.5, band: "green" }, 2, "999•", BADGE_COLORS.green],
    ["no target this period", { target: 0, completion: 1, band: "green" }, 0, "–", BADGE_COLORS.none],
    ["no target, waiting events", { target: 0, completion: 1, band: "green" }, 4, "–•", BADGE_COLORS.none],
    ["no progress yet", null, 0, "", BADGE_COLORS.none],
    ["no progress yet, waiting events", null, 7, "•", BADGE_COLORS.none],
  ])("%s", (_name, period, pending, text, color) => {
    const badge = formatBadge(period ? progressFixture(period) : null, pending);
    expect(badge.text).toBe(text);
    expect(badge.color).toBe(color);
    expect(badge.text.length).toBeLessThanOrEqual(MAX_BADGE_LENGTH);
  });

  test("text never exceeds 4 characters", () => {
    for (let completion = 0; completion < 20; completion += 0.0137) {
      for (const pending of [0, 1, 1000]) {
        expect(badgeText(progressFixture({ completion }), pending).length).toBeLessThanOrEqual(MAX_BADGE_LENGTH);
      }
    }
  });
});

describe("badge title", () => {
  const now = Date.parse("2026-11-23T02:00:12.000Z");
  const fetchedAt = Date.parse("2026-11-23T02:00:00.000Z");

  test("progress, pace, run-rate, waiting events and freshness", () => {
    const { title } = formatBadge(progressFixture(), 3, { now, fetchedAt, locale: "en" });
    expect(title.split("\n")).toEqual([
      "extName",
      "badge.progress(period.month, 62%, 682,000, 1,100,000)",
      "badge.pace(88%, band.yellow)",
      "badge.runRate(62,571, 7)",
      "badge.updated(12 seconds ago)",
      "badge.pending(3)#3",
    ]);
  });

  test("counts are not divided like money", () => {
    const { title } = formatBadge(
      progressFixture({ metric: "proposal_sent", target: 40, actual: 10, completion: 0.25, requiredRunRate: 30 / 7 }),
      0,
    );
    expect(title).toContain("badge.progress(period.month, 25%, 10, 40)");
    expect(title).toContain("badge.runRate(4.3, 7)");
  });

  test.each<[string, Period, string]>([
    ["target met", { actual: 120_000_000, completion: 1.09, requiredRunRate: 0 }, "badge.targetMet"],
    ["nothing expected yet", { pace: null, elapsedWorkingDays: 0 }, "badge.noPace"],
    ["no target", { target: 0 }, "badge.noTarget"],
  ])("%s", (_name, period, line) => {
    expect(formatBadge(progressFixture(period), 0).title.split("\n")).toContain(line);
  });

  test("not paired / not synced / sync error", () => {
    expect(formatBadge(null, 0, { paired: false }).title).toBe("extName\nbadge.notPaired");
    expect(formatBadge(null, 0).title).toBe("extName\nbadge.notSynced");
    expect(formatBadge(null, 1, { syncFailed: true }).title).toBe(
      "extName\nbadge.notSynced\nbadge.pending(1)#1\nbadge.syncError",
    );
  });
});
