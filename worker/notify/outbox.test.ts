import { env } from "cloudflare:test";
import { createHmac } from "node:crypto";
import { describe, expect, test } from "vitest";
import type { ChannelConfig, ChannelKind } from "../../shared/schemas/channels";
import { db as makeDb } from "../db/client";
import { failNext, newHook, received, type Hook } from "../test/receivers";
import {
  BACKOFF_BASE_MS,
  BACKOFF_CAP_MS,
  ENQUEUE_ROWS_PER_STATEMENT,
  backoffDelay,
  deliverDue,
  deliverNow,
  enqueue,
  type EnqueueRow,
} from "./outbox";
import { renderMessage, type Language, type NotificationMessage } from "./templates";

/**
 * The outbox against real local D1 and real HTTP receivers on 127.0.0.1: everything below is sent by the
 * worker's own fetch from inside workerd. D1 is shared by the tests of this file, so every test makes its
 * own org and channels and looks only at its own rows and receiver paths.
 */

const db = makeDb(env.DB);
const T0 = Date.UTC(2026, 10, 24, 9, 0, 0);
const HOUR = 3_600_000;
const hmac = (key: string, message: string) => createHmac("sha256", key).update(message).digest();

async function makeOrg(language: Language = "en"): Promise<string> {
  const id = `org_nt_${crypto.randomUUID().slice(0, 8)}`;
  await env.DB.prepare("INSERT INTO orgs (id, name, language, created_at) VALUES (?, ?, ?, ?)").bind(id, `Org ${id}`, language, T0).run();
  return id;
}

async function makeChannel<K extends ChannelKind>(orgId: string, kind: K, config: ChannelConfig<K>, secret: string | null = null, enabled = true) {
  const id = `ch_${crypto.randomUUID().replace(/-/g, "")}`;
  await env.DB.prepare("INSERT INTO notification_channels (id, org_id, kind, name, config, secret, enabled, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")
    .bind(id, orgId, kind, `${kind} channel`, JSON.stringify(config), secret, enabled ? 1 : 0, T0)
    .run();
  return id;
}

const yellow: NotificationMessage = {
  kind: "alert_yellow",
  params: { repName: "李雷", consecutiveDays: 2, lastDay: "2026-11-23", shortfalls: [{ kind: "touch", count: 3, minimum: 8 }] },
};

const row = (orgId: string, channelId: string, dedupKey: string, over: Partial<EnqueueRow> = {}): EnqueueRow => ({
  orgId,
  channelId,
  dedupKey,
  message: yellow,
  language: "en",
  ...over,
});

interface OutboxRow {
  id: string;
  status: string;
  attempts: number;
  next_attempt_at: number;
  last_error: string | null;
  sent_at: number | null;
}
const outboxRow = (id: string) =>
  env.DB.prepare("SELECT id, status, attempts, next_attempt_at, last_error, sent_at FROM notification_outbox WHERE id = ?").bind(id).first<OutboxRow>();
const countFor = async (orgId: string) =>
  (await env.DB.prepare("SELECT count(*) AS n FROM notification_outbox WHERE org_id = ?").bind(orgId).first<{ n: number }>())!.n;

/** Always jitter to the top of the window, so the schedule is predictable. */
const maxJitter = () => 0.999999;

