import { env } from "cloudflare:test";
import { createHmac } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { api, count, json, runSql } from "../test/helpers";
import { makeFixture, type Fixture, type FixtureUser } from "../test/fixture";
import { failNext, newHook, received } from "../test/receivers";

/**
 * /v1/channels against real D1 and the real HTTP receivers. Fixture (worker/test/fixture.ts): admin ada,
 * director dora, managers mia (team1) and max (team2), rep rob; xadmin in another org. The org speaks zh-TW.
 */

let f: Fixture;
const team = (t: string) => `team_chn_${t}`;

beforeAll(async () => {
  f = await makeFixture("chn");
  await runSql([`UPDATE orgs SET language = 'zh-TW' WHERE id = '${f.orgId}'`]);
});

const call = (user: FixtureUser, path: string, method = "GET", body?: unknown) =>
  api(path, { method, token: f.token(user), ...(body === undefined ? {} : { body: typeof body === "string" ? body : JSON.stringify(body) }) });

async function create(user: FixtureUser, body: Record<string, unknown>): Promise<{ id: string; text: string; status: number }> {
  const res = await call(user, "/v1/channels", "POST", body);
  const text = await res.text();
  return { id: res.status === 201 ? JSON.parse(text).id : "", text, status: res.status };
}

const channelCount = () => count("SELECT count(*) AS n FROM notification_channels WHERE org_id = ?", f.orgId);

describe("CRUD", () => {
  it("creates, reads, lists, updates and deletes a channel", async () => {
    const hook = newHook("webhook");
    const created = await create("ada", { kind: "webhook", name: "Ops hook", config: { url: hook.url }, secret: "whsec_crud_0123456789" });
    expect(created.status).toBe(201);
    const body = JSON.parse(created.text);
    expect(body).toMatchObject({ kind: "webhook", name: "Ops hook", teamId: null, enabled: true, config: { url: hook.url }, urlHint: hook.url, hasSecret: true });
    expect(body.id).toMatch(/^ch_/);

    expect(await json(await call("ada", `/v1/channels/${body.id}`))).toEqual(body);
    const list = await json(await call("ada", "/v1/channels"));
    expect(list.channels.map((c: { id: string }) => c.id)).toContain(body.id);

    const patched = await json(await call("ada", `/v1/channels/${body.id}`, "PATCH", { name: "Ops hook 2", enabled: false, teamId: team("team2") }));
    expect(patched).toMatchObject({ name: "Ops hook 2", enabled: false, teamId: team("team2"), config: { url: hook.url }, hasSecret: true });

    // An undelivered message is closed when its channel goes.
    await runSql([
      `INSERT INTO notification_outbox (id, org_id, channel_id, dedup_key, payload, next_attempt_at) VALUES ('nob_crud', '${f.orgId}', '${body.id}', '${body.id}|k', '{}', 0)`,
    ]);
    const del = await call("ada", `/v1/channels/${body.id}`, "DELETE");
    expect(del.status).toBe(204);
    expect((await call("ada", `/v1/channels/${body.id}`)).status).toBe(404);
    expect(await env.DB.prepare("SELECT status, last_error FROM notification_outbox WHERE id = 'nob_crud'").first()).toEqual({ status: "failed", last_error: "channel deleted" });
  });

  it("replaces and clears the secret only when asked, and merges config (null removes a key)", async () => {
    const mailHook = newHook("email");
    const { id } = await create("ada", {
      kind: "email",
      name: "Mail",
      config: { transport: "api", url: mailHook.url, from: "hud@example.com", to: ["a@example.com"] },
      secret: "re_key_one_123",
    });
    const secretOf = async () => (await env.DB.prepare("SELECT secret FROM notification_channels WHERE id = ?").bind(id).first<{ secret: string | null }>())?.secret;

    await call("ada", `/v1/channels/${id}`, "PATCH", { config: { to: ["b@example.com", "c@example.com"] } });
    expect(await secretOf()).toBe("re_key_one_123");
    const after = await json(await call("ada", `/v1/channels/${id}`));
    expect(after.config).toEqual({ transport: "api", url: mailHook.url, from: "hud@example.com", to: ["b@example.com", "c@example.com"] });

    await call("ada", `/v1/channels/${id}`, "PATCH", { secret: "re_key_two_456" });
    expect(await secretOf()).toBe("re_key_two_456");

    // The API key is required for transport api: clearing it is refused and changes nothing.
    const refused = await call("ada", `/v1/channels/${id}`, "PATCH", { secret: null });
    expect(refused.status).toBe(400);
    expect((await json(refused)).error).toMatchObject({ code: "validation_failed", details: [{ path: "secret" }] });
    expect(await secretOf()).toBe("re_key_two_456");
  });
});

