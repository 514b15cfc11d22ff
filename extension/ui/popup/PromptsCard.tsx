import type { ProgressResponse } from "../../../shared/schemas/progress";
import { promptText } from "../../features/texts";
import { t } from "../../i18n";
import type { Fmt } from "./format";
import { Icon, type IconName } from "./Icon";

const ICON: Record<string, IconName> = { streak_risk: "warning", stale_customer: "mail", kpi_gap: "pin", next_tier: "target", run_rate: "chart" };

/** The server's ranked next actions (highest priority first), in the UI language. */
export function PromptsCard({ prompts, fmt, limit = 3 }: { prompts: ProgressResponse["prompts"]; fmt: Fmt; limit?: number }) {
  if (prompts.length === 0) return null;
  return (
    <section class="card" aria-labelledby="prompts-heading" data-testid="prompts">
      <h2 id="prompts-heading">{t("popup.nextActions")}</h2>
      <ol class="prompts">
        {prompts.slice(0, limit).map((prompt) => (
          <li key={prompt.id} data-type={prompt.type}>
            <Icon name={ICON[prompt.type] ?? "pin"} class={`prompt-icon ${prompt.type}`} />
            <span>{promptText(prompt, fmt)}</span>
          </li>
        ))}
      </ol>
    </section>
  );
}