describe("enqueue", () => {
  test("stores each notification once, however often (and however concurrently) it is enqueued", async () => {
    const org = await makeOrg();
    // Disabled: later runs in this file fail these rows at once instead of sending them anywhere.
    const channel = await makeChannel(org, "slack", { url: newHook("slack").url }, null, false);
    const rows = Array.from({ length: 2 * ENQUEUE_ROWS_PER_STATEMENT + 3 }, (_, i) => row(org, channel, `alert_yellow:usr_${i}:2026-11-23`));
    const first = await enqueue(db, rows, T0);
    expect(first.inserted).toHaveLength(rows.length);
    expect(first.duplicates).toBe(0);

    const again = await Promise.all([enqueue(db, rows, T0 + 1), enqueue(db, [...rows].reverse(), T0 + 2), enqueue(db, rows, T0 + 3)]);
    expect(again.map((r) => r.inserted.length)).toEqual([0, 0, 0]);
    expect(await countFor(org)).toBe(rows.length);
  });

  test("the same natural key on two channels is two notifications; twice in one call is one", async () => {
    const org = await makeOrg();
    const a = await makeChannel(org, "slack", { url: newHook("slack").url }, null, false);
    const b = await makeChannel(org, "wecom", { url: newHook("wecom").url }, null, false);
    const result = await enqueue(db, [row(org, a, "k"), row(org, b, "k"), row(org, a, "k")], T0);
    expect(result).toMatchObject({ duplicates: 1 });
    expect(result.inserted).toHaveLength(2);
    expect(await countFor(org)).toBe(2);
  });

  test("rejects a message whose params do not fit its kind, before writing anything", async () => {
    const org = await makeOrg();
    const channel = await makeChannel(org, "slack", { url: newHook("slack").url }, null, false);
    const bad = row(org, channel, "bad", { message: { kind: "alert_red", params: { repName: "x" } } as unknown as NotificationMessage });
    await expect(enqueue(db, [row(org, channel, "good"), bad], T0)).rejects.toThrow(/weekStart/);
    expect(await countFor(org)).toBe(0);
  });
});

