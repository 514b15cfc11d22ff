import { expect, test } from "vitest";
import { formatMessage } from "../i18n";
import { alertText, promptText, tierText, type TextDeps } from "./texts";

// English templates as in extension/locales/en.yml, filled by the real lookup rules (extension/i18n.ts).
const en: Record<string, string> = {
  "kindMore.proposal_sent": "1 more proposal | $1 more proposals",
  "kindMore.touch": "1 more touch | $1 more touches",
  moneyMore: "$1 more",
  "prompt.streak_risk":
    "Below your minimums on the last working day — meet them today to stay clear of the {level} alert | Below your minimums $1 working days in a row — meet them today to stay clear of the {level} alert",
  "prompt.stale_customer": "{customer} has been silent for 1 day — {action} | {customer} has been silent for $1 days — {action}",
  "prompt.kpi_gap": "{more} today (minimum {minimum})",
  "prompt.next_tier": "{more} → {percent}%",
  "prompt.run_rate": "Need {perDay} per working day to reach {percent}%",
  "prompt.unknown": "Next step: $1",
  "level.orange": "orange",
  "promptAction.send_roi_summary": "send an ROI summary",
  "alertRule.kpi_streak": "Below the daily minimums several days in a row",
  "alertRule.other": "Alert: $1",
};
const deps: TextDeps = {
  t: (key, ...args) => formatMessage(en[key] ?? `?${key}`, args),
  amount: (value, metric, digits = 0) => (metric === "revenue" ? `¥${(value / 100).toFixed(digits)}` : value.toFixed(digits)),
};

test.each([
  [{ type: "kpi_gap", params: { kind: "touch", missing: 3, minimum: 6, done: 3 } }, "3 more touches today (minimum 6)"],
  [{ type: "kpi_gap", params: { kind: "proposal_sent", missing: 1, minimum: 2, done: 1 } }, "1 more proposal today (minimum 2)"],
  [{ type: "next_tier", params: { kind: "proposal_sent", actions: 3, tier: "advanced", percent: 80 } }, "3 more proposals → 80%"],
  [{ type: "streak_risk", params: { belowDays: 2, nextLevel: "orange" } }, "Below your minimums 2 working days in a row — meet them today to stay clear of the orange alert"],
  [{ type: "streak_risk", params: { belowDays: 1, nextLevel: "orange" } }, "Below your minimums on the last working day — meet them today to stay clear of the orange alert"],
  [{ type: "stale_customer", params: { customer: "ACME", customerId: "k1", silentDays: 11, action: "send_roi_summary" } }, "ACME has been silent for 11 days — send an ROI summary"],
  [{ type: "run_rate", params: { metric: "revenue", perDay: 625714.3, percent: 100 } }, "Need ¥6257 per working day to reach 100%"],
  [{ type: "run_rate", params: { metric: "proposal_sent", perDay: 2.3, percent: 100 } }, "Need 2.3 per working day to reach 100%"],
  [{ type: "brand_new", params: {} }, "Next step: brand_new"],
])("%j → %s", (prompt, text) => {
  expect(promptText(prompt, deps)).toBe(text);
});

test("tier distance in actions, else in money", () => {
  expect(tierText({ tierId: "advanced", percent: 80, missing: 19_800_000, actions: 3, actionKind: "proposal_sent" }, deps)).toBe(
    "3 more proposals → 80%",
  );
  expect(tierText({ tierId: "advanced", percent: 80, missing: 19_800_000, actions: null, actionKind: null }, deps)).toBe("¥198000 more → 80%");
});

test("alerts: known rules have a sentence, others name the rule", () => {
  expect(alertText({ rule: "kpi_streak" }, deps.t)).toBe("Below the daily minimums several days in a row");
  expect(alertText({ rule: "custom_rule" }, deps.t)).toBe("Alert: custom_rule");
});
