import { z } from "zod";
import { BEHAVIOUR_KINDS, type BehaviourKind } from "../../shared/domain/kinds";

/**
 * Notification templates: typed message kinds with their parameters, rendered in the org's language
 * (en, zh-CN, zh-TW) to { title, text, markdown }.
 *
 * - `title` is one line (e-mail subject, DingTalk/Feishu title, Slack header).
 * - `text` and `markdown` are the body *without* the title; channels that show no separate title
 *   (WeCom) put it in front themselves.
 * - `markdown` is a small CommonMark subset every channel module can map: paragraphs separated by a
 *   blank line, `- ` list items, `**bold**`. Interpolated values (names, customer labels) are escaped, so a
 *   rep called `*Li*` cannot change the formatting.
 * - Pure: no clock, no I/O. Dates are local days (YYYY-MM-DD) computed by the caller in the org's timezone.
 */

export const LANGUAGES = ["en", "zh-CN", "zh-TW"] as const;
export type Language = (typeof LANGUAGES)[number];

const Name = z.string().min(1).max(120);
const Day = z.iso.date();
const Ratio = z.number().min(0).max(100);
const Count = z.int().min(0);

export const MESSAGE_PARAMS = {
  alert_yellow: z.strictObject({
    repName: Name,
    consecutiveDays: z.int().min(1),
    lastDay: Day,
    /** KPIs that were below their minimum on the last day. */
    shortfalls: z.array(z.strictObject({ kind: z.enum(BEHAVIOUR_KINDS), count: Count, minimum: Count })).max(10).default([]),
  }),
  alert_orange: z.strictObject({
    repName: Name,
    consecutiveDays: z.int().min(1),
    lastDay: Day,
    managerName: Name.optional(),
    coachingDueDay: Day,
  }),
  alert_red: z.strictObject({
    repName: Name,
    weekStart: Day,
    weekEnd: Day,
    /** Week completion, actual / target. */
    completion: Ratio,
    /** The red threshold it fell below (DOMAIN.md: 40 %). */
    threshold: Ratio.default(0.4),
  }),
  stale_customer: z.strictObject({
    repName: Name,
    customer: z.string().min(1).max(80),
    silentDays: z.int().min(1),
    nextAction: z.enum(["value_follow_up", "roi_summary"]),
    /** Re-sent as orange because the first alert was ignored. */
    escalated: z.boolean().default(false),
  }),
  tier_reached: z.strictObject({
    repName: Name,
    /** The tier threshold in percent (60 / 80 / 100 by default). */
    tierPercent: z.int().min(1).max(1000),
    periodKind: z.enum(["week", "month", "quarter", "year"]),
    periodKey: z.string().min(1).max(20),
    completion: Ratio,
  }),
  weekly_champion: z.strictObject({
    repName: Name,
    teamName: Name.optional(),
    weekStart: Day,
    weekEnd: Day,
    /** Weighted score and its parts, 0–1 each (shown as points out of 100). */
    score: Ratio,
    result: Ratio,
    process: Ratio,
  }),
  most_improved: z.strictObject({
    repName: Name,
    weekStart: Day,
    weekEnd: Day,
    previousScore: Ratio,
    score: Ratio,
  }),
  team_pk: z.strictObject({
    weekStart: Day,
    weekEnd: Day,
    winner: Name,
    /** Teams ranked by average member completion (% of own target), best first. */
    standings: z.array(z.strictObject({ team: Name, average: Ratio, rank: z.int().min(1) })).min(1).max(50),
  }),
  weekly_review_digest: z.strictObject({
    managerName: Name,
    teamName: Name,
    weekStart: Day,
    weekEnd: Day,
    teamCompletion: Ratio,
    reps: z
      .array(z.strictObject({ name: Name, completion: Ratio, alertLevel: z.enum(["yellow", "orange", "red"]).nullable().default(null) }))
      .max(200),
    openAlerts: Count,
    openTasks: Count,
  }),
  channel_test: z.strictObject({
    channelName: z.string().min(1).max(80),
    requestedBy: Name,
  }),
} as const;

export type MessageKind = keyof typeof MESSAGE_PARAMS;
export const MESSAGE_KINDS = Object.keys(MESSAGE_PARAMS) as MessageKind[];
export type MessageParams<K extends MessageKind> = z.input<(typeof MESSAGE_PARAMS)[K]>;

