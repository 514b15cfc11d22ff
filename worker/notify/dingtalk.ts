import type { ChannelModule } from "./types";
import { hmacSha256, toBase64 } from "./crypto";

/**
 * DingTalk (钉钉) group robot, markdown message. With "加签" enabled the robot requires `timestamp` (ms)
 * and `sign` = base64(HMAC-SHA256(key = secret, message = `${timestamp}\n${secret}`)), URL-encoded, as
 * query parameters. Answers HTTP 200 with `{"errcode":0}`; anything else is a failure.
 */
export async function dingtalkSign(secret: string, timestampMs: number): Promise<string> {
  return toBase64(await hmacSha256(secret, `${timestampMs}\n${secret}`));
}

/** -1: system busy; 130101: sending too fast (20 messages per minute per robot). */
const RETRYABLE_CODES = [-1, 130101] as const;

export const dingtalk: ChannelModule<"dingtalk"> = {
  kind: "dingtalk",
  async render(message, channel, { now }) {
    const url = new URL(channel.config.url);
    if (channel.secret) {
      url.searchParams.set("timestamp", String(now));
      // URLSearchParams percent-encodes + / = exactly as DingTalk's documented urlEncode does.
      url.searchParams.set("sign", await dingtalkSign(channel.secret, now));
    }
    return {
      transport: "http",
      url: url.toString(),
      method: "POST",
      headers: { "content-type": "application/json; charset=utf-8" },
      body: JSON.stringify({
        msgtype: "markdown",
        markdown: { title: message.title, text: `### ${message.title}\n\n${message.markdown}` },
      }),
      check: "errcode",
      retryableCodes: RETRYABLE_CODES,
    };
  },
};
