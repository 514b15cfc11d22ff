import { createHmac } from "node:crypto";
import { describe, expect, test } from "vitest";
import { CHANNEL_KINDS, type ChannelKind } from "../../shared/schemas/channels";
import { truncateUtf8 } from "./crypto";
import { deliver } from "./deliver";
import { dingtalkSign } from "./dingtalk";
import { emailHtml, markdownToHtml } from "./email";
import { feishuSign } from "./feishu";
import { CHANNEL_MODULES, renderFor } from "./registry";
import { toSlackMrkdwn } from "./slack";
import type { ChannelTarget, DeliveryRequest, HttpDeliveryRequest, OutgoingMessage, SendEmailDeliveryRequest } from "./types";
import { webhookSignature } from "./webhook";
import { WECOM_MAX_CONTENT_BYTES } from "./wecom";

// Independent references: node:crypto (not Web Crypto) and vectors computed once with Python's hmac module.
const nodeHmac = (key: string, message: string) => createHmac("sha256", key).update(message).digest();

const NOW = Date.UTC(2025, 10, 24, 16, 0, 0); // 1764000000000 ms
const NOW_S = 1_764_000_000;
const DING_SECRET = "SEC0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcd";

describe("signatures", () => {
  test.each([
    ["DingTalk (Python vector)", () => dingtalkSign(DING_SECRET, NOW), "HWRxw1Ga13qWACx8ZBljO6ZZON+11IFmrALvsIU+vMo="],
    ["Feishu (Python vector)", () => feishuSign("feishu-secret-123", NOW_S), "zp8phRJ/VLAAdLMyw93udmNmg7Z0PGH3smdJzjDUPa0="],
    [
      "webhook (Python vector)",
      () => webhookSignature("whsec_0123456789abcdef", NOW_S, '{"a":1}'),
      "sha256=c0278d076c065f5b182a05169238e5e2ed9356d54c2c34a258acb9cc03beafe3",
    ],
    ["DingTalk (node:crypto)", () => dingtalkSign("s3cr3t", 1), nodeHmac("s3cr3t", "1\ns3cr3t").toString("base64")],
    ["Feishu (node:crypto)", () => feishuSign("s3cr3t", 1), nodeHmac("1\ns3cr3t", "").toString("base64")],
    ["webhook (node:crypto)", () => webhookSignature("s3cr3t", 1, "{}"), `sha256=${nodeHmac("s3cr3t", "1.{}").toString("hex")}`],
  ])("%s", async (_, sign, expected) => {
    expect(await sign()).toBe(expected);
  });
});

const message: OutgoingMessage = {
  deliveryId: "nob_1",
  kind: "channel_test",
  language: "zh-CN",
  params: { channelName: "销售群", requestedBy: "周敏" },
  title: "目标助手：测试消息",
  text: "第一段\n- 甲\n- 乙",
  markdown: "**第一段**\n\n- 甲\n- 乙",
};

const target = <K extends ChannelKind>(kind: K, config: ChannelTarget<K>["config"], secret: string | null = null): ChannelTarget<K> => ({
  id: `ch_${kind}`,
  kind,
  name: kind,
  config,
  secret,
});

const json = { "content-type": "application/json; charset=utf-8" };