/** A message before rendering: what the outbox stores. */
export type NotificationMessage = { [K in MessageKind]: { kind: K; params: MessageParams<K> } }[MessageKind];

export const NotificationMessageSchema = z.discriminatedUnion(
  "kind",
  MESSAGE_KINDS.map((kind) => z.strictObject({ kind: z.literal(kind), params: MESSAGE_PARAMS[kind] })) as unknown as [
    z.ZodObject<{ kind: z.ZodLiteral<MessageKind>; params: z.ZodType }>,
  ],
);

export interface RenderedMessage {
  title: string;
  text: string;
  markdown: string;
}

// ---------------------------------------------------------------------------------------------------------
// A tiny document model so one template yields both plain text and markdown with values escaped.

/** A value interpolated into a sentence: escaped in markdown, optionally bold. */
interface Value {
  value: string;
  bold: boolean;
}
type Inline = (string | Value)[];
type Block = { paragraph: Inline } | { list: Inline[] };

/** `t\`…${v}…\`` — literal parts are template text; interpolations are values (escaped in markdown). */
function t(strings: TemplateStringsArray, ...values: (string | number | Value)[]): Inline {
  const out: Inline = [];
  strings.forEach((s, i) => {
    if (s) out.push(s);
    if (i < values.length) {
      const v = values[i]!;
      out.push(typeof v === "object" ? v : { value: String(v), bold: false });
    }
  });
  return out;
}
const b = (value: string | number): Value => ({ value: String(value), bold: true });
const p = (paragraph: Inline): Block => ({ paragraph });
const list = (items: Inline[]): Block => ({ list: items });

