/**
 * User journey 5 (issue 9): bad input at every edge gets a clear message in the UI, and nothing is lost.
 *
 * Real stack: Chromium with the built extension (two browsers: a rep's in en-US and a colleague's in zh-CN), the worker
 * on local workerd with an empty, migrated D1 behind the edge proxy (server clock Tuesday 2 March 2027, Shanghai), a
 * plain web page that is no HUD server, and the saved Gmail page served under its real hostname.
 *
 * - A malformed or wrong server address: the form says what is wrong; no request is sent for a malformed one; the pairing
 *   code is not used up by the failed attempts and pairs afterwards.
 * - Pairing codes: mistyped, unknown, expired (the server's clock moves past its 10 minutes), already used (by another
 *   browser) — each refused with the same clear sentence, in the browser's language; nothing is stored.
 * - A revoked device token: the popup says the device was unpaired on the server; the clicks made meanwhile wait and
 *   arrive once after the rep pairs again.
 * - A real 429 from the per-token rate limit (300 requests / 10 s): the popup says the server asked to slow down, the
 *   extension waits the Retry-After it was given (a "sync now" click included), then the click arrives once.
 * - A host page that breaks the adapter's selectors (Gmail ships a new layout): the pill falls back to basic mode, says
 *   so, and logging from it still works.
 */
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { Page } from "playwright-core";
import { launchExtension, type ExtensionBrowser } from "../../helpers/browser";
import { startWorker, type WorkerHandle } from "../../helpers/worker";
import { startEdgeProxy, type EdgeProxy } from "../../helpers/edge";
import { OverlayProbe, allowInBrowserSettings } from "../../helpers/overlay";
import { startFixtureServer, FIXTURES_ROOT, type FixtureServer } from "../../fixtures/server";
import { freePort } from "../../../worker/scripts/dev-server";
import { api, clickLog, deviceToken, eventually, openPopup, outboxSize, setUpOrgByApi, shanghai, sql, startPlainPage, text, type ApiOrg } from "./harness";
import { readFileSync } from "node:fs";
import { join } from "node:path";

const GMAIL_THREAD = "https://mail.google.com/mail/u/0/#inbox/FMfcgzQbfLmNxWzkRtPqDsVhJcBnGkTw";
const POST_ACTIVITIES = (method: string, path: string) => method === "POST" && path === "/v1/activities";

let worker: WorkerHandle;
let edge: EdgeProxy;
let fixtures: FixtureServer;
let plain: { url: string; close(): Promise<void> };
let org: ApiOrg;
let rep: ExtensionBrowser; // Li Lei, en-US
let colleague: ExtensionBrowser; // Wang Fang, zh-CN
let liId: string;
let wangId: string;

interface Attempt {
  paired: boolean;
  /** Which message showed: the address field's, or the form's (with its code). */
  where: "server-url-error" | "pair-error" | null;
  code: string | null;
  message: string;
}

/** Fills the options form and presses Pair, like a user; reports what the page then says. */
async function attemptPair(options: Page, serverUrl: string, code: string): Promise<Attempt> {
  await options.getByTestId("server-url").fill(serverUrl);
  await options.getByTestId("pairing-code").fill(code);
  await options.getByTestId("pair-button").click();
  await options.locator('[data-testid="paired-user"], [data-testid="pair-error"], [data-testid="server-url-error"]').first().waitFor();
  if ((await options.getByTestId("paired-user").count()) > 0) return { paired: true, where: null, code: null, message: await text(options, "paired-user") };
  const where = (await options.getByTestId("server-url-error").count()) > 0 ? "server-url-error" : "pair-error";
  return { paired: false, where, code: await options.getByTestId(where).getAttribute("data-code"), message: await text(options, where) };
}

async function storedToken(browser: ExtensionBrowser): Promise<string | null> {
  const { settings } = await browser.storage<{ settings?: { token?: string | null } }>("settings");
  return settings?.token ?? null;
}