describe("render: exact request per channel", () => {
  test.each<[string, ChannelTarget, DeliveryRequest]>([
    [
      "WeCom markdown",
      target("wecom", { url: "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=abc" }),
      {
        transport: "http",
        method: "POST",
        url: "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=abc",
        headers: json,
        body: JSON.stringify({ msgtype: "markdown", markdown: { content: "### 目标助手：测试消息\n**第一段**\n\n- 甲\n- 乙" } }),
        check: "errcode",
        retryableCodes: [-1, 45009],
      },
    ],
    [
      "DingTalk markdown, signed",
      target("dingtalk", { url: "https://oapi.dingtalk.com/robot/send?access_token=tok" }, DING_SECRET),
      {
        transport: "http",
        method: "POST",
        url: `https://oapi.dingtalk.com/robot/send?access_token=tok&timestamp=${NOW}&sign=HWRxw1Ga13qWACx8ZBljO6ZZON%2B11IFmrALvsIU%2BvMo%3D`,
        headers: json,
        body: JSON.stringify({
          msgtype: "markdown",
          markdown: { title: "目标助手：测试消息", text: "### 目标助手：测试消息\n\n**第一段**\n\n- 甲\n- 乙" },
        }),
        check: "errcode",
        retryableCodes: [-1, 130101],
      },
    ],
    [
      "DingTalk without a secret: no timestamp, no sign",
      target("dingtalk", { url: "https://oapi.dingtalk.com/robot/send?access_token=tok" }),
      {
        transport: "http",
        method: "POST",
        url: "https://oapi.dingtalk.com/robot/send?access_token=tok",
        headers: json,
        body: JSON.stringify({
          msgtype: "markdown",
          markdown: { title: "目标助手：测试消息", text: "### 目标助手：测试消息\n\n**第一段**\n\n- 甲\n- 乙" },
        }),
        check: "errcode",
        retryableCodes: [-1, 130101],
      },
    ],
    [
      "Feishu post, signed",
      target("feishu", { url: "https://open.feishu.cn/open-apis/bot/v2/hook/h" }, "feishu-secret-123"),
      {
        transport: "http",
        method: "POST",
        url: "https://open.feishu.cn/open-apis/bot/v2/hook/h",
        headers: json,
        body: JSON.stringify({
          timestamp: String(NOW_S),
          sign: "zp8phRJ/VLAAdLMyw93udmNmg7Z0PGH3smdJzjDUPa0=",
          msg_type: "post",
          content: {
            post: {
              zh_cn: {
                title: "目标助手：测试消息",
                content: [[{ tag: "text", text: "第一段" }], [{ tag: "text", text: "- 甲" }], [{ tag: "text", text: "- 乙" }]],
              },
            },
          },
        }),
        check: "feishu",
        retryableCodes: [11232],
      },
    ],
    [
      "Slack text + blocks",
      target("slack", { url: "https://hooks.slack.com/services/T/B/X" }),
      {
        transport: "http",
        method: "POST",
        url: "https://hooks.slack.com/services/T/B/X",
        headers: json,
        body: JSON.stringify({
          text: "目标助手：测试消息\n第一段\n- 甲\n- 乙",
          blocks: [
            { type: "header", text: { type: "plain_text", text: "目标助手：测试消息", emoji: true } },
            { type: "section", text: { type: "mrkdwn", text: "*第一段*\n\n• 甲\n• 乙" } },
          ],
        }),
        check: "status",
      },
    ],
    [
      "e-mail through an HTTP API",
      target("email", { transport: "api", url: "https://mail.example/send", from: "hud@example.com", to: ["a@example.com"] }, "key_123"),
      {
        transport: "http",
        method: "POST",
        url: "https://mail.example/send",
        headers: { ...json, authorization: "Bearer key_123", "idempotency-key": "nob_1" },
        body: JSON.stringify({
          from: "hud@example.com",
          to: ["a@example.com"],
          subject: "目标助手：测试消息",
          text: "第一段\n- 甲\n- 乙",
          html: emailHtml("目标助手：测试消息", "**第一段**\n\n- 甲\n- 乙"),
        }),
        check: "status",
      },
    ],
    [
      "e-mail through the send_email binding",
      target("email", { transport: "send_email", from: "hud@example.com", to: ["a@example.com", "b@example.com"] }),
      {
        transport: "send_email",
        from: "hud@example.com",
        to: ["a@example.com", "b@example.com"],
        subject: "目标助手：测试消息",
        text: "第一段\n- 甲\n- 乙",
        html: emailHtml("目标助手：测试消息", "**第一段**\n\n- 甲\n- 乙"),
      },
    ],
  ])("%s", async (_, channel, expected) => {
    expect(await renderFor(channel, message, { now: NOW })).toEqual(expected);
  });

  test("generic webhook: JSON body with every form of the message, signed over `${timestamp}.${body}`", async () => {
    const req = (await renderFor(target("webhook", { url: "https://hooks.example/hud" }, "whsec_0123456789abcdef"), message, { now: NOW })) as HttpDeliveryRequest;
    expect(JSON.parse(req.body)).toEqual({
      id: "nob_1",
      kind: "channel_test",
      language: "zh-CN",
      title: message.title,
      text: message.text,
      markdown: message.markdown,
      params: message.params,
      sentAt: new Date(NOW).toISOString(),
    });
    expect(req.headers).toEqual({
      ...json,
      "x-hud-timestamp": String(NOW_S),
      "x-hud-delivery": "nob_1",
      "x-hud-signature": `sha256=${nodeHmac("whsec_0123456789abcdef", `${NOW_S}.${req.body}`).toString("hex")}`,
    });
  });

  test("every channel kind has exactly one module, registered under its own kind", () => {
    expect(Object.keys(CHANNEL_MODULES).sort()).toEqual([...CHANNEL_KINDS].sort());
    for (const [kind, module] of Object.entries(CHANNEL_MODULES)) expect(module.kind).toBe(kind);
  });

  test("WeCom content is cut to 4096 bytes of UTF-8 without splitting a character", async () => {
    const long = { ...message, markdown: "达".repeat(3000) };
    const req = (await renderFor(target("wecom", { url: "https://x.test/" }), long, { now: NOW })) as HttpDeliveryRequest;
    const content = JSON.parse(req.body).markdown.content as string;
    expect(new TextEncoder().encode(content).length).toBeLessThanOrEqual(WECOM_MAX_CONTENT_BYTES);
    expect(content.endsWith("达…")).toBe(true);
  });
});