describe("secrets are write-only", () => {
  const SECRETS = {
    webhook: "whsec_never_shown_0001",
    dingtalk: "SECnever_shown_dingtalk_0002",
    feishu: "never_shown_feishu_0003",
    email: "re_never_shown_api_key_0004",
  };

  it("never appear in any answer: create, get, list, update, test, deliveries", async () => {
    const hooks = { wecom: newHook("wecom", "?key=WECOMKEYnevershown"), slack: newHook("slack"), dingtalk: newHook("dingtalk", "?access_token=DINGTOKENnevershown") };
    const bodies = [
      { kind: "webhook", name: "w", config: { url: newHook("webhook").url }, secret: SECRETS.webhook },
      { kind: "dingtalk", name: "d", config: { url: hooks.dingtalk.url }, secret: SECRETS.dingtalk },
      { kind: "feishu", name: "f", config: { url: newHook("feishu").url }, secret: SECRETS.feishu },
      { kind: "email", name: "e", config: { transport: "api", url: newHook("email").url, from: "a@example.com", to: ["b@example.com"] }, secret: SECRETS.email },
      { kind: "wecom", name: "q", config: { url: hooks.wecom.url } },
      { kind: "slack", name: "s", config: { url: hooks.slack.url } },
    ];
    const texts: string[] = [];
    const ids: string[] = [];
    for (const b of bodies) {
      const c = await create("ada", b);
      expect(c.status, c.text).toBe(201);
      texts.push(c.text);
      ids.push(c.id);
    }
    texts.push(await (await call("ada", "/v1/channels")).text());
    for (const id of ids) {
      texts.push(await (await call("ada", `/v1/channels/${id}`)).text());
      texts.push(await (await call("ada", `/v1/channels/${id}`, "PATCH", { name: "renamed" })).text());
      texts.push(await (await call("ada", `/v1/channels/${id}/test`, "POST")).text());
      texts.push(await (await call("ada", `/v1/channels/${id}/deliveries`)).text());
    }
    const all = texts.join("\n");
    for (const secret of Object.values(SECRETS)) expect(all).not.toContain(secret);
    // Credential-bearing URLs are hinted, never echoed.
    expect(all).not.toContain("WECOMKEYnevershown");
    expect(all).not.toContain("DINGTOKENnevershown");
    expect(all).not.toContain(hooks.slack.path);
    expect(all).not.toMatch(/"secret"/);
    const slack = JSON.parse(texts[5]!);
    expect(slack).toMatchObject({ hasSecret: false, config: {}, urlHint: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+\/….{4}$/) });
  });
});

