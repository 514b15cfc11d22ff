import type { ChannelModule } from "./types";
import { truncateUtf8 } from "./crypto";

/**
 * WeCom (企业微信) group robot, markdown message. The URL's `key` is the credential; there is no signature.
 * Content is limited to 4096 bytes of UTF-8. Answers HTTP 200 with `{"errcode":0}`.
 */
export const WECOM_MAX_CONTENT_BYTES = 4096;

/** -1: system busy; 45009: API frequency limit (20 messages per minute per robot). */
const RETRYABLE_CODES = [-1, 45009] as const;

export const wecom: ChannelModule<"wecom"> = {
  kind: "wecom",
  async render(message, channel) {
    return {
      transport: "http",
      url: channel.config.url,
      method: "POST",
      headers: { "content-type": "application/json; charset=utf-8" },
      body: JSON.stringify({
        msgtype: "markdown",
        markdown: { content: truncateUtf8(`### ${message.title}\n${message.markdown}`, WECOM_MAX_CONTENT_BYTES) },
      }),
      check: "errcode",
      retryableCodes: RETRYABLE_CODES,
    };
  },
};
