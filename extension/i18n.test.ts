import { beforeEach, expect, test } from "vitest";
import { fakeBrowser } from "wxt/testing";
import { applyLanguage, currentLanguage, formatMessage, initI18n, localeDir, t, uiLocale, watchLanguage, type MessageTable } from "./i18n";
import { preferencesItem } from "./storage";

const tables: Record<string, MessageTable> = {
  "zh-CN": {
    popup_today: { message: "今天" },
    popup_waiting: { message: "1 条待同步 | $1 条待同步" },
    badge_runRate: { message: "每个工作日需完成 $1，剩余 $2 天" },
  },
  "zh-TW": { popup_today: { message: "今天（繁）" } },
};
const loaded: string[] = [];
const loader = async (language: string) => {
  loaded.push(language);
  if (!tables[language]) throw new Error("no such file");
  return tables[language]!;
};

beforeEach(async () => {
  fakeBrowser.reset();
  loaded.length = 0;
  // The browser's own language (what @wxt-dev/i18n answers with): English, with its substitutions.
  fakeBrowser.i18n.getMessage = ((key: string, subs?: string[]) => (key === "popup_today" ? "Today" : `${key}(${(subs ?? []).join(",")})`)) as never;
  fakeBrowser.i18n.getUILanguage = () => "en-US";
  await applyLanguage("auto", loader);
});

test.each([
  ["$1 of $2", [["3", "6"]], "3 of 6"],
  ["costs $$5 and $1", [["x"]], "costs $5 and x"],
  ["missing $2", [["a"]], "missing "],
  ["1 waiting | $1 waiting", [1], "1 waiting"],
  ["1 waiting | $1 waiting", [4], "4 waiting"],
  ["none | one | $1 many", [0], "none"],
  ["none | one | $1 many", [7], "7 many"],
  ["{more} → {percent}%", [{ more: "3 more proposals", percent: 80 }], "3 more proposals → 80%"],
  ["{a} and {unknown}", [{ a: 1 }], "1 and {unknown}"],
  ["1 day — {x} | $1 days — {x}", [2, { x: "go" }], "2 days — go"],
])("formatMessage(%j, %j) = %j", (template, args, expected) => {
  expect(formatMessage(template, args as unknown[])).toBe(expected);
});

test("auto follows the browser (chrome.i18n)", async () => {
  expect(await initI18n(loader)).toBe("auto");
  expect(t("popup.today")).toBe("Today");
  expect(uiLocale()).toBe("en-US");
  expect(loaded).toEqual([]);
});

test("an override answers from the chosen language, falling back to the browser for missing keys", async () => {
  await preferencesItem.setValue({ language: "zh-CN", customerLabels: "ask" });
  expect(await initI18n(loader)).toBe("zh-CN");
  expect(t("popup.today")).toBe("今天");
  expect(t("popup.waiting", 3, ["3"])).toBe("3 条待同步");
  expect(t("badge.runRate", ["2.3", "7"])).toBe("每个工作日需完成 2.3，剩余 7 天");
  expect(t("popup.settings")).toBe("popup_settings()");
  expect(uiLocale()).toBe("zh-CN");
});

test("a table that cannot be loaded leaves the browser language in force", async () => {
  await applyLanguage("en", loader);
  expect(currentLanguage()).toBe("auto");
  expect(t("popup.today")).toBe("Today");
});

test("watchLanguage switches the messages, then tells the UI", async () => {
  await initI18n(loader);
  const changed = new Promise<void>((resolve) => watchLanguage(resolve, loader));
  await preferencesItem.setValue({ language: "zh-TW", customerLabels: "ask" });
  await changed;
  expect(t("popup.today")).toBe("今天（繁）");
});

test("locale folders", () => {
  expect(localeDir("zh-CN")).toBe("zh_CN");
  expect(localeDir("en")).toBe("en");
});