describe("validation: a 4xx envelope and nothing written", () => {
  const url = () => newHook("webhook").url;
  it.each<[string, unknown, string]>([
    ["unknown kind", { kind: "pager", name: "x", config: { url: "https://x.test" } }, "validation_failed"],
    ["ftp URL", { kind: "slack", name: "x", config: { url: "ftp://hooks.slack.com/x" } }, "validation_failed"],
    ["javascript: URL", { kind: "wecom", name: "x", config: { url: "javascript:alert(1)" } }, "validation_failed"],
    ["relative URL", { kind: "wecom", name: "x", config: { url: "/cgi-bin/webhook/send" } }, "validation_failed"],
    ["missing URL", { kind: "feishu", name: "x", config: {} }, "validation_failed"],
    ["webhook without a secret", { kind: "webhook", name: "x", config: { url: "https://x.test" } }, "validation_failed"],
    ["a secret for Slack (it has none)", { kind: "slack", name: "x", config: { url: "https://x.test" }, secret: "abcdefgh1" }, "validation_failed"],
    ["too short a secret", { kind: "dingtalk", name: "x", config: { url: "https://x.test" }, secret: "abc" }, "validation_failed"],
    ["e-mail API without a key", { kind: "email", name: "x", config: { transport: "api", url: "https://m.test", from: "a@example.com", to: ["b@example.com"] } }, "validation_failed"],
    ["a bad e-mail address", { kind: "email", name: "x", config: { transport: "api", url: "https://m.test", from: "nobody", to: ["b@example.com"] }, secret: "re_key_12345" }, "validation_failed"],
    ["no recipients", { kind: "email", name: "x", config: { transport: "api", url: "https://m.test", from: "a@example.com", to: [] }, secret: "re_key_12345" }, "validation_failed"],
    ["send_email without the binding", { kind: "email", name: "x", config: { transport: "send_email", from: "a@example.com", to: ["b@example.com"] } }, "validation_failed"],
    ["an unknown config key", { kind: "slack", name: "x", config: { url: "https://x.test", channel: "#general" } }, "validation_failed"],
    ["empty name", { kind: "slack", name: "  ", config: { url: "https://x.test" } }, "validation_failed"],
    ["mass assignment of orgId", { kind: "slack", name: "x", config: { url: "https://x.test" }, orgId: "org_chn_x" }, "validation_failed"],
    ["mass assignment of id", { kind: "slack", name: "x", config: { url: "https://x.test" }, id: "ch_forged" }, "validation_failed"],
    ["hasSecret", { kind: "slack", name: "x", config: { url: "https://x.test" }, hasSecret: true }, "validation_failed"],
    ["an unknown team", { kind: "slack", name: "x", config: { url: "https://x.test" }, teamId: "team_nope" }, "validation_failed"],
    ["another org's team", { kind: "slack", name: "x", config: { url: "https://x.test" }, teamId: "team_chn_xteam" }, "validation_failed"],
    ["malformed JSON", "{not json", "bad_request"],
  ])("POST rejects %s", async (_, body, code) => {
    const before = await channelCount();
    const res = await call("ada", "/v1/channels", "POST", body);
    expect(res.status).toBe(400);
    const err = await json(res);
    expect(err.error.code).toBe(code);
    expect(typeof err.error.message).toBe("string");
    expect(await channelCount()).toBe(before);
  });

  it.each<[string, unknown]>([
    ["an ftp URL", { config: { url: "ftp://x.test" } }],
    ["an empty patch", {}],
    ["a kind change", { kind: "slack" }],
    ["removing the URL", { config: { url: null } }],
    ["a secret cleared on a signed webhook", { secret: null }],
    ["a non-boolean enabled", { enabled: "yes" }],
  ])("PATCH rejects %s and leaves the row as it was", async (_, patch) => {
    const { id } = await create("ada", { kind: "webhook", name: "Keep", config: { url: url() }, secret: "whsec_keep_0123456789" });
    const snapshot = () => env.DB.prepare("SELECT * FROM notification_channels WHERE id = ?").bind(id).first();
    const before = await snapshot();
    const res = await call("ada", `/v1/channels/${id}`, "PATCH", patch);
    expect(res.status).toBe(400);
    expect((await json(res)).error.code).toBe("validation_failed");
    expect(await snapshot()).toEqual(before);
  });

  it("rejects a bad deliveries query", async () => {
    const { id } = await create("ada", { kind: "slack", name: "q", config: { url: newHook("slack").url } });
    for (const q of ["limit=0", "limit=101", "status=lost", "extra=1"]) {
      const res = await call("ada", `/v1/channels/${id}/deliveries?${q}`);
      expect(res.status, q).toBe(400);
    }
  });
});

