import { describe, expect, test } from "vitest";
import { LANGUAGES, MESSAGE_KINDS, renderMessage, tidyCjkSpacing, type Language, type NotificationMessage } from "./templates";

/** One realistic message of every kind (names in Chinese so a leaked English word stands out). */
const SAMPLES: { [K in NotificationMessage["kind"]]: Extract<NotificationMessage, { kind: K }> } = {
  alert_yellow: {
    kind: "alert_yellow",
    params: {
      repName: "李雷",
      consecutiveDays: 2,
      lastDay: "2026-11-24",
      shortfalls: [
        { kind: "touch", count: 3, minimum: 8 },
        { kind: "proposal_sent", count: 0, minimum: 1 },
      ],
    },
  },
  alert_orange: {
    kind: "alert_orange",
    params: { repName: "李雷", consecutiveDays: 3, lastDay: "2026-11-25", managerName: "王芳", coachingDueDay: "2026-11-26" },
  },
  alert_red: { kind: "alert_red", params: { repName: "张伟", weekStart: "2026-11-23", weekEnd: "2026-11-29", completion: 0.35 } },
  stale_customer: {
    kind: "stale_customer",
    params: { repName: "陈静", customer: "华东制造", silentDays: 8, nextAction: "roi_summary", escalated: true },
  },
  tier_reached: {
    kind: "tier_reached",
    params: { repName: "陈静", tierPercent: 80, periodKind: "month", periodKey: "2026-11", completion: 0.812 },
  },
  weekly_champion: {
    kind: "weekly_champion",
    params: { repName: "李雷", teamName: "华东组", weekStart: "2026-11-23", weekEnd: "2026-11-29", score: 0.874, result: 0.9, process: 0.813 },
  },
  most_improved: {
    kind: "most_improved",
    params: { repName: "张伟", weekStart: "2026-11-23", weekEnd: "2026-11-29", previousScore: 0.41, score: 0.66 },
  },
  team_pk: {
    kind: "team_pk",
    params: {
      weekStart: "2026-11-23",
      weekEnd: "2026-11-29",
      winner: "华东组",
      standings: [
        { team: "华东组", average: 0.92, rank: 1 },
        { team: "销售群", average: 0.71, rank: 2 },
      ],
    },
  },
  weekly_review_digest: {
    kind: "weekly_review_digest",
    params: {
      managerName: "王芳",
      teamName: "华东组",
      weekStart: "2026-11-23",
      weekEnd: "2026-11-29",
      teamCompletion: 0.72,
      reps: [
        { name: "李雷", completion: 0.95, alertLevel: null },
        { name: "张伟", completion: 0.35, alertLevel: "red" },
      ],
      openAlerts: 2,
      openTasks: 1,
    },
  },
  channel_test: { kind: "channel_test", params: { channelName: "销售群", requestedBy: "周敏" } },
};

const ALL = MESSAGE_KINDS.flatMap((kind) => LANGUAGES.map((language) => [kind, language] as const));

/** Characters that exist only in Simplified Chinese, and their Traditional counterparts. */
const SIMPLIFIED_ONLY = "这个达标经为务进级请创辅导时间发说获结过组队复盘会议节户应计划总军预红黄条项资签处报与线";
const TRADITIONAL_ONLY = "這個達標經為務進級請創輔導時間發說獲結過組隊復盤會議節戶應計劃總軍預紅黃條項資簽處報與線";

