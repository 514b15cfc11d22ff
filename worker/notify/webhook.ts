import type { ChannelModule } from "./types";
import { hmacSha256, toHex } from "./crypto";

/**
 * Generic signed webhook. JSON body with the message in every form; headers:
 *   X-HUD-Timestamp: unix seconds
 *   X-HUD-Signature: sha256=<hex HMAC-SHA256(key = secret, message = `${timestamp}.${body}`)>
 *   X-HUD-Delivery:  the outbox row id — identical on every retry, so receivers can drop duplicates.
 * Receivers should recompute the signature over the raw body and reject timestamps older than a few minutes.
 */
export async function webhookSignature(secret: string, timestampSeconds: number, body: string): Promise<string> {
  return `sha256=${toHex(await hmacSha256(secret, `${timestampSeconds}.${body}`))}`;
}

export const webhook: ChannelModule<"webhook"> = {
  kind: "webhook",
  async render(message, channel, { now }) {
    const timestamp = Math.floor(now / 1000);
    const body = JSON.stringify({
      id: message.deliveryId,
      kind: message.kind,
      language: message.language,
      title: message.title,
      text: message.text,
      markdown: message.markdown,
      params: message.params,
      sentAt: new Date(now).toISOString(),
    });
    const headers: Record<string, string> = {
      "content-type": "application/json; charset=utf-8",
      "x-hud-timestamp": String(timestamp),
      "x-hud-delivery": message.deliveryId,
    };
    if (channel.secret) headers["x-hud-signature"] = await webhookSignature(channel.secret, timestamp, body);
    return { transport: "http", url: channel.config.url, method: "POST", headers, body, check: "status" };
  },
};