describe("delivery end to end, per channel (real receivers)", () => {
  async function sendOne(kind: ChannelKind, hook: Hook, config: ChannelConfig, secret: string | null, language: Language, now: number) {
    const org = await makeOrg(language);
    const channel = await makeChannel(org, kind, config as ChannelConfig<typeof kind>, secret);
    const { inserted } = await enqueue(db, [row(org, channel, `e2e:${kind}`, { language })], now);
    const report = await deliverDue(env, now);
    const result = report.results.find((r) => r.id === inserted[0]);
    expect(result).toMatchObject({ status: "sent", attempts: 1, error: null });
    const requests = await received(hook);
    expect(requests).toHaveLength(1);
    return { id: inserted[0]!, request: requests[0]!, body: JSON.parse(requests[0]!.body), expected: renderMessage(yellow, language) };
  }

  test("WeCom: markdown with the title in front", async () => {
    const hook = newHook("wecom", "?key=wecom-key");
    const { request, body, expected } = await sendOne("wecom", hook, { url: hook.url }, null, "zh-CN", T0);
    expect(request.url).toBe(`${hook.path}?key=wecom-key`);
    expect(request.headers["content-type"]).toBe("application/json; charset=utf-8");
    expect(body).toEqual({ msgtype: "markdown", markdown: { content: `### ${expected.title}\n${expected.markdown}` } });
    expect(body.markdown.content).toContain("黄色预警：李雷连续 2 个工作日未达标");
  });

  test("DingTalk: markdown, timestamp + sign query parameters verify with the secret", async () => {
    const secret = "SECdingtalk0123456789abcdef";
    const hook = newHook("dingtalk", "?access_token=tok");
    const now = T0 + 1000;
    const { request, body, expected } = await sendOne("dingtalk", hook, { url: hook.url }, secret, "zh-TW", now);
    const url = new URL(request.url, "http://receiver");
    expect(url.searchParams.get("access_token")).toBe("tok");
    expect(url.searchParams.get("timestamp")).toBe(String(now));
    // What DingTalk does on its side: recompute over `${timestamp}\n${secret}` and compare.
    expect(url.searchParams.get("sign")).toBe(hmac(secret, `${now}\n${secret}`).toString("base64"));
    // The raw query is URL-encoded: no bare + / = from base64.
    expect(request.url.split("sign=")[1]).not.toMatch(/[+/=]/);
    expect(body).toEqual({ msgtype: "markdown", markdown: { title: expected.title, text: `### ${expected.title}\n\n${expected.markdown}` } });
    expect(body.markdown.title).toBe("黃色警示：李雷連續 2 個工作天未達標");
  });

  test("Feishu: post message with timestamp + sign in the body", async () => {
    const secret = "feishu-secret";
    const hook = newHook("feishu");
    const now = T0 + 2000;
    const { body, expected } = await sendOne("feishu", hook, { url: hook.url }, secret, "en", now);
    const ts = Math.floor(now / 1000);
    expect(body.timestamp).toBe(String(ts));
    expect(body.sign).toBe(hmac(`${ts}\n${secret}`, "").toString("base64"));
    expect(body.msg_type).toBe("post");
    expect(body.content.post.en_us.title).toBe(expected.title);
    expect(body.content.post.en_us.content).toEqual(expected.text.split("\n").map((text) => [{ tag: "text", text }]));
  });

  test("Slack: text fallback plus header and mrkdwn section", async () => {
    const hook = newHook("slack");
    const { body, expected } = await sendOne("slack", hook, { url: hook.url }, null, "en", T0 + 3000);
    expect(body.text).toBe(`${expected.title}\n${expected.text}`);
    expect(body.blocks[0]).toEqual({ type: "header", text: { type: "plain_text", text: expected.title, emoji: true } });
    expect(body.blocks[1].type).toBe("section");
    expect(body.blocks[1].text.text).toContain("*李雷* has been below");
  });

  test("generic webhook: X-HUD-Signature verifies over `${timestamp}.${raw body}`", async () => {
    const secret = "whsec_test_0123456789";
    const hook = newHook("webhook");
    const now = T0 + 4000;
    const { id, request, body, expected } = await sendOne("webhook", hook, { url: hook.url }, secret, "zh-CN", now);
    const ts = request.headers["x-hud-timestamp"]!;
    expect(ts).toBe(String(Math.floor(now / 1000)));
    expect(request.headers["x-hud-signature"]).toBe(`sha256=${hmac(secret, `${ts}.${request.body}`).toString("hex")}`);
    expect(request.headers["x-hud-delivery"]).toBe(id);
    expect(body).toMatchObject({ id, kind: "alert_yellow", language: "zh-CN", title: expected.title, text: expected.text, params: yellow.params });
  });

  test("e-mail through the HTTP API: bearer key and {from,to,subject,text,html}", async () => {
    const hook = newHook("email");
    const config = { transport: "api" as const, url: hook.url, from: "hud@example.com", to: ["li@example.com"] };
    const { id, request, body, expected } = await sendOne("email", hook, config, "re_api_key_123", "en", T0 + 5000);
    expect(request.headers.authorization).toBe("Bearer re_api_key_123");
    expect(request.headers["idempotency-key"]).toBe(id);
    expect(body).toMatchObject({ from: "hud@example.com", to: ["li@example.com"], subject: expected.title, text: expected.text });
    expect(body.html).toContain("<strong>李雷</strong>");
  });

  test("e-mail through the send_email binding when SEND_EMAIL is configured", async () => {
    const org = await makeOrg();
    const channel = await makeChannel(org, "email", { transport: "send_email", from: "hud@example.com", to: ["li@example.com"] });
    const { inserted } = await enqueue(db, [row(org, channel, "mail")], T0);
    const sent: { to: unknown; subject: string }[] = [];
    const SEND_EMAIL = { send: async (m: { to: unknown; subject: string }) => (sent.push(m), { messageId: "m" }) } as unknown as SendEmail;
    const report = await deliverNow({ DB: env.DB, SEND_EMAIL }, org, inserted, T0);
    expect(report.results[0]).toMatchObject({ status: "sent" });
    expect(sent).toEqual([expect.objectContaining({ to: ["li@example.com"], subject: renderMessage(yellow, "en").title })]);
  });
});