describe("templates", () => {
  test("every kind has a sample", () => {
    expect(Object.keys(SAMPLES).sort()).toEqual([...MESSAGE_KINDS].sort());
  });

  test.each(ALL)("%s in %s renders a title, text and markdown", (kind, language) => {
    const m = renderMessage(SAMPLES[kind], language);
    expect(m.title.length).toBeGreaterThan(3);
    expect(m.title).not.toContain("\n");
    expect(m.text.length).toBeGreaterThan(10);
    expect(m.markdown.length).toBeGreaterThan(10);
    expect(m.text + m.title).not.toMatch(/undefined|null|NaN|\$\{/);
  });

  test.each(ALL.filter(([, l]) => l !== "en"))("%s in %s has no English left in it", (kind, language) => {
    const m = renderMessage(SAMPLES[kind], language);
    // Only the acronym ROI may appear; dates and numbers are digits.
    const words = `${m.title}\n${m.text}`.match(/[A-Za-z]{2,}/g) ?? [];
    expect(words.filter((w) => w !== "ROI")).toEqual([]);
  });

  test.each(MESSAGE_KINDS)("%s in zh-TW uses Traditional characters only, zh-CN Simplified only", (kind) => {
    const tw = renderMessage(SAMPLES[kind], "zh-TW");
    const cn = renderMessage(SAMPLES[kind], "zh-CN");
    // Params are the same Simplified sample names in both, so strip them before checking the template's own text.
    const strip = (s: string) => s.replace(/李雷|王芳|张伟|陈静|华东制造|华东组|销售群|周敏/g, "");
    expect([...strip(tw.title + tw.text)].filter((c) => SIMPLIFIED_ONLY.includes(c))).toEqual([]);
    expect([...strip(cn.title + cn.text)].filter((c) => TRADITIONAL_ONLY.includes(c))).toEqual([]);
  });

  test.each<[Language, string, string]>([
    [
      "en",
      "Yellow alert: 李雷 below daily KPIs for 2 working days",
      "李雷 has been below the daily activity minimums for 2 consecutive working days (through Nov 24).\n" +
        "Short on: touches 3/8, proposals sent 0/1.\n" +
        "Rep and manager: agree today on a plan to get back on pace.",
    ],
    [
      "zh-CN",
      "黄色预警：李雷连续 2 个工作日未达标",
      "李雷已连续 2 个工作日未达到每日行为指标（截至11月24日）。\n未达标项：触达 3/8、方案发送 0/1。\n请销售和经理今天一起定好计划，尽快回到节奏。",
    ],
    [
      "zh-TW",
      "黃色警示：李雷連續 2 個工作天未達標",
      "李雷已連續 2 個工作天未達到每日行為指標（截至11月24日）。\n未達標項目：觸達 3/8、方案發送 0/1。\n請業務與主管今天一起訂好計畫，盡快跟上進度。",
    ],
  ])("alert_yellow in %s reads naturally", (language, title, text) => {
    const m = renderMessage(SAMPLES.alert_yellow, language);
    expect(m.title).toBe(title);
    expect(m.text).toBe(text);
  });

  test("markdown bolds key figures, separates paragraphs with a blank line and lists with '- '", () => {
    const m = renderMessage(SAMPLES.weekly_review_digest, "en");
    expect(m.markdown).toBe(
      "Hi 王芳, 华东组 closed the week at **72%** of target.\n\n" +
        "Open alerts: **2**. Open coaching tasks and reviews: **1**.\n\n" +
        "- 李雷: **95%**\n- 张伟: **35%** (red alert)",
    );
    expect(m.title).toBe("Weekly review: 华东组, Nov 23 – Nov 29");
  });

  test.each([
    ["李雷 已连续 2 个", "李雷已连续 2 个"],
    ["**李雷** 已连续 **2** 个", "**李雷**已连续 **2** 个"],
    ["Li Lei 已连续", "Li Lei 已连续"],
    ["已为 王芳 创建", "已为王芳创建"],
    ["华东组 本周", "华东组本周"],
  ])("CJK spacing: %s → %s", (input, expected) => {
    expect(tidyCjkSpacing(input)).toBe(expected);
  });

  test("names cannot inject formatting: values are escaped in markdown, verbatim in text", () => {
    const m = renderMessage({ kind: "channel_test", params: { channelName: "**team** [x](http://evil)", requestedBy: "_Li_ <b>" } }, "en");
    expect(m.text).toContain("“**team** [x](http://evil)”");
    expect(m.markdown).toContain("“\\*\\*team\\*\\* \\[x\\](http://evil)”");
    expect(m.markdown).toContain("\\_Li\\_ \\<b\\>");
  });

  test("rejects params that do not match the kind", () => {
    expect(() => renderMessage({ kind: "alert_red", params: { repName: "x" } } as unknown as NotificationMessage, "en")).toThrow();
  });
});
