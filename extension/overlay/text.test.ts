import { describe, expect, test } from "vitest";
import { formatMessage } from "../i18n";
import { fillMessage } from "./text";

describe("overlay messages follow the extension's template rules (extension/i18n.ts)", () => {
  test.each([
    ["plain", []],
    ["$1 of $2", [["3", "6"]]],
    ["1 waiting | $1 waiting", [1]],
    ["1 waiting | $1 waiting", [5]],
    ["none | one | $1 many", [0]],
    ["none | one | $1 many", [7]],
    ["{more} today (minimum {minimum})", [{ more: "2 more touches", minimum: "6" }]],
    ["{customer} silent for $1 days — {action}", [9, { customer: "Acme", action: "send an ROI summary" }]],
    ["price $$5 and {unknown}", [{}]],
    ["$1 and $3", [["a"]]],
  ])("%j with %j", (template, args) => {
    expect(fillMessage(template, args)).toBe(formatMessage(template, args));
  });
});
