import type { Language } from "./templates";
import type { ChannelModule } from "./types";
import { hmacSha256, toBase64 } from "./crypto";

/**
 * Feishu / Lark custom bot, rich-text ("post") message. With signature verification enabled the body
 * carries `timestamp` (seconds, as a string) and `sign` = base64(HMAC-SHA256(key = `${timestamp}\n${secret}`,
 * message = "")). Answers HTTP 200 with `{"code":0}` (older deployments: `{"StatusCode":0}`).
 */
export async function feishuSign(secret: string, timestampSeconds: number): Promise<string> {
  return toBase64(await hmacSha256(`${timestampSeconds}\n${secret}`, ""));
}

/**
 * Post content is keyed by locale; Feishu documents zh_cn / en_us / ja_jp. Traditional Chinese text goes in
 * the zh_cn slot (the slot names the client locale preference, the text itself stays Traditional).
 */
export const FEISHU_LOCALE: Record<Language, "zh_cn" | "en_us"> = { en: "en_us", "zh-CN": "zh_cn", "zh-TW": "zh_cn" };

/** 11232: frequency limited (100 per minute / 5 per second per bot). */
const RETRYABLE_CODES = [11232] as const;

export const feishu: ChannelModule<"feishu"> = {
  kind: "feishu",
  async render(message, channel, { now }) {
    const timestamp = Math.floor(now / 1000);
    const signature = channel.secret ? { timestamp: String(timestamp), sign: await feishuSign(channel.secret, timestamp) } : {};
    return {
      transport: "http",
      url: channel.config.url,
      method: "POST",
      headers: { "content-type": "application/json; charset=utf-8" },
      body: JSON.stringify({
        ...signature,
        msg_type: "post",
        content: {
          post: {
            [FEISHU_LOCALE[message.language]]: {
              title: message.title,
              content: message.text.split("\n").map((line) => [{ tag: "text", text: line }]),
            },
          },
        },
      }),
      check: "feishu",
      retryableCodes: RETRYABLE_CODES,
    };
  },
};