describe("retries, failures and concurrency", () => {
  test("fails twice, then succeeds: exactly one delivered message after three runs, backoff respected", async () => {
    const hook = newHook("webhook");
    await failNext(hook, 2, 503, "try later");
    const org = await makeOrg();
    const channel = await makeChannel(org, "webhook", { url: hook.url }, "whsec_retry_0123456789");
    const t = T0 + 10 * HOUR;
    const [id] = (await enqueue(db, [row(org, channel, "retry")], t)).inserted;

    await deliverDue(env, t, 50, { random: maxJitter });
    let r = (await outboxRow(id!))!;
    expect(r).toMatchObject({ status: "pending", attempts: 1, last_error: "HTTP 503: try later" });
    expect(r.next_attempt_at).toBe(t + Math.floor(0.999999 * BACKOFF_BASE_MS)); // attempt 1: [0, 30 s)

    // Not due yet: an early run leaves it alone.
    await deliverDue(env, t + 1000, 50, { random: maxJitter });
    expect(await received(hook)).toHaveLength(1);

    await deliverDue(env, t + HOUR, 50, { random: maxJitter });
    r = (await outboxRow(id!))!;
    expect(r).toMatchObject({ status: "pending", attempts: 2 });
    expect(r.next_attempt_at).toBe(t + HOUR + Math.floor(0.999999 * 2 * BACKOFF_BASE_MS)); // attempt 2: [0, 60 s)

    await deliverDue(env, t + 2 * HOUR, 50, { random: maxJitter });
    r = (await outboxRow(id!))!;
    expect(r).toMatchObject({ status: "sent", attempts: 3, sent_at: t + 2 * HOUR, last_error: "HTTP 503: try later" });

    await deliverDue(env, t + 3 * HOUR);
    const requests = await received(hook);
    expect(requests).toHaveLength(3); // two refused, one accepted
    expect(new Set(requests.map((q) => q.headers["x-hud-delivery"]))).toEqual(new Set([id])); // same idempotency id every time
  });

  test.each([
    ["HTTP 404", 404, "no_service", /HTTP 404: no_service/],
    ["HTTP 400", 400, "invalid_payload", /HTTP 400/],
  ])("a permanent %s fails at once and is never retried", async (_, status, body, error) => {
    const hook = newHook("slack");
    await failNext(hook, 100, status, body);
    const org = await makeOrg();
    const channel = await makeChannel(org, "slack", { url: hook.url });
    const t = T0 + 20 * HOUR;
    const [id] = (await enqueue(db, [row(org, channel, "perm")], t)).inserted;
    await deliverDue(env, t);
    for (let i = 1; i <= 3; i++) await deliverDue(env, t + i * 2 * HOUR);
    const r = (await outboxRow(id!))!;
    expect(r).toMatchObject({ status: "failed", attempts: 1 });
    expect(r.last_error).toMatch(error);
    expect(await received(hook)).toHaveLength(1);
  });

  test("a DingTalk error code in a 200 answer is a failure (bad signature: permanent)", async () => {
    const hook = newHook("dingtalk");
    await failNext(hook, 1, 200, JSON.stringify({ errcode: 310000, errmsg: "sign not match" }));
    const org = await makeOrg();
    const channel = await makeChannel(org, "dingtalk", { url: hook.url }, "SECwrong");
    const [id] = (await enqueue(db, [row(org, channel, "sign")], T0)).inserted;
    const report = await deliverNow(env, org, [id!], T0);
    expect(report.results[0]).toMatchObject({ status: "failed", retryable: false, error: "error code 310000: sign not match" });
  });

  test("gives up after the attempt limit, keeping the last error", async () => {
    const hook = newHook("wecom");
    await failNext(hook, 100, 500, "down");
    const org = await makeOrg();
    const channel = await makeChannel(org, "wecom", { url: hook.url });
    const t = T0 + 30 * HOUR;
    const [id] = (await enqueue(db, [row(org, channel, "exhaust")], t)).inserted;
    for (let i = 0; i < 5; i++) await deliverDue(env, t + i * 2 * HOUR, 50, { maxAttempts: 3 });
    const r = (await outboxRow(id!))!;
    expect(r).toMatchObject({ status: "failed", attempts: 3, last_error: "HTTP 500: down (gave up after 3 attempts)" });
    expect(await received(hook)).toHaveLength(3);
  });

  test("two overlapping runs send each row exactly once", async () => {
    const hook = newHook("webhook");
    // Slow answers, so the two runs really overlap while sending.
    await failNext(hook, 100, 200, '{"ok":true}', 30);
    const org = await makeOrg();
    const channel = await makeChannel(org, "webhook", { url: hook.url }, "whsec_concurrent_0123");
    const t = T0 + 40 * HOUR;
    const { inserted } = await enqueue(db, Array.from({ length: 20 }, (_, i) => row(org, channel, `c${i}`)), t);
    const [a, b] = await Promise.all([deliverDue(env, t), deliverDue(env, t)]);
    const mine = (r: typeof a) => r.results.filter((x) => inserted.includes(x.id));
    expect(mine(a).length + mine(b).length).toBe(20);
    const requests = await received(hook);
    expect(requests).toHaveLength(20);
    expect(new Set(requests.map((q) => q.headers["x-hud-delivery"]))).toEqual(new Set(inserted));
    const statuses = await env.DB.prepare("SELECT status, attempts, count(*) AS n FROM notification_outbox WHERE org_id = ? GROUP BY status, attempts").bind(org).all();
    expect(statuses.results).toEqual([{ status: "sent", attempts: 1, n: 20 }]);
  });

  test("a run whose lease expired cannot overwrite the newer attempt's result (fencing on attempts)", async () => {
    const hook = newHook("slack");
    const org = await makeOrg();
    const channel = await makeChannel(org, "slack", { url: hook.url });
    const t = T0 + 50 * HOUR;
    const [id] = (await enqueue(db, [row(org, channel, "fence")], t)).inserted;

    let release!: (r: Response) => void;
    let called!: () => void;
    const calledPromise = new Promise<void>((r) => (called = r));
    const stuckFetch = (() => {
      called();
      return new Promise<Response>((r) => (release = r));
    }) as unknown as typeof fetch;
    const slowRun = deliverDue(env, t, 50, { fetch: stuckFetch, leaseMs: 1000 });
    await calledPromise;

    // The lease ran out; a second run claims the row again and delivers it.
    const second = await deliverDue(env, t + 2000);
    expect(second.results.find((r) => r.id === id)).toMatchObject({ status: "sent", attempts: 2 });

    release(new Response("boom", { status: 500 }));
    await slowRun;
    expect(await outboxRow(id!)).toMatchObject({ status: "sent", attempts: 2, last_error: null });
  });

  test("rows of a disabled or deleted channel fail without sending; a test message still goes to a disabled channel", async () => {
    const hook = newHook("slack");
    const org = await makeOrg();
    const disabled = await makeChannel(org, "slack", { url: hook.url }, null, false);
    const test: NotificationMessage = { kind: "channel_test", params: { channelName: "x", requestedBy: "y" } };
    const { inserted } = await enqueue(db, [row(org, disabled, "d1"), row(org, "ch_missing", "d2"), row(org, disabled, "d3", { message: test })], T0);
    const report = await deliverNow(env, org, inserted, T0);
    const byId = new Map(report.results.map((r) => [r.id, r]));
    expect(byId.get(inserted[0]!)).toMatchObject({ status: "failed", error: "channel is disabled" });
    expect(byId.get(inserted[1]!)).toMatchObject({ status: "failed", error: "channel not found (deleted?)" });
    expect(byId.get(inserted[2]!)).toMatchObject({ status: "sent" });
    expect(await received(hook)).toHaveLength(1);
  });

  test("deliverNow only claims rows of the given org", async () => {
    const org = await makeOrg();
    const other = await makeOrg();
    const channel = await makeChannel(other, "slack", { url: newHook("slack").url });
    const [id] = (await enqueue(db, [row(other, channel, "x")], T0)).inserted;
    expect(await deliverNow(env, org, [id!], T0)).toMatchObject({ claimed: 0 });
    expect(await outboxRow(id!)).toMatchObject({ status: "pending", attempts: 0 });
  });

  test("never throws, even when the database does", async () => {
    const broken = {
      prepare() {
        throw new Error("D1 is down");
      },
    } as unknown as D1Database;
    await expect(deliverDue({ DB: broken }, T0)).resolves.toMatchObject({ claimed: 0, error: "D1 is down" });
  });
});

describe("backoff", () => {
  test.each([
    [1, 1, BACKOFF_BASE_MS],
    [2, 1, 2 * BACKOFF_BASE_MS],
    [3, 0.5, 2 * BACKOFF_BASE_MS],
    [7, 1, 64 * BACKOFF_BASE_MS], // 32 min
    [8, 1, BACKOFF_CAP_MS], // 64 min → capped at 1 h
    [20, 1, BACKOFF_CAP_MS],
    [5, 0, 0], // full jitter: anywhere from 0
  ])("attempt %i with random %d → %i ms", (attempt, r, expected) => {
    expect(backoffDelay(attempt, () => r)).toBe(expected);
  });
});