async function codeRow(code: string): Promise<{ used: boolean } | undefined> {
  // Codes are stored hashed; find this user's codes and compare by the hash the server uses (SHA-256 hex).
  const hash = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(code)).then((d) => Buffer.from(d).toString("hex"));
  const [row] = await worker.query<{ used_at: number | null }>(`SELECT used_at FROM pairing_codes WHERE code_hash = ${sql(hash)}`);
  return row ? { used: row.used_at !== null } : undefined;
}

async function touches(userId: string): Promise<number> {
  const [row] = await worker.query<{ n: number }>(`SELECT count(*) AS n FROM activities WHERE user_id = ${sql(userId)} AND kind = 'touch' AND deleted_at IS NULL`);
  return row!.n;
}

beforeAll(async () => {
  worker = await startWorker();
  edge = await startEdgeProxy(worker.url, { clock: shanghai("2027-03-02", 10) });
  fixtures = await startFixtureServer();
  plain = await startPlainPage();
  org = await setUpOrgByApi(edge.url, worker.persistTo, edge.now(), { id: "org_bad_input", name: "Huaxin Edge Cases", admin: "Zhou Min" });
  liId = await org.addRep("Li Lei", "junior");
  wangId = await org.addRep("Wang Fang", "mid");
  rep = await launchExtension({ locale: "en-US", args: fixtures.browserArgs() });
  colleague = await launchExtension({ locale: "zh-CN" });
});

afterAll(async () => {
  for (const browser of [rep, colleague]) await browser?.close().catch(() => undefined);
  await plain?.close();
  await fixtures?.close();
  await edge?.close();
  await worker?.dispose();
});

