/**
 * The page overlay end to end, on the real stack: Chromium with the built extension, the worker in local workerd with a
 * seeded D1, and the saved host pages (test/fixtures/) served under their real hostnames (mail.google.com,
 * huaxin.lightning.force.com, …) by a local HTTPS server that `--host-resolver-rules` points them to.
 *
 * Enabling a site: the extension asks with `permissions.request` from the options page. Chromium's permission prompt
 * cannot be clicked in a headless browser, so the test first allows the site the way a user can in the browser's own
 * extension settings (chrome://extensions → site access, via its `developerPrivate` API); the options page's request
 * then succeeds without a prompt, exactly as after the user accepted it, and everything after that is the product:
 * permissions.onAdded → registerContentScripts → detector → overlay UI injected on a match.
 *
 * The overlay lives in a closed shadow root (pages cannot read it); the test reads it through the DevTools protocol
 * (DOM.getDocument with `pierce`) and clicks it with real mouse events at the element's position.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { Page } from "playwright-core";
import { launchExtension, screenshot, type ExtensionBrowser } from "../helpers/browser";
import { startWorker, type WorkerHandle } from "../helpers/worker";
import { OverlayProbe, allowInBrowserSettings as allowSites, registeredMatches as registered } from "../helpers/overlay";
import { FIXTURES_ROOT, startFixtureServer, type FixtureServer } from "../fixtures/server";
import { eventually } from "../helpers/wait";

const REP = "Chen Jing";
const GMAIL = "https://mail.google.com/*";
const SALESFORCE = "https://*.lightning.force.com/*";
const GMAIL_THREAD = "https://mail.google.com/mail/u/0/#inbox/FMfcgzQbfLmNxWzkRtPqDsVhJcBnGkTw";
const GMAIL_INBOX = "https://mail.google.com/mail/u/1/#inbox";
const GMAIL_LOADING = "https://mail.google.com/mail/u/2/#inbox";
const SF_OPPORTUNITY = "https://huaxin.lightning.force.com/lightning/r/Opportunity/006Hs00001XyZabIAF/view";
const SF_LIST = "https://huaxin.lightning.force.com/lightning/o/Opportunity/list?filterName=Recent";
/** Not enabled: the same HTML without the overlay, for layout comparisons. */
const REFERENCE = "https://reference.huaxin-tech.example/__fixture";

let worker: WorkerHandle;
let fixtures: FixtureServer;
let browser: ExtensionBrowser;
let rep: { id: string; name: string };

const fixtureHtml = (name: string) => readFileSync(join(FIXTURES_ROOT, name), "utf8");
const sql = (value: string) => `'${value.replace(/'/g, "''")}'`;

// --- helpers -------------------------------------------------------------------------------------------------------
const allowInBrowserSettings = (patterns: string[]) => allowSites(browser, patterns);
const registeredMatches = () => registered(browser);

/** Opens a host page with a layout-shift recorder and a keydown counter (the host's own "shortcuts") in its main world. */
async function openHost(url: string): Promise<{ page: Page; overlay: OverlayProbe; requests: string[]; errors: string[] }> {
  const page = await browser.context.newPage();
  const requests: string[] = [];
  const errors: string[] = [];
  page.on("request", (request) => requests.push(request.url()));
  page.on("pageerror", (error) => errors.push(error.message));
  await page.addInitScript(() => {
    const w = window as unknown as { __shifts: number[]; __keys: string[] };
    w.__shifts = [];
    w.__keys = [];
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) w.__shifts.push((entry as unknown as { value: number }).value);
    }).observe({ type: "layout-shift", buffered: true });
    document.addEventListener("keydown", (event) => w.__keys.push(event.key));
  });
  await page.goto(url);
  return { page, overlay: await OverlayProbe.attach(page), requests, errors };
}