describe("markdown conversions", () => {
  test.each([
    ["**bold** and text", "*bold* and text"],
    ["- a\n- b", "• a\n• b"],
    ["a < b & c > d", "a &lt; b &amp; c &gt; d"],
    ["\\*not bold\\* \\<tag\\>", "*not bold* &lt;tag&gt;"],
  ])("Slack mrkdwn: %j → %j", (input, expected) => {
    expect(toSlackMrkdwn(input)).toBe(expected);
  });

  test.each([
    ["**bold** text", "<p><strong>bold</strong> text</p>"],
    ["one\n\n- a\n- b", "<p>one</p>\n<ul><li>a</li><li>b</li></ul>"],
    ["<script>\\*x\\*", "<p>&lt;script&gt;*x*</p>"],
    // A NUL-delimited number in the input is text, not one of the escape placeholders.
    ["a\u00009\u0000b \\*", "<p>a9b *</p>"],
  ])("e-mail HTML: %j → %j", (input, expected) => {
    expect(markdownToHtml(input)).toBe(expected);
  });

  test.each([
    ["abc", 10, "abc"],
    ["abcdefghijkl", 10, "abcdefg…"],
    ["达达达达", 9, "达达…"],
  ])("truncateUtf8(%j, %i) → %j", (input, max, expected) => {
    expect(truncateUtf8(input, max)).toBe(expected);
  });
});

