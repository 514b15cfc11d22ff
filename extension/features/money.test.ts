import { expect, test } from "vitest";
import { formatMoney, orgCurrency, parseMoney } from "./money";

test.each([
  ["12500", 1_250_000],
  ["12,500.5", 1_250_050],
  ["12 500.50", 1_250_050],
  ["0.29", 29],
  ["0.1", 10],
  ["1.", 100],
  ["¥ 3,000", 300_000],
  ["１２", null], // full-width digits are not accepted
  ["12，500．75", 1_250_075],
  ["100000000000", 10_000_000_000_000],
])("parseMoney(%j) = %s minor units", (input, minor) => {
  const parsed = parseMoney(input);
  if (minor === null) expect(parsed.ok).toBe(false);
  else expect(parsed).toEqual({ ok: true, minor });
});

test.each([
  ["", "empty"],
  ["  ", "empty"],
  ["-5", "format"],
  ["1e5", "format"],
  ["1.234", "format"],
  ["12,50", "format"],
  ["abc", "format"],
  ["100000000001", "too_large"],
  ["999999999999999999", "too_large"],
])("parseMoney(%j) refuses: %s", (input, reason) => {
  expect(parseMoney(input)).toEqual({ ok: false, reason });
});

test.each([
  [{ timeZone: "Asia/Shanghai", language: "en" }, "CNY"],
  [{ timeZone: "Asia/Taipei", language: "en" }, "TWD"],
  [{ timeZone: "Europe/Berlin", language: "zh-CN" }, "CNY"],
  [{ timeZone: "Europe/Berlin", language: "en" }, null],
])("orgCurrency(%j) = %s", (org, currency) => {
  expect(orgCurrency(org)).toBe(currency);
});

test.each([
  [1_250_050, "en", "CNY", "¥12,500.50"],
  [1_250_050, "zh-CN", "CNY", "¥12,500.50"],
  [1_250_000, "en", "TWD", "$12,500"],
  [1_250_000, "en", null, "12,500"],
  [29, "en", null, "0.29"],
])("formatMoney(%i, %s, %s)", (minor, locale, currency, expected) => {
  expect(formatMoney(minor, locale, currency).replace(/\u00a0/g, " ")).toBe(expected);
});
