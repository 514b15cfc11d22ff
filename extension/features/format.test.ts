import { expect, test } from "vitest";
import { formatAgo, formatAmount, formatPercent } from "./format";

test.each([
  [0, "en", "now"],
  [12_000, "en", "12 seconds ago"],
  [90_000, "en", "1 minute ago"],
  [3 * 3_600_000, "en", "3 hours ago"],
  [26 * 3_600_000, "en", "yesterday"],
  [12_000, "zh-CN", "12秒钟前"],
])("formatAgo(%i, %s) = %s", (ms, locale, expected) => {
  expect(formatAgo(ms, locale)).toBe(expected);
});

test.each([
  [3 * 3_600_000, "en", "3h ago"],
  [3 * 86_400_000, "en", "3d ago"],
  [12 * 60_000, "zh-CN", "12分钟前"],
])("narrow formatAgo(%i, %s) = %s", (ms, locale, expected) => {
  expect(formatAgo(ms, locale, "narrow")).toBe(expected);
});

test.each([
  [0.62, "en", "62%"],
  [0.996, "en", "99%"],
  [1.5, "zh-CN", "150%"],
])("formatPercent(%f, %s) = %s", (ratio, locale, expected) => {
  expect(formatPercent(ratio, locale)).toBe(expected);
});

test.each([
  [110_000_000, "revenue", "en", 0, "1,100,000"],
  [12_345, "revenue", "en", 1, "123.5"],
  [7, "touch", "en", 0, "7"],
  [30 / 7, "proposal_sent", "zh-CN", 1, "4.3"],
])("formatAmount(%f, %s, %s, %i) = %s", (value, metric, locale, digits, expected) => {
  expect(formatAmount(value, metric, locale, digits)).toBe(expected);
});