describe("access", () => {
  let team1Channel: string;
  let orgWideChannel: string;
  let otherOrgChannel: string;
  beforeAll(async () => {
    team1Channel = (await create("mia", { kind: "slack", name: "Team 1", config: { url: newHook("slack").url } })).id;
    orgWideChannel = (await create("ada", { kind: "slack", name: "Everyone", config: { url: newHook("slack").url } })).id;
    otherOrgChannel = (await create("xadmin", { kind: "slack", name: "Other org", config: { url: newHook("slack").url } })).id;
  });

  it("a manager's channel belongs to their team", async () => {
    expect((await json(await call("mia", `/v1/channels/${team1Channel}`))).teamId).toBe(team("team1"));
  });

  it.each<[FixtureUser, string]>([
    ["rob", "rep"],
    ["dora", "director"],
  ])("%s (%s) gets 403 on every channel route", async (user) => {
    const attempts = [
      call(user, "/v1/channels"),
      call(user, "/v1/channels", "POST", { kind: "slack", name: "x", config: { url: "https://x.test" } }),
      call(user, `/v1/channels/${team1Channel}`),
      call(user, `/v1/channels/${team1Channel}`, "PATCH", { name: "x" }),
      call(user, `/v1/channels/${team1Channel}`, "DELETE"),
      call(user, `/v1/channels/${team1Channel}/test`, "POST"),
      call(user, `/v1/channels/${team1Channel}/deliveries`),
    ];
    for (const res of await Promise.all(attempts)) {
      expect(res.status).toBe(403);
      expect((await json(res)).error.code).toBe("forbidden");
    }
  });

  it.each<[string, FixtureUser, () => string]>([
    ["a manager of another team", "max", () => team1Channel],
    ["a manager, for an org-wide channel", "mia", () => orgWideChannel],
    ["an admin of another org", "xadmin", () => team1Channel],
    ["an admin, for another org's channel", "ada", () => otherOrgChannel],
  ])("%s gets 404 everywhere and changes nothing", async (_, user, channel) => {
    const id = channel();
    const before = await env.DB.prepare("SELECT * FROM notification_channels WHERE id = ?").bind(id).first();
    const outboxBefore = await count("SELECT count(*) AS n FROM notification_outbox WHERE channel_id = ?", id);
    const attempts = [
      call(user, `/v1/channels/${id}`),
      call(user, `/v1/channels/${id}`, "PATCH", { name: "hijacked" }),
      call(user, `/v1/channels/${id}`, "DELETE"),
      call(user, `/v1/channels/${id}/test`, "POST"),
      call(user, `/v1/channels/${id}/deliveries`),
    ];
    for (const res of await Promise.all(attempts)) {
      expect(res.status).toBe(404);
      expect((await json(res)).error.code).toBe("not_found");
    }
    expect(await env.DB.prepare("SELECT * FROM notification_channels WHERE id = ?").bind(id).first()).toEqual(before);
    expect(await count("SELECT count(*) AS n FROM notification_outbox WHERE channel_id = ?", id)).toBe(outboxBefore);
  });

  it("lists only the channels in scope", async () => {
    const ids = async (user: FixtureUser) => ((await json(await call(user, "/v1/channels"))).channels as { id: string; teamId: string | null }[]);
    const mia = await ids("mia");
    expect(mia.map((c) => c.id)).toContain(team1Channel);
    expect(mia.every((c) => c.teamId === team("team1"))).toBe(true);
    expect((await ids("max")).map((c) => c.id)).not.toContain(team1Channel);
    const ada = (await ids("ada")).map((c) => c.id);
    expect(ada).toEqual(expect.arrayContaining([team1Channel, orgWideChannel]));
    expect(ada).not.toContain(otherOrgChannel);
    expect((await ids("xadmin")).map((c) => c.id)).toEqual([otherOrgChannel]);
  });

  it.each<[string, FixtureUser, Record<string, unknown>]>([
    ["for another team", "mia", { teamId: team("team2") }],
    ["org-wide", "mia", { teamId: null }],
  ])("a manager may not create a channel %s (403)", async (_, user, extra) => {
    const before = await channelCount();
    const res = await call(user, "/v1/channels", "POST", { kind: "slack", name: "x", config: { url: "https://x.test" }, ...extra });
    expect(res.status).toBe(403);
    expect(await channelCount()).toBe(before);
  });

  it("a manager may not move their channel to another team", async () => {
    const res = await call("mia", `/v1/channels/${team1Channel}`, "PATCH", { teamId: team("team2") });
    expect(res.status).toBe(403);
    expect((await json(await call("mia", `/v1/channels/${team1Channel}`))).teamId).toBe(team("team1"));
  });
});