async function hostBoxes(page: Page): Promise<Record<string, number[]>> {
  return page.evaluate(() => {
    const out: Record<string, number[]> = {};
    for (const el of Array.from(document.querySelectorAll("[data-testid^='host-'], body, h1, h2, table, tr"))) {
      const r = el.getBoundingClientRect();
      const key = `${el.tagName}:${el.getAttribute("data-testid") ?? ""}:${Object.keys(out).length}`;
      out[key] = [r.x, r.y, r.width, r.height].map((v) => Math.round(v * 100) / 100);
    }
    out["scroll"] = [document.documentElement.scrollWidth, document.documentElement.scrollHeight];
    return out;
  });
}

async function overlayRows(kind?: string): Promise<{ client_event_id: string; kind: string; customer: string | null; n: number }[]> {
  return worker.query(
    `SELECT client_event_id, kind, customer, count(*) AS n FROM activities WHERE user_id = ${sql(rep.id)} AND source = 'overlay' AND deleted_at IS NULL ${
      kind ? `AND kind = ${sql(kind)}` : ""
    } GROUP BY client_event_id, kind, customer ORDER BY min(created_at)`,
  );
}

async function outboxSize(): Promise<number> {
  const stored = await browser.storage<Record<string, unknown>>(null);
  return Object.keys(stored).filter((key) => key.startsWith("outbox:")).length;
}

// --- the run ---------------------------------------------------------------------------------------------------------
beforeAll(async () => {
  worker = await startWorker();
  const seeded = await worker.seed();
  rep = seeded.reps.find((r) => r.name === REP)!;
  fixtures = await startFixtureServer(["reference.huaxin-tech.example"]);
  fixtures.serve("https://mail.google.com/mail/u/0/", "gmail/2026-11-23-thread.html");
  fixtures.serve("https://mail.google.com/mail/u/1/", "gmail/2026-11-23-inbox.html");
  fixtures.serve("https://mail.google.com/mail/u/2/", "gmail/2026-11-23-loading.html");
  browser = await launchExtension({ args: fixtures.browserArgs() });

  const options = await browser.open("options.html");
  await options.getByTestId("server-url").fill(worker.url);
  await options.getByTestId("pairing-code").fill(seeded.codes[REP]!);
  await options.getByTestId("pair-button").click();
  await options.getByTestId("paired-user").waitFor();
  await options.close();
});

afterAll(async () => {
  await browser?.close();
  await fixtures?.close();
  await worker?.dispose();
});

