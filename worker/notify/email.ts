import type { ChannelModule } from "./types";

/**
 * E-mail, two transports:
 * - "api": POST JSON {from, to, subject, text, html} to the configured URL with `Authorization: Bearer <API key>`
 *   (the shape of Resend-style APIs; a small relay can adapt it to any provider);
 * - "send_email": Cloudflare's send_email binding (env.SEND_EMAIL), sent by deliver() with the builder form.
 */

const HTML_ESCAPES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };
const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c]!);

/** Our markdown subset (templates.ts) to HTML: paragraphs, `- ` lists, `**bold**`, backslash escapes. */
export function markdownToHtml(markdown: string): string {
  const inline = (s: string) => {
    const protectedChars: string[] = [];
    // NUL never belongs in a message; dropping it first means only our own placeholders contain it.
    // eslint-disable-next-line no-control-regex -- removing NUL on purpose
    const marked = s.replace(/\u0000/g, "").replace(/\\(.)/g, (_, c: string) => `\u0000${protectedChars.push(c) - 1}\u0000`);
    return escapeHtml(marked)
      .replace(/\*\*(.+?)\*\*/g, "<strong>$1</strong>")
      // eslint-disable-next-line no-control-regex -- NUL delimits the placeholders made above
      .replace(/\u0000(\d+)\u0000/g, (_, i: string) => escapeHtml(protectedChars[Number(i)] ?? ""));
  };
  return markdown
    .split(/\n{2,}/)
    .map((block) => {
      const lines = block.split("\n");
      if (lines.every((l) => l.startsWith("- "))) return `<ul>${lines.map((l) => `<li>${inline(l.slice(2))}</li>`).join("")}</ul>`;
      return `<p>${lines.map(inline).join("<br>")}</p>`;
    })
    .join("\n");
}

export function emailHtml(title: string, markdown: string): string {
  return `<!doctype html><html><body style="font-family:sans-serif;line-height:1.5"><h3>${escapeHtml(title)}</h3>\n${markdownToHtml(markdown)}</body></html>`;
}

export const email: ChannelModule<"email"> = {
  kind: "email",
  async render(message, channel) {
    const { config } = channel;
    const mail = { from: config.from, to: config.to, subject: message.title, text: message.text, html: emailHtml(message.title, message.markdown) };
    if (config.transport === "send_email") return { transport: "send_email", ...mail };
    return {
      transport: "http",
      url: config.url,
      method: "POST",
      headers: {
        "content-type": "application/json; charset=utf-8",
        authorization: `Bearer ${channel.secret ?? ""}`,
        // Providers that support it (e.g. Resend) use this to drop a retried duplicate.
        "idempotency-key": message.deliveryId,
      },
      body: JSON.stringify(mail),
      check: "status",
    };
  },
};