describe("POST /v1/channels/:id/test and the delivery log", () => {
  it("delivers a signed test message in the org's language and logs it", async () => {
    const hook = newHook("webhook");
    const secret = "whsec_test_route_0123";
    const { id } = await create("mia", { kind: "webhook", name: "團隊通知", config: { url: hook.url }, secret });
    const res = await call("mia", `/v1/channels/${id}/test`, "POST");
    expect(res.status).toBe(200);
    const body = await json(res);
    expect(body.outcome).toEqual({ ok: true, httpStatus: 200 });
    expect(body.delivery).toMatchObject({ channelId: id, messageKind: "channel_test", status: "sent", attempts: 1, lastError: null, nextAttemptAt: null });

    const [request] = await received(hook);
    const ts = request!.headers["x-hud-timestamp"]!;
    expect(request!.headers["x-hud-signature"]).toBe(`sha256=${createHmac("sha256", secret).update(`${ts}.${request!.body}`).digest("hex")}`);
    expect(request!.headers["x-hud-delivery"]).toBe(body.delivery.id);
    const payload = JSON.parse(request!.body);
    expect(payload).toMatchObject({ kind: "channel_test", language: "zh-TW", title: "目標助手：測試訊息" });
    expect(payload.text).toBe("這是通知頻道「團隊通知」的測試訊息，由 mia 傳送。看得到這則訊息，就表示通知可以正常送達。");

    const log = await json(await call("mia", `/v1/channels/${id}/deliveries`));
    expect(log.deliveries).toEqual([body.delivery]);
  });

  it.each([
    ["a permanent 404", 404, "no_service", { ok: false, retryable: false, httpStatus: 404 }],
    ["a 503 (retryable, but a test is tried once)", 503, "busy", { ok: false, retryable: true, httpStatus: 503 }],
  ])("reports %s as the outcome, and the log keeps the error", async (_, status, answer, outcome) => {
    const hook = newHook("slack");
    await failNext(hook, 1, status, answer);
    const { id } = await create("ada", { kind: "slack", name: "Broken", config: { url: hook.url } });
    const body = await json(await call("ada", `/v1/channels/${id}/test`, "POST"));
    expect(body.outcome).toMatchObject(outcome);
    expect(body.outcome.error).toContain(`HTTP ${status}: ${answer}`);
    expect(body.delivery).toMatchObject({ status: "failed", attempts: 1 });
    const failed = await json(await call("ada", `/v1/channels/${id}/deliveries?status=failed`));
    expect(failed.deliveries).toHaveLength(1);
    expect(failed.deliveries[0].lastError).toContain(`HTTP ${status}`);
    expect((await json(await call("ada", `/v1/channels/${id}/deliveries?status=sent`))).deliveries).toEqual([]);
    expect(await received(hook)).toHaveLength(1);
  });

  it("reports a DingTalk error code answered with HTTP 200 as a failure", async () => {
    const hook = newHook("dingtalk");
    await failNext(hook, 1, 200, JSON.stringify({ errcode: 310000, errmsg: "sign not match" }));
    const { id } = await create("ada", { kind: "dingtalk", name: "Ding", config: { url: hook.url }, secret: "SECwrong_secret_1" });
    const body = await json(await call("ada", `/v1/channels/${id}/test`, "POST"));
    expect(body.outcome).toEqual({ ok: false, retryable: false, httpStatus: 200, error: "error code 310000: sign not match" });
  });

  it("tests a disabled channel too (admins test before enabling)", async () => {
    const hook = newHook("wecom");
    const { id } = await create("ada", { kind: "wecom", name: "Later", config: { url: hook.url }, enabled: false });
    const body = await json(await call("ada", `/v1/channels/${id}/test`, "POST"));
    expect(body.outcome.ok).toBe(true);
    expect(JSON.parse((await received(hook))[0]!.body).markdown.content).toContain("### 目標助手：測試訊息");
  });

  it("lists the log newest first, with a limit", async () => {
    const { id } = await create("ada", { kind: "slack", name: "Busy", config: { url: newHook("slack").url } });
    const t0 = Date.UTC(2026, 10, 24, 8);
    for (let i = 0; i < 3; i++) await api(`/v1/channels/${id}/test`, { method: "POST", token: f.token("ada"), now: t0 + i * 60_000 });
    const all = (await json(await call("ada", `/v1/channels/${id}/deliveries`))).deliveries;
    expect(all.map((d: { createdAt: string }) => d.createdAt)).toEqual([2, 1, 0].map((i) => new Date(t0 + i * 60_000).toISOString()));
    expect((await json(await call("ada", `/v1/channels/${id}/deliveries?limit=2`))).deliveries).toHaveLength(2);
  });
});