/** Backslash-escapes the characters our markdown subset (and CommonMark) would interpret. */
export function escapeMarkdown(s: string): string {
  return s
    .replace(/[\\`*_[\]<>~]/g, (c) => `\\${c}`)
    .replace(/^#/, "\\#")
    .replace(/\r?\n/g, " ");
}

function inlineText(inline: Inline): string {
  return inline.map((part) => (typeof part === "string" ? part : part.value)).join("");
}
function inlineMarkdown(inline: Inline): string {
  return inline
    .map((part) => {
      if (typeof part === "string") return part;
      const escaped = escapeMarkdown(part.value);
      return part.bold ? `**${escaped}**` : escaped;
    })
    .join("");
}

function renderBlocks(title: string, blocks: Block[]): RenderedMessage {
  const text = blocks
    .map((block) => ("paragraph" in block ? inlineText(block.paragraph) : block.list.map((i) => `- ${inlineText(i)}`).join("\n")))
    .join("\n");
  const markdown = blocks
    .map((block) => ("paragraph" in block ? inlineMarkdown(block.paragraph) : block.list.map((i) => `- ${inlineMarkdown(i)}`).join("\n")))
    .join("\n\n");
  return { title, text, markdown };
}

// ---------------------------------------------------------------------------------------------------------
// Formatting helpers (deterministic; no Intl, so output is identical in every runtime).

const EN_MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

export function formatDay(day: string, language: Language): string {
  const [, m, d] = day.split("-").map(Number) as [number, number, number];
  return language === "en" ? `${EN_MONTHS[m - 1]} ${d}` : `${m}月${d}日`;
}
function formatRange(start: string, end: string, language: Language): string {
  return language === "en" ? `${formatDay(start, language)} – ${formatDay(end, language)}` : `${formatDay(start, language)}至${formatDay(end, language)}`;
}
export const percent = (ratio: number): string => `${Math.round(ratio * 100)}%`;
const points = (ratio: number): number => Math.round(ratio * 100);

const KIND_LABELS: Record<Language, Record<BehaviourKind, string>> = {
  en: { touch: "touches", needs_confirmed: "needs confirmed", proposal_sent: "proposals sent", demo_or_visit: "demos/visits" },
  "zh-CN": { touch: "触达", needs_confirmed: "需求确认", proposal_sent: "方案发送", demo_or_visit: "演示/拜访" },
  "zh-TW": { touch: "觸達", needs_confirmed: "需求確認", proposal_sent: "方案發送", demo_or_visit: "展示/拜訪" },
};
const PERIOD_LABELS: Record<Language, Record<"week" | "month" | "quarter" | "year", string>> = {
  en: { week: "weekly", month: "monthly", quarter: "quarterly", year: "annual" },
  "zh-CN": { week: "周", month: "月度", quarter: "季度", year: "年度" },
  "zh-TW": { week: "週", month: "月", quarter: "季", year: "年度" },
};
const LEVEL_LABELS: Record<Language, Record<"yellow" | "orange" | "red", string>> = {
  en: { yellow: "yellow alert", orange: "orange alert", red: "red alert" },
  "zh-CN": { yellow: "黄色预警", orange: "橙色预警", red: "红色预警" },
  "zh-TW": { yellow: "黃色警示", orange: "橘色警示", red: "紅色警示" },
};
const PRODUCT: Record<Language, string> = { en: "Target HUD", "zh-CN": "目标助手", "zh-TW": "目標助手" };

function shortfallList(shortfalls: { kind: BehaviourKind; count: number; minimum: number }[], language: Language): string {
  const sep = language === "en" ? ", " : "、";
  return shortfalls.map((s) => `${KIND_LABELS[language][s.kind]} ${s.count}/${s.minimum}`).join(sep);
}

// ---------------------------------------------------------------------------------------------------------
// The templates. Each returns [title, blocks] for one language; zh-TW uses Taiwan wording
// (業務 for rep, 主管 for manager, 工作天, 警示, 檢討, 同仁) and full-width 「」 quotes.

type Params<K extends MessageKind> = z.output<(typeof MESSAGE_PARAMS)[K]>;
type Template<K extends MessageKind> = (params: Params<K>, language: Language) => [string, Block[]];

const TEMPLATES: { [K in MessageKind]: Template<K> } = {
  alert_yellow(m, lang) {
    const n = m.consecutiveDays;
    const last = formatDay(m.lastDay, lang);
    const short = shortfallList(m.shortfalls, lang);
    switch (lang) {
      case "en":
        return [
          `Yellow alert: ${m.repName} below daily KPIs for ${n} working days`,
          [
            p(t`${b(m.repName)} has been below the daily activity minimums for ${b(n)} consecutive working days (through ${last}).`),
            ...(short ? [p(t`Short on: ${short}.`)] : []),
            p(t`Rep and manager: agree today on a plan to get back on pace.`),
          ],
        ];
      case "zh-CN":
        return [
          `黄色预警：${m.repName} 连续 ${n} 个工作日未达标`,
          [
            p(t`${b(m.repName)} 已连续 ${b(n)} 个工作日未达到每日行为指标（截至${last}）。`),
            ...(short ? [p(t`未达标项：${short}。`)] : []),
            p(t`请销售和经理今天一起定好计划，尽快回到节奏。`),
          ],
        ];
      case "zh-TW":
        return [
          `黃色警示：${m.repName} 連續 ${n} 個工作天未達標`,
          [
            p(t`${b(m.repName)} 已連續 ${b(n)} 個工作天未達到每日行為指標（截至${last}）。`),
            ...(short ? [p(t`未達標項目：${short}。`)] : []),
            p(t`請業務與主管今天一起訂好計畫，盡快跟上進度。`),
          ],
        ];
    }
  },

  alert_orange(m, lang) {
    const n = m.consecutiveDays;
    const last = formatDay(m.lastDay, lang);
    const due = formatDay(m.coachingDueDay, lang);
    switch (lang) {
      case "en":
        return [
          `Orange alert: ${m.repName} below daily KPIs for ${n} working days`,
          [
            p(t`${b(m.repName)} has been below the daily activity minimums for ${b(n)} consecutive working days (through ${last}).`),
            p(
              m.managerName
                ? t`A 1:1 coaching session with ${m.managerName} is due ${b(due)}, and a senior colleague has been asked to help.`
                : t`A 1:1 coaching session with the manager is due ${b(due)}, and a senior colleague has been asked to help.`,
            ),
          ],
        ];
      case "zh-CN":
        return [
          `橙色预警：${m.repName} 连续 ${n} 个工作日未达标`,
          [
            p(t`${b(m.repName)} 已连续 ${b(n)} 个工作日未达到每日行为指标（截至${last}）。`),
            p(
              m.managerName
                ? t`已为 ${m.managerName} 创建一对一辅导任务，请在${b(due)}前完成；同时已安排一位资深同事协助。`
                : t`已为经理创建一对一辅导任务，请在${b(due)}前完成；同时已安排一位资深同事协助。`,
            ),
          ],
        ];
      case "zh-TW":
        return [
          `橘色警示：${m.repName} 連續 ${n} 個工作天未達標`,
          [
            p(t`${b(m.repName)} 已連續 ${b(n)} 個工作天未達到每日行為指標（截至${last}）。`),
            p(
              m.managerName
                ? t`已為 ${m.managerName} 建立一對一輔導任務，請於${b(due)}前完成；同時已安排一位資深同仁協助。`
                : t`已為主管建立一對一輔導任務，請於${b(due)}前完成；同時已安排一位資深同仁協助。`,
            ),
          ],
        ];
    }
  },

  alert_red(m, lang) {
    const range = formatRange(m.weekStart, m.weekEnd, lang);
    const pct = percent(m.completion);
    const threshold = percent(m.threshold);
    switch (lang) {
      case "en":
        return [
          `Red alert: ${m.repName} at ${pct} of the weekly target`,
          [
            p(t`${b(m.repName)} closed the week of ${range} at ${b(pct)} of target, below ${threshold}.`),
            p(t`A review item has been created for the manager: hold a review meeting and consider reallocating accounts.`),
          ],
        ];
      case "zh-CN":
        return [
          `红色预警：${m.repName} 本周目标完成率 ${pct}`,
          [
            p(t`${range}这一周，${b(m.repName)} 的周目标完成率为 ${b(pct)}，低于 ${threshold}。`),
            p(t`已为经理创建复盘事项：请召开复盘会议，并考虑重新分配客户。`),
          ],
        ];
      case "zh-TW":
        return [
          `紅色警示：${m.repName} 本週目標達成率 ${pct}`,
          [
            p(t`${range}這一週，${b(m.repName)} 的週目標達成率為 ${b(pct)}，低於 ${threshold}。`),
            p(t`已為主管建立檢討事項：請召開檢討會議，並考慮重新分配客戶。`),
          ],
        ];
    }
  },

  stale_customer(m, lang) {
    const d = m.silentDays;
    switch (lang) {
      case "en":
        return [
          m.escalated ? `Escalated: key customer ${m.customer} silent for ${d} days` : `Key customer ${m.customer} silent for ${d} days`,
          [
            p(t`${m.repName}: your key customer ${b(m.customer)} has not responded for ${b(d)} days.`),
            p(
              m.nextAction === "roi_summary"
                ? t`Next step: send a short ROI summary showing what they gain.`
                : t`Next step: send a value follow-up — one concrete benefit for their business.`,
            ),
            ...(m.escalated ? [p(t`No follow-up was logged after the first reminder, so this is now an orange alert.`)] : []),
          ],
        ];
      case "zh-CN":
        return [
          `${m.escalated ? "已升级：" : ""}重点客户“${m.customer}”已 ${d} 天无回应`,
          [
            p(t`${m.repName}，你的重点客户“${b(m.customer)}”已经 ${b(d)} 天没有回应。`),
            p(
              m.nextAction === "roi_summary"
                ? t`建议下一步：发送一份简短的 ROI 总结，说明对方能获得的收益。`
                : t`建议下一步：发送一次价值跟进，讲清一个对其业务有帮助的具体收益。`,
            ),
            ...(m.escalated ? [p(t`首次提醒后仍未记录跟进，现已升级为橙色预警。`)] : []),
          ],
        ];
      case "zh-TW":
        return [
          `${m.escalated ? "已升級：" : ""}重點客戶「${m.customer}」已 ${d} 天未回覆`,
          [
            p(t`${m.repName}，你的重點客戶「${b(m.customer)}」已經 ${b(d)} 天沒有回覆。`),
            p(
              m.nextAction === "roi_summary"
                ? t`建議下一步：寄送一份簡短的投資報酬率（ROI）摘要，說明對方能獲得的效益。`
                : t`建議下一步：寄送一封價值追蹤信，說清楚一項對其業務有幫助的具體效益。`,
            ),
            ...(m.escalated ? [p(t`第一次提醒後仍未記錄追蹤，現已升級為橘色警示。`)] : []),
          ],
        ];
    }
  },

  tier_reached(m, lang) {
    const pct = percent(m.completion);
    const period = PERIOD_LABELS[lang][m.periodKind];
    switch (lang) {
      case "en":
        return [
          `${m.repName} reached the ${m.tierPercent}% tier`,
          [p(t`${b(m.repName)} is at ${b(pct)} of the ${period} target (${m.periodKey}) and has reached the ${b(`${m.tierPercent}%`)} reward tier. Well done!`)],
        ];
      case "zh-CN":
        return [
          `${m.repName} 达成 ${m.tierPercent}% 奖励档`,
          [p(t`${b(m.repName)} 的${period}目标（${m.periodKey}）完成率已达 ${b(pct)}，达到 ${b(`${m.tierPercent}%`)} 奖励档。恭喜！`)],
        ];
      case "zh-TW":
        return [
          `${m.repName} 達成 ${m.tierPercent}% 獎勵級距`,
          [p(t`${b(m.repName)} 的${period}目標（${m.periodKey}）達成率已達 ${b(pct)}，達到 ${b(`${m.tierPercent}%`)} 獎勵級距。恭喜！`)],
        ];
    }
  },

  weekly_champion(m, lang) {
    const range = formatRange(m.weekStart, m.weekEnd, lang);
    const [score, result, process] = [points(m.score), percent(m.result), percent(m.process)];
    switch (lang) {
      case "en":
        return [
          `Weekly champion: ${m.repName}`,
          [
            p(
              m.teamName
                ? t`${b(m.repName)} (${m.teamName}) is the champion of the week ${range} with a score of ${b(score)}.`
                : t`${b(m.repName)} is the champion of the week ${range} with a score of ${b(score)}.`,
            ),
            p(t`Breakdown: result ${result}, process ${process}.`),
          ],
        ];
      case "zh-CN":
        return [
          `本周冠军：${m.repName}`,
          [
            p(
              m.teamName
                ? t`${b(m.repName)}（${m.teamName}）以 ${b(score)} 分获得${range}的周冠军。`
                : t`${b(m.repName)} 以 ${b(score)} 分获得${range}的周冠军。`,
            ),
            p(t`得分构成：结果 ${result}，过程 ${process}。`),
          ],
        ];
      case "zh-TW":
        return [
          `本週冠軍：${m.repName}`,
          [
            p(
              m.teamName
                ? t`${b(m.repName)}（${m.teamName}）以 ${b(score)} 分拿下${range}的週冠軍。`
                : t`${b(m.repName)} 以 ${b(score)} 分拿下${range}的週冠軍。`,
            ),
            p(t`分數組成：成果 ${result}、過程 ${process}。`),
          ],
        ];
    }
  },

  most_improved(m, lang) {
    const range = formatRange(m.weekStart, m.weekEnd, lang);
    const [before, after] = [points(m.previousScore), points(m.score)];
    const gain = after - before;
    switch (lang) {
      case "en":
        return [
          `Most improved: ${m.repName}`,
          [p(t`${b(m.repName)} improved the most in the week ${range}: score ${before} → ${b(after)} (+${gain}).`)],
        ];
      case "zh-CN":
        return [
          `进步之星：${m.repName}`,
          [p(t`${b(m.repName)} 是${range}这一周进步最大的同事：得分 ${before} → ${b(after)}（+${gain}）。`)],
        ];
      case "zh-TW":
        return [
          `進步之星：${m.repName}`,
          [p(t`${b(m.repName)} 是${range}這一週進步最多的同仁：分數 ${before} → ${b(after)}（+${gain}）。`)],
        ];
    }
  },

  team_pk(m, lang) {
    const range = formatRange(m.weekStart, m.weekEnd, lang);
    const rows = m.standings.map((s) => (lang === "en" ? t`#${s.rank} ${s.team}: ${b(percent(s.average))}` : t`第${s.rank}名 ${s.team}：${b(percent(s.average))}`));
    switch (lang) {
      case "en":
        return [`Team PK: ${m.winner} wins the week`, [p(t`${b(m.winner)} led the week ${range} on average completion of own targets.`), list(rows)]];
      case "zh-CN":
        return [`团队对抗赛：${m.winner} 本周获胜`, [p(t`${range}这一周，${b(m.winner)} 的平均目标完成率最高。`), list(rows)]];
      case "zh-TW":
        return [`團隊對抗賽：${m.winner} 本週獲勝`, [p(t`${range}這一週，${b(m.winner)} 的平均目標達成率最高。`), list(rows)]];
    }
  },

  weekly_review_digest(m, lang) {
    const range = formatRange(m.weekStart, m.weekEnd, lang);
    const pct = percent(m.teamCompletion);
    const reps = m.reps.map((r) => {
      const level = r.alertLevel ? LEVEL_LABELS[lang][r.alertLevel] : null;
      if (lang === "en") return level ? t`${r.name}: ${b(percent(r.completion))} (${level})` : t`${r.name}: ${b(percent(r.completion))}`;
      return level ? t`${r.name}：${b(percent(r.completion))}（${level}）` : t`${r.name}：${b(percent(r.completion))}`;
    });
    switch (lang) {
      case "en":
        return [
          `Weekly review: ${m.teamName}, ${range}`,
          [
            p(t`Hi ${m.managerName}, ${m.teamName} closed the week at ${b(pct)} of target.`),
            p(t`Open alerts: ${b(m.openAlerts)}. Open coaching tasks and reviews: ${b(m.openTasks)}.`),
            ...(reps.length ? [list(reps)] : []),
          ],
        ];
      case "zh-CN":
        return [
          `周复盘：${m.teamName}（${range}）`,
          [
            p(t`${m.managerName}，你好！${m.teamName} 本周目标完成率为 ${b(pct)}。`),
            p(t`未处理预警 ${b(m.openAlerts)} 条，待完成的辅导和复盘 ${b(m.openTasks)} 项。`),
            ...(reps.length ? [list(reps)] : []),
          ],
        ];
      case "zh-TW":
        return [
          `週檢討：${m.teamName}（${range}）`,
          [
            p(t`${m.managerName}，您好！${m.teamName} 本週目標達成率為 ${b(pct)}。`),
            p(t`尚未處理的警示 ${b(m.openAlerts)} 則，待完成的輔導與檢討 ${b(m.openTasks)} 項。`),
            ...(reps.length ? [list(reps)] : []),
          ],
        ];
    }
  },

  channel_test(m, lang) {
    switch (lang) {
      case "en":
        return [
          `${PRODUCT.en}: test message`,
          [p(t`This is a test of the channel “${m.channelName}”, sent by ${m.requestedBy}. If you can read it, notifications will arrive here.`)],
        ];
      case "zh-CN":
        return [
          `${PRODUCT["zh-CN"]}：测试消息`,
          [p(t`这是通知渠道“${m.channelName}”的测试消息，由 ${m.requestedBy} 发送。能看到这条消息，说明通知可以正常送达。`)],
        ];
      case "zh-TW":
        return [
          `${PRODUCT["zh-TW"]}：測試訊息`,
          [p(t`這是通知頻道「${m.channelName}」的測試訊息，由 ${m.requestedBy} 傳送。看得到這則訊息，就表示通知可以正常送達。`)],
        ];
    }
  },
};

/**
 * Chinese templates put a space around every interpolated value; Chinese typesetting keeps a space only
 * between Han characters and Latin letters or digits ("连续 2 个", "Li Lei 已"), not between two Han
 * characters ("李雷已连续"). Bold markers (`**`) in between do not count.
 */
export function tidyCjkSpacing(s: string): string {
  const between = /(\p{Script=Han}(?:\*\*)?) ((?:\*\*)?\p{Script=Han})/gu;
  return s.replace(between, "$1$2").replace(between, "$1$2");
}

/** Renders a message in the given language. Throws (a programming error) if params do not match the kind. */
export function renderMessage(message: NotificationMessage, language: Language): RenderedMessage {
  const params = MESSAGE_PARAMS[message.kind].parse(message.params);
  const template = TEMPLATES[message.kind] as Template<MessageKind>;
  const [title, blocks] = template(params as Params<MessageKind>, language);
  const rendered = renderBlocks(title, blocks);
  if (language === "en") return rendered;
  return { title: tidyCjkSpacing(rendered.title), text: tidyCjkSpacing(rendered.text), markdown: tidyCjkSpacing(rendered.markdown) };
}