describe("page overlay on enabled sites", () => {
  test("nothing is injected before a site is enabled; the manifest asks for no host at install", async () => {
    const sw = await browser.serviceWorker();
    const manifest = await sw.evaluate(() => (globalThis as unknown as { chrome: { runtime: { getManifest(): Record<string, unknown> } } }).chrome.runtime.getManifest());
    expect(manifest.host_permissions ?? []).toEqual([]);
    expect(JSON.stringify(manifest.permissions)).not.toMatch(/<all_urls>|:\/\//);
    expect(manifest.permissions).toEqual(expect.arrayContaining(["scripting"]));
    expect(manifest.content_scripts ?? []).toEqual([]);
    expect(await registeredMatches()).toEqual([]);

    const { page, overlay } = await openHost(GMAIL_THREAD);
    await page.waitForTimeout(800);
    expect(await overlay.hosts()).toBe(0);
    await page.close();
  });

  test("options: turning Gmail and Salesforce on registers the content script for exactly those sites", async () => {
    await allowInBrowserSettings([GMAIL, SALESFORCE]);
    const options = await browser.open("options.html");
    await options.getByTestId("sites").waitFor();
    expect(await options.getByTestId("site-gmail").getAttribute("data-on")).toBe("false");

    await options.getByTestId("site-toggle-gmail").click();
    await expect.poll(() => options.getByTestId("site-gmail").getAttribute("data-on")).toBe("true");
    await options.getByTestId("site-toggle-salesforce").click();
    await expect.poll(() => options.getByTestId("site-salesforce").getAttribute("data-on")).toBe("true");
    expect(await options.getByTestId("site-hubspot").getAttribute("data-on")).toBe("false");
    await eventually(registeredMatches, [SALESFORCE, GMAIL].sort());
    await screenshot(options, "options-sites", "[data-testid=sites]");
    await options.close();
  });

  test("Gmail thread: touch + need buttons, the customer from the other side's domain; no layout change, no request", async () => {
    const reference = await browser.context.newPage();
    await reference.goto(`${REFERENCE}/gmail/2026-11-23-thread.html`);
    const before = await hostBoxes(reference);
    await reference.close();

    const { page, overlay, requests, errors } = await openHost(GMAIL_THREAD);
    await eventually(() => overlay.attr("[data-testid=overlay]", "data-kind"), "email_thread");
    expect(await overlay.attr("[data-testid=overlay]", "data-site")).toBe("gmail");
    expect(await overlay.buttons()).toEqual(["touch", "needs_confirmed"]);
    expect(await overlay.text("[data-testid=overlay-label]")).toBe("Lumen Logistics");
    expect(await overlay.text("[data-testid=overlay-progress]")).toMatch(/^\d+%$|^–$/);
    expect(await overlay.text("[data-testid=overlay-count-touch]")).toMatch(/^\d+\/\d+$/);

    // The host's layout is exactly that of the same page without the extension; nothing shifted.
    expect(await hostBoxes(page)).toEqual(before);
    expect(await page.evaluate(() => (window as unknown as { __shifts: number[] }).__shifts)).toEqual([]);
    // The pill is fixed in the viewport, inside the window.
    const pill = await overlay.box("[data-testid=overlay]");
    expect(pill.x).toBeGreaterThanOrEqual(0);
    expect(pill.y + pill.height).toBeLessThanOrEqual(700);
    // The only request of this page is its document: the overlay's code and data never touch the network here.
    expect(requests.filter((url) => !url.endsWith("/favicon.ico"))).toEqual([GMAIL_THREAD.split("#")[0]]);
    expect(errors).toEqual([]);
    // Code in the page's extension world cannot read extension storage (where the device token is).
    expect(await overlay.inContentWorld("chrome.storage.local.get(null).then(() => 'read', (e) => e.message)")).toMatch(/not allowed/i);
    expect(await overlay.inContentWorld("typeof chrome.runtime.sendMessage")).toBe("function");
    await page.close();
  });

  test("logging from the overlay: optimistic, lands in D1 exactly once (with the label only when attached), badge follows the outbox", async () => {
    const { page, overlay } = await openHost(GMAIL_THREAD);
    await eventually(() => overlay.exists("[data-testid=overlay-log-touch]"), true);
    await eventually(async () => (await overlayRows()).length, 0);
    const before = Number((await overlay.text("[data-testid=overlay-count-touch]"))!.split("/")[0]);

    await overlay.click("[data-testid=overlay-attach]");
    await overlay.click("[data-testid=overlay-log-touch]");
    expect(await overlay.attr("[data-testid=overlay-toast]", "data-phase")).toBe("saved");
    await eventually(async () => Number((await overlay.text("[data-testid=overlay-count-touch]"))!.split("/")[0]), before + 1, 2_000);
    await eventually(async () => (await overlayRows()).map((r) => [r.kind, r.customer, r.n]), [["touch", "Lumen Logistics", 1]]);
    await eventually(outboxSize, 0);
    await screenshot(page, "overlay-gmail");

    // Offline: the click waits in the outbox and the badge says so; back online, the next click sends both, once each.
    await worker.stop();
    await overlay.click("[data-testid=overlay-attach]"); // un-attach: the next events carry no label
    await overlay.click("[data-testid=overlay-log-touch]");
    await eventually(async () => (await browser.badge()).text.endsWith("•"), true);
    await eventually(outboxSize, 1);
    await worker.start();
    await overlay.click("[data-testid=overlay-log-needs_confirmed]");
    await eventually(outboxSize, 0, 30_000);
    await eventually(async () => (await browser.badge()).text.endsWith("•"), false);
    // The two queued events arrive in one batch (same created_at), so compare them as a set.
    const rows = (await overlayRows()).map((r) => [r.kind, r.customer ?? "", r.n]).sort((a, b) => String(a).localeCompare(String(b)));
    expect(rows).toEqual([
      ["needs_confirmed", "", 1],
      ["touch", "", 1],
      ["touch", "Lumen Logistics", 1],
    ]);

    // Undo right after a click: the event is gone whether or not it had left the device.
    await overlay.click("[data-testid=overlay-log-needs_confirmed]");
    await overlay.click("[data-testid=overlay-undo]");
    await eventually(() => overlay.attr("[data-testid=overlay-toast]", "data-phase"), "undone");
    await eventually(outboxSize, 0);
    await page.waitForTimeout(500);
    expect((await overlayRows("needs_confirmed")).length).toBe(1);
    await page.close();
  });

  test("Salesforce opportunity: proposal / quote / demo, the active record's account (not a cached page's)", async () => {
    const reference = await browser.context.newPage();
    await reference.goto(`${REFERENCE}/salesforce/2026-11-23-opportunity.html`);
    const before = await hostBoxes(reference);
    await reference.close();

    const { page, overlay, errors } = await openHost(SF_OPPORTUNITY);
    await eventually(() => overlay.attr("[data-testid=overlay]", "data-kind"), "deal");
    expect(await overlay.buttons()).toEqual(["proposal_sent", "quote", "demo_or_visit"]);
    expect(await overlay.text("[data-testid=overlay-label]")).toBe("Lumen Logistics");
    expect(await hostBoxes(page)).toEqual(before);
    expect(await page.evaluate(() => (window as unknown as { __shifts: number[] }).__shifts)).toEqual([]);
    // Default mount point: bottom-right, above Salesforce's utility bar (40 px).
    const pill = await overlay.box("[data-testid=overlay]");
    expect(700 - (pill.y + pill.height)).toBeGreaterThanOrEqual(40);

    await overlay.click("[data-testid=overlay-log-proposal_sent]");
    await eventually(async () => (await overlayRows("proposal_sent")).length, 1);
    await screenshot(page, "overlay-salesforce");
    expect(errors).toEqual([]);
    await page.close();
  });

  test("single-page navigation re-detects: Gmail list → thread (hash), Salesforce list → record (pushState)", async () => {
    const gmail = await openHost(GMAIL_INBOX);
    await eventually(() => gmail.overlay.attr("[data-testid=overlay]", "data-kind"), "list");
    expect(await gmail.overlay.buttons()).toEqual(["touch"]);
    expect(await gmail.overlay.exists("[data-testid=overlay-label]")).toBe(false);
    await gmail.page.evaluate((html) => {
      const thread = new DOMParser().parseFromString(html, "text/html");
      document.title = thread.title;
      location.hash = "#inbox/FMfcgzQbfLmNxWzkRtPqDsVhJcBnGkTw";
      setTimeout(() => document.querySelector("[role=main]")!.replaceWith(document.importNode(thread.querySelector("[role=main]")!, true)), 150);
    }, fixtureHtml("gmail/2026-11-23-thread.html"));
    await eventually(() => gmail.overlay.attr("[data-testid=overlay]", "data-kind"), "email_thread");
    expect(await gmail.overlay.text("[data-testid=overlay-label]")).toBe("Lumen Logistics");
    expect(await gmail.overlay.hosts()).toBe(1);
    await gmail.page.close();

    const sf = await openHost(SF_LIST);
    await eventually(() => sf.overlay.attr("[data-testid=overlay]", "data-kind"), "list");
    await sf.page.evaluate((html) => {
      const record = new DOMParser().parseFromString(html, "text/html");
      history.pushState({}, "", "/lightning/r/Opportunity/006Hs00001XyZabIAF/view");
      setTimeout(() => document.querySelector(".oneCenterStage")!.replaceWith(document.importNode(record.querySelector(".oneCenterStage")!, true)), 200);
    }, fixtureHtml("salesforce/2026-11-23-opportunity.html"));
    await eventually(() => sf.overlay.attr("[data-testid=overlay]", "data-kind"), "deal");
    expect(await sf.overlay.buttons()).toEqual(["proposal_sent", "quote", "demo_or_visit"]);
    expect(sf.errors).toEqual([]);
    await sf.page.close();
  });

  test("a page the adapter does not recognise falls back to the generic pill, then upgrades when the app renders", async () => {
    const { page, overlay, errors } = await openHost(GMAIL_LOADING);
    await eventually(() => overlay.attr("[data-testid=overlay]", "data-site"), "generic");
    expect(await overlay.attr("[data-testid=overlay]", "data-kind")).toBe("other");
    expect(await overlay.buttons()).toEqual(["touch"]);
    expect(await overlay.exists("[data-testid=overlay-label]")).toBe(false);
    expect(await overlay.attr("[data-testid=overlay-basic]", "data-product")).toBe("gmail");

    await page.evaluate((html) => {
      const inbox = new DOMParser().parseFromString(html, "text/html");
      document.head.append(...Array.from(inbox.head.querySelectorAll("style"), (s) => document.importNode(s, true)));
      document.getElementById("loading")!.replaceWith(...Array.from(inbox.body.children, (el) => document.importNode(el, true)));
    }, fixtureHtml("gmail/2026-11-23-inbox.html"));
    await eventually(() => overlay.attr("[data-testid=overlay]", "data-site"), "gmail");
    expect(await overlay.attr("[data-testid=overlay]", "data-kind")).toBe("list");
    expect(await overlay.exists("[data-testid=overlay-basic]")).toBe(false);
    expect(errors).toEqual([]);
    await page.close();
  });

  test("drag, collapse and Escape stay inside the pill, are remembered per site; the page still gets its keys", async () => {
    const { page, overlay } = await openHost(GMAIL_THREAD);
    await eventually(() => overlay.exists("[data-testid=overlay-log-touch]"), true);
    expect(await overlay.attr("[data-testid=overlay]", "data-corner")).toBe("bottom-left");

    const head = await overlay.box(".head");
    await page.mouse.move(head.x + 8, head.y + head.height / 2);
    await page.mouse.down();
    await page.mouse.move(500, 200, { steps: 6 });
    await page.mouse.move(700, 90, { steps: 6 });
    await page.mouse.up();
    expect(await overlay.attr("[data-testid=overlay]", "data-corner")).toBe("top-right");
    const dropped = await overlay.box("[data-testid=overlay]");

    // Keys typed inside the pill still reach the host page (its shortcuts keep working); Escape collapses the pill.
    await overlay.focus("[data-testid=overlay-log-touch]");
    await page.keyboard.press("j");
    await page.keyboard.press("Escape");
    expect(await page.evaluate(() => (window as unknown as { __keys: string[] }).__keys)).toEqual(["j", "Escape"]);
    await eventually(() => overlay.attr("[data-testid=overlay-toggle]", "aria-expanded"), "false");
    // Escape on the page itself is the page's business.
    await overlay.click("[data-testid=overlay-toggle]");
    await page.mouse.click(400, 400);
    await page.keyboard.press("Escape");
    expect(await overlay.attr("[data-testid=overlay-toggle]", "aria-expanded")).toBe("true");
    await overlay.click("[data-testid=overlay-toggle]");
    await eventually(() => overlay.attr("[data-testid=overlay-toggle]", "aria-expanded"), "false");
    await page.close();

    // Another Gmail page: same place, still collapsed. Salesforce keeps its own default.
    const again = await openHost(GMAIL_INBOX);
    await eventually(() => again.overlay.attr("[data-testid=overlay-toggle]", "aria-expanded"), "false");
    expect(await again.overlay.attr("[data-testid=overlay]", "data-corner")).toBe("top-right");
    const restored = await again.overlay.box("[data-testid=overlay]");
    expect(Math.abs(restored.x + restored.width - (dropped.x + dropped.width))).toBeLessThanOrEqual(1);
    expect(Math.abs(restored.y - dropped.y)).toBeLessThanOrEqual(1);
    await screenshot(again.page, "overlay-gmail-collapsed");
    await again.overlay.click("[data-testid=overlay-toggle]");
    await eventually(() => again.overlay.attr("[data-testid=overlay-toggle]", "aria-expanded"), "true");
    await again.page.close();

    const sf = await openHost(SF_OPPORTUNITY);
    await eventually(() => sf.overlay.attr("[data-testid=overlay]", "data-corner"), "bottom-right");
    await sf.page.close();
  });

  test("the rep's own Roundcube (an other site): the preview frame is read; the pill follows language and privacy live", async () => {
    const ROUNDCUBE = "https://mail.huaxin-tech.example/*";
    await allowInBrowserSettings([ROUNDCUBE]);
    const options = await browser.open("options.html");
    await options.getByTestId("site-address").fill("mail.huaxin-tech.example");
    await options.getByTestId("site-add").click();
    await options.locator(`[data-testid=site-other][data-pattern="${ROUNDCUBE}"]`).waitFor();
    await eventually(registeredMatches, [SALESFORCE, GMAIL, ROUNDCUBE].sort());

    const preview = "https://mail.huaxin-tech.example/?_task=mail&_action=preview&_uid=4521&_mbox=INBOX&_framed=1";
    fixtures.serve(preview, "roundcube/2026-11-23-preview.html");
    const { page, overlay, errors } = await openHost("https://mail.huaxin-tech.example/?_task=mail&_mbox=INBOX");
    await eventually(() => overlay.attr("[data-testid=overlay]", "data-kind"), "list");
    expect(await overlay.attr("[data-testid=overlay]", "data-site")).toBe("roundcube");
    // Selecting a message loads it in the same-origin preview frame; the URL of the page does not change.
    await page.evaluate((src) => ((document.getElementById("messagecontframe") as HTMLIFrameElement).src = src), preview);
    await eventually(() => overlay.attr("[data-testid=overlay]", "data-kind"), "email_thread");
    expect(await overlay.text("[data-testid=overlay-label]")).toBe("Crane Energy");

    await options.getByTestId("language").selectOption("zh-CN");
    await eventually(() => overlay.text("[data-testid=overlay-log-touch] .label"), "+ 触达");
    await options.getByTestId("labels-never").check();
    await eventually(() => overlay.exists("[data-testid=overlay-label]"), false);
    await screenshot(page, "overlay-roundcube-zh-CN");
    await options.getByTestId("labels-ask").check();
    await options.getByTestId("language").selectOption("auto");
    await eventually(() => overlay.text("[data-testid=overlay-log-touch] .label"), "+ Touch");
    expect(errors).toEqual([]);
    await options.close();
    await page.close();
  });

  test("turning Gmail off removes the overlay from open Gmail tabs and from new ones; Salesforce stays", async () => {
    const open = await openHost(GMAIL_THREAD);
    await eventually(() => open.overlay.hosts(), 1);
    const sf = await openHost(SF_OPPORTUNITY);
    await eventually(() => sf.overlay.hosts(), 1);

    const options = await browser.open("options.html");
    await options.getByTestId("site-toggle-gmail").click();
    await expect.poll(() => options.getByTestId("site-gmail").getAttribute("data-on")).toBe("false");
    await eventually(registeredMatches, [SALESFORCE, "https://mail.huaxin-tech.example/*"].sort());
    await options.close();

    await eventually(() => open.overlay.hosts(), 0);
    expect(await hostBoxes(open.page)).toEqual(await (async () => {
      const reference = await browser.context.newPage();
      await reference.goto(`${REFERENCE}/gmail/2026-11-23-thread.html`);
      const boxes = await hostBoxes(reference);
      await reference.close();
      return boxes;
    })());
    await open.page.reload();
    await open.page.waitForTimeout(1_000);
    expect(await open.overlay.hosts()).toBe(0);
    expect(await sf.overlay.hosts()).toBe(1);
    expect(open.errors).toEqual([]);
    await open.page.close();
    await sf.page.close();
  });
});