describe("deliver: classifies answers", () => {
  const http = (check: HttpDeliveryRequest["check"], retryableCodes?: number[]): HttpDeliveryRequest => ({
    transport: "http",
    url: "https://x.test/",
    method: "POST",
    headers: {},
    body: "{}",
    check,
    ...(retryableCodes ? { retryableCodes } : {}),
  });
  const answer = (status: number, body: string | null) => (async () => new Response(body, { status })) as unknown as typeof fetch;

  test.each<[string, HttpDeliveryRequest, typeof fetch, { ok: boolean; retryable?: boolean; error?: RegExp }]>([
    ["2xx", http("status"), answer(200, "ok"), { ok: true }],
    ["204", http("status"), answer(204, null), { ok: true }],
    ["429 is retryable", http("status"), answer(429, "slow down"), { ok: false, retryable: true, error: /HTTP 429: slow down/ }],
    ["503 is retryable", http("status"), answer(503, "busy"), { ok: false, retryable: true, error: /HTTP 503/ }],
    ["404 is permanent", http("status"), answer(404, "no_service"), { ok: false, retryable: false, error: /HTTP 404: no_service/ }],
    ["400 is permanent", http("status"), answer(400, "invalid_payload"), { ok: false, retryable: false }],
    ["a redirect is permanent", http("status"), answer(302, ""), { ok: false, retryable: false, error: /HTTP 302/ }],
    ["errcode 0", http("errcode"), answer(200, '{"errcode":0,"errmsg":"ok"}'), { ok: true }],
    [
      "DingTalk bad signature: 200 with errcode",
      http("errcode", [-1, 130101]),
      answer(200, '{"errcode":310000,"errmsg":"sign not match"}'),
      { ok: false, retryable: false, error: /310000: sign not match/ },
    ],
    ["DingTalk too fast: retryable", http("errcode", [-1, 130101]), answer(200, '{"errcode":130101,"errmsg":"send too fast"}'), { ok: false, retryable: true }],
    ["WeCom invalid key", http("errcode", [-1, 45009]), answer(200, '{"errcode":93000,"errmsg":"invalid webhook url"}'), { ok: false, retryable: false }],
    ["Feishu code 0", http("feishu"), answer(200, '{"code":0,"msg":"success"}'), { ok: true }],
    ["Feishu legacy StatusCode 0", http("feishu"), answer(200, '{"StatusCode":0,"StatusMessage":"success"}'), { ok: true }],
    ["Feishu sign mismatch", http("feishu", [11232]), answer(200, '{"code":19021,"msg":"sign match fail"}'), { ok: false, retryable: false, error: /19021/ }],
    ["robot answer that is not JSON", http("errcode"), answer(200, "<html>"), { ok: false, retryable: false, error: /not JSON/ }],
    [
      "network error is retryable",
      http("status"),
      (async () => {
        throw new TypeError("connection refused");
      }) as unknown as typeof fetch,
      { ok: false, retryable: true, error: /network error: connection refused/ },
    ],
  ])("%s", async (_, request, fetchImpl, expected) => {
    const outcome = await deliver(request, { fetch: fetchImpl });
    expect(outcome.ok).toBe(expected.ok);
    if (!outcome.ok) {
      expect(outcome.retryable).toBe(expected.retryable);
      if (expected.error) expect(outcome.error).toMatch(expected.error);
    }
  });

  test("a slow answer times out and is retryable", async () => {
    const slow = ((_: string, init: RequestInit) =>
      new Promise((_, reject) => init.signal!.addEventListener("abort", () => reject(init.signal!.reason)))) as unknown as typeof fetch;
    const outcome = await deliver(http("status"), { fetch: slow, timeoutMs: 20 });
    expect(outcome).toEqual({ ok: false, retryable: true, error: "timeout after 20 ms" });
  });

  const mail: SendEmailDeliveryRequest = { transport: "send_email", from: "hud@example.com", to: ["a@example.com"], subject: "s", text: "t", html: "<p>t</p>" };

  test("send_email: calls the binding with the builder form", async () => {
    const sent: unknown[] = [];
    const SEND_EMAIL = { send: async (m: unknown) => (sent.push(m), { messageId: "m1" }) } as unknown as SendEmail;
    expect(await deliver(mail, { env: { SEND_EMAIL } })).toEqual({ ok: true });
    expect(sent).toEqual([{ from: "hud@example.com", to: ["a@example.com"], subject: "s", text: "t", html: "<p>t</p>" }]);
  });

  test.each([
    ["no binding", undefined, { ok: false, retryable: false }],
    ["unverified destination", "destination address not verified", { ok: false, retryable: false }],
    ["transient failure", "internal error", { ok: false, retryable: true }],
  ])("send_email: %s", async (_, thrown, expected) => {
    const SEND_EMAIL =
      thrown === undefined
        ? undefined
        : ({
            send: async () => {
              throw new Error(thrown);
            },
          } as unknown as SendEmail);
    expect(await deliver(mail, { env: SEND_EMAIL ? { SEND_EMAIL } : {} })).toMatchObject(expected);
  });
});