describe("journey 5: bad input at the edges — a clear message, nothing lost", () => {
  test("malformed and wrong server addresses: the form says what is wrong; the code survives and pairs afterwards", async () => {
    const code = await org.code(liId);
    const options = await rep.open("options.html");
    const requestsBefore = edge.log.length;

    for (const address of ["hud.huaxin.example", "ftp://hud.huaxin.example", "https://li:secret@hud.huaxin.example", `${edge.url}/?token=1`]) {
      const attempt = await attemptPair(options, address, code);
      expect(attempt, address).toEqual({
        paired: false,
        where: "server-url-error",
        code: null,
        message: "Enter the server's full address, e.g. https://hud.example.com",
      });
      expect(await options.getByTestId("server-url").getAttribute("aria-invalid")).toBe("true");
    }
    expect(edge.log.length).toBe(requestsBefore); // nothing was sent for a malformed address

    // Well-formed, but no HUD server there: a port nobody listens on, then a web page (which, without the HUD's CORS
    // answer, Chromium does not let the extension read at all — to the extension it is as unreachable).
    for (const address of [`http://127.0.0.1:${await freePort()}`, new URL(plain.url).origin]) {
      expect(await attemptPair(options, address, code)).toEqual({
        paired: false,
        where: "pair-error",
        code: "network",
        message: `Can't reach ${address}. Check the address and that the server is running.`,
      });
    }

    expect(await storedToken(rep)).toBeNull();
    expect(await codeRow(code)).toEqual({ used: false });
    expect(await attemptPair(options, edge.url, code)).toMatchObject({ paired: true, message: "Li Lei" });
    expect(await codeRow(code)).toEqual({ used: true });
    await options.close();
  });

  test("pairing codes: mistyped, unknown, expired, already used — one clear sentence (zh-CN), nothing stored", async () => {
    const options = await colleague.open("options.html");
    const tokensBefore = await worker.query<{ n: number }>(`SELECT count(*) AS n FROM device_tokens WHERE user_id = ${sql(wangId)}`);
    expect(await storedToken(colleague)).toBeNull();

    const typo = await attemptPair(options, edge.url, "ABC1");
    expect(typo).toMatchObject({ paired: false, where: "pair-error", code: "invalid_pairing_code" });
    expect(typo.message).toBe("配对码为 8 位字母和数字（不含 0、O、1、I、L）。");

    const refused = { paired: false, where: "pair-error", code: "pairing_code_invalid", message: "配对码错误、已过期或已被使用。请索取新的配对码。" };
    expect(await attemptPair(options, edge.url, "ABCD2345")).toEqual(refused);

    // Expired: made now, tried 11 minutes later on the server's clock.
    const stale = await org.code(wangId);
    edge.setClock(edge.now() + 11 * 60_000);
    expect(await attemptPair(options, edge.url, stale)).toEqual(refused);
    expect(await codeRow(stale)).toEqual({ used: false });

    // Already used: Wang Fang's code, first used by her phone (any client of the API), then typed into this browser.
    const reused = await org.code(wangId);
    expect((await api(edge.url, null, "POST", "/v1/pair", { code: reused, deviceLabel: "Wang Fang's phone" })).status).toBe(200);
    expect(await attemptPair(options, edge.url, reused)).toEqual(refused);

    expect(await storedToken(colleague)).toBeNull();
    const tokensAfter = await worker.query<{ n: number }>(`SELECT count(*) AS n FROM device_tokens WHERE user_id = ${sql(wangId)}`);
    expect(tokensAfter[0]!.n).toBe(tokensBefore[0]!.n + 1); // the phone's, nothing from this browser's attempts
    // A fresh code still pairs this browser: nothing was left half-done.
    expect(await attemptPair(options, edge.url, await org.code(wangId))).toMatchObject({ paired: true, message: "Wang Fang" });
    await options.close();
  });

  test("a revoked device token: the popup says so, clicks wait, and arrive once after pairing again", async () => {
    const before = await touches(liId);
    const { body } = await api<{ tokens: { id: string; revokedAt: string | null }[] }>(edge.url, org.adminToken, "GET", `/v1/tokens?userId=${liId}`);
    const live = body.tokens.filter((t) => t.revokedAt === null);
    expect(live).toHaveLength(1);
    expect((await api(edge.url, org.adminToken, "DELETE", `/v1/tokens/${live[0]!.id}`)).status).toBe(204);

    const popup = await rep.open("popup.html");
    await popup.getByTestId("count-touch").waitFor();
    await clickLog(popup, "touch", 2);
    await eventually(async () => (await popup.getByTestId("sync-error").getAttribute("data-code")) ?? "", "unauthorized");
    expect(await text(popup, "sync-error")).toBe("This device was unpaired on the server. Pair it again in Settings.");
    expect(await text(popup, "pending-count")).toBe("2");
    expect(await touches(liId)).toBe(before);
    await popup.close();

    // Settings: unpair the dead pairing (the clicks stay on the device, and it says so), pair with a new code.
    const options = await rep.open("options.html");
    await options.getByTestId("unpair-button").click();
    await options.getByTestId("pair-form").waitFor();
    expect(await outboxSize(rep)).toBe(2);
    expect(await attemptPair(options, edge.url, await org.code(liId))).toMatchObject({ paired: true, message: "Li Lei" });
    await eventually(() => touches(liId), before + 2);
    await eventually(() => outboxSize(rep), 0);
    await options.close();
    const again = await openPopup(rep);
    // The progress refresh that follows the flush clears the last failure (it may land just after the outbox empties).
    await eventually(() => again.getByTestId("sync-error").count(), 0);
    await again.close();
  });

  test("a real 429 from the per-token rate limit: 'slow down' in the popup, Retry-After respected, then the click arrives once", async () => {
    const popup = await openPopup(rep);
    const before = await touches(liId);
    const token = await deviceToken(rep);
    // The limiter counts in fixed 10-second windows: start right after one begins, spend its 300 requests at once (the
    // rep's own token, as a runaway script on their machine would). A slow machine that misses the window tries again.
    const me = () => fetch(`${worker.url}/v1/me`, { headers: { authorization: `Bearer ${token}` } });
    let limited: Response | undefined;
    for (let attempt = 0; attempt < 3 && limited?.status !== 429; attempt++) {
      while (Date.now() % 10_000 > 500) await new Promise((r) => setTimeout(r, 50));
      const statuses: number[] = [];
      for (let i = 0; i < 10; i++) statuses.push(...(await Promise.all(Array.from({ length: 30 }, () => me().then((r) => r.status)))));
      expect(statuses.filter((s) => s === 200)).toHaveLength(300);
      limited = await me();
    }
    expect([limited!.status, limited!.headers.get("retry-after")]).toEqual([429, "10"]);

    const postsBefore = edge.log.filter((e) => POST_ACTIVITIES(e.method, e.path)).length;
    await clickLog(popup, "touch", 1);
    await eventually(async () => (await popup.getByTestId("sync-error").getAttribute("data-code")) ?? "", "rate_limited");
    expect(await text(popup, "sync-error")).toBe(
      "The server asked this device to slow down (too many requests). Your clicks are saved and will be sent automatically within a minute.",
    );
    expect(await text(popup, "pending-count")).toBe("1");
    const posts = () => edge.log.filter((e) => POST_ACTIVITIES(e.method, e.path));
    expect(posts().slice(postsBefore).map((e) => e.upstream)).toEqual([[429]]);

    // "Sync now" while the server's Retry-After runs sends nothing (another try would only earn another 429).
    const { syncStatus } = await rep.storage<{ syncStatus: { holdUntil: number } }>("syncStatus");
    expect(syncStatus.holdUntil - Date.now()).toBeGreaterThan(5_000);
    await popup.getByTestId("sync-now").click();
    await popup.waitForTimeout(500);
    expect(posts().length).toBe(postsBefore + 1);
    expect(await text(popup, "pending-count")).toBe("1");

    // Once it has passed, the click goes through, once.
    while (Date.now() < syncStatus.holdUntil + 200) await new Promise((r) => setTimeout(r, 100));
    await popup.getByTestId("sync-now").click();
    await eventually(() => text(popup, "pending-count"), "0");
    expect(await touches(liId)).toBe(before + 1);
    await eventually(async () => popup.getByTestId("sync-error").count(), 0);
    await popup.close();
  });

  test("a host page that breaks the Gmail adapter's selectors: the pill runs in basic mode, says so, and logs", async () => {
    // Gmail ships a new layout: the `role="main"` the adapter anchors on is gone.
    const saved = readFileSync(join(FIXTURES_ROOT, "gmail/2026-11-23-thread.html"), "utf8");
    const redesigned = saved.replaceAll('role="main"', 'role="presentation"');
    expect(redesigned).not.toBe(saved);
    fixtures.serve("https://mail.google.com/mail/u/0/", { html: redesigned });
    // Li Lei turns the overlay on for Gmail (the browser's site access first, as the user grants it).
    await allowInBrowserSettings(rep, ["https://mail.google.com/*"]);
    const options = await rep.open("options.html");
    await options.getByTestId("site-toggle-gmail").click();
    await expect.poll(() => options.getByTestId("site-gmail").getAttribute("data-on")).toBe("true");
    await options.close();

    const before = await touches(liId);
    const page = await rep.context.newPage();
    const errors: string[] = [];
    page.on("pageerror", (error) => errors.push(error.message));
    await page.goto(GMAIL_THREAD);
    const overlay = await OverlayProbe.attach(page);
    await eventually(() => overlay.attr("[data-testid=overlay]", "data-site"), "generic");
    expect(await overlay.attr("[data-testid=overlay-basic]", "data-product")).toBe("gmail");
    expect(await overlay.text("[data-testid=overlay-basic]")).toBe(
      "Basic mode: this Gmail page is not recognised (still loading, or its layout changed). Touches still log.",
    );
    expect(await overlay.buttons()).toEqual(["touch"]);
    await overlay.click("[data-testid=overlay-log-touch]");
    await eventually(() => touches(liId), before + 1);
    await eventually(() => outboxSize(rep), 0);
    expect(errors).toEqual([]);
    await overlay.detach();
    await page.close();
  });
});
