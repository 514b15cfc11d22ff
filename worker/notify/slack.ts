import type { ChannelModule } from "./types";
import { truncateChars } from "./crypto";

/**
 * Slack incoming webhook: `text` (notification fallback) plus Block Kit blocks — a header with the title and
 * a mrkdwn section with the body. The URL is the credential. Answers `ok` with 200; errors are 4xx/5xx.
 */

/** Converts our markdown subset (templates.ts) to Slack mrkdwn: `**b**` → `*b*`, lists → •, & < > escaped. */
export function toSlackMrkdwn(markdown: string): string {
  return markdown
    .replace(/\\([\\`*_[\]<>~#])/g, (_, c: string) => `\u0000${c.charCodeAt(0)}\u0000`) // protect escaped characters
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/\*\*(.+?)\*\*/g, "*$1*")
    .replace(/^- /gm, "• ")
    // eslint-disable-next-line no-control-regex -- NUL delimits the placeholders made in the first step
    .replace(/\u0000(\d+)\u0000/g, (_, code: string) => {
      const c = String.fromCharCode(Number(code));
      return c === "<" ? "&lt;" : c === ">" ? "&gt;" : c;
    });
}

/** Block Kit limits: header text 150 characters, section text 3000. */
const HEADER_MAX = 150;
const SECTION_MAX = 3000;

export const slack: ChannelModule<"slack"> = {
  kind: "slack",
  async render(message, channel) {
    return {
      transport: "http",
      url: channel.config.url,
      method: "POST",
      headers: { "content-type": "application/json; charset=utf-8" },
      body: JSON.stringify({
        text: `${message.title}\n${message.text}`,
        blocks: [
          { type: "header", text: { type: "plain_text", text: truncateChars(message.title, HEADER_MAX), emoji: true } },
          { type: "section", text: { type: "mrkdwn", text: truncateChars(toSlackMrkdwn(message.markdown), SECTION_MAX) } },
        ],
      }),
      check: "status",
    };
  },
};
