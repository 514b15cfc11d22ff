import type { z } from "zod";
import type { PromptOut, TierDistance } from "../../shared/schemas/progress";

/**
 * Sentences built from server data: next-action prompts (the API sends an i18n key and parameters, never English),
 * the distance to the next tier and alert descriptions. Pure: the caller passes `t` (extension/i18n.ts) and the
 * number formatting, so the same code runs in popup, overlay and tests.
 */
export type LooseT = (key: string, ...args: unknown[]) => string;

export interface TextDeps {
  t: LooseT;
  /** Formats an amount of a metric (revenue: minor units → money; counts as they are). */
  amount: (value: number, metric: string, digits?: number) => string;
}

const KINDS_WITH_COUNT = new Set(["touch", "needs_confirmed", "proposal_sent", "demo_or_visit", "lead", "first_contact", "quote", "won"]);

/** "3 more proposals", "1 more touch" in the UI language; money (revenue) as "¥19,800 more". */
export function moreOf(kind: string, n: number, deps: TextDeps): string {
  return KINDS_WITH_COUNT.has(kind) ? deps.t(`kindMore.${kind}`, n) : deps.t("moneyMore", [deps.amount(n, kind)]);
}

const num = (value: unknown): number => (typeof value === "number" ? value : Number(value));
const str = (value: unknown): string => (value === undefined || value === null ? "" : String(value));

export function promptText(prompt: Pick<z.infer<typeof PromptOut>, "type" | "params">, deps: TextDeps): string {
  const { t } = deps;
  const p = prompt.params;
  switch (prompt.type) {
    case "streak_risk":
      return t("prompt.streak_risk", num(p.belowDays), { level: t(`level.${str(p.nextLevel)}`) });
    case "stale_customer":
      return t("prompt.stale_customer", num(p.silentDays), {
        customer: str(p.customer),
        action: t(`promptAction.${str(p.action)}`),
      });
    case "kpi_gap":
      return t("prompt.kpi_gap", { more: moreOf(str(p.kind), num(p.missing), deps), minimum: str(p.minimum) });
    case "next_tier":
      return t("prompt.next_tier", { more: moreOf(str(p.kind), num(p.actions), deps), percent: str(p.percent) });
    case "run_rate":
      return t("prompt.run_rate", {
        perDay: deps.amount(num(p.perDay), str(p.metric), str(p.metric) === "revenue" ? 0 : 1),
        percent: str(p.percent),
      });
    default:
      return t("prompt.unknown", [prompt.type]);
  }
}

/** "3 more proposals → 80 %", or the money still missing when the rep has no history to count actions. */
export function tierText(tier: z.infer<typeof TierDistance>, deps: TextDeps): string {
  const more =
    tier.actions !== null && tier.actionKind !== null ? moreOf(tier.actionKind, tier.actions, deps) : moreOf("revenue", tier.missing, deps);
  return deps.t("prompt.next_tier", { more, percent: String(tier.percent) });
}

const KNOWN_RULES = new Set(["kpi_streak", "weekly_completion", "stale_customer"]);

export function alertText(alert: { rule: string }, t: LooseT): string {
  return KNOWN_RULES.has(alert.rule) ? t(`alertRule.${alert.rule}`) : t("alertRule.other", [alert.rule]);
}
