/**
 * Issue 7's "Log as …" context menu, end to end, through the browser's NATIVE menu: the built extension in headed
 * Debian Chromium on a virtual X display (Xvfb), the real worker (wrangler dev, local D1), a page served on 127.0.0.1.
 *
 * Every step is real X input (xdotool → XTEST): the pointer is moved onto the page's element and right-clicked, the
 * menu that Chromium opens is driven with the keyboard ("l" opens "Log as …", the kind's initial letter picks the
 * item — Chromium's menus select an item by its first letter and activate it when it is the only match). Then the row
 * is in D1 exactly once with source `context_menu` and the picked kind, the badge flashes `+1` (README: 1.5 s) and
 * returns to its headline, and the request the background sent carries nothing from the page (no URL, link,
 * selection). "Won deal" opens the toolbar popup on its amount form (read through the DevTools protocol, as Playwright
 * does not list it); the amount typed with real keys and Enter store the deal once, as a context-menu click. Offline,
 * the click waits in the outbox (`outbox:<id>`, badge `NN•`) and arrives once when the worker is
 * back and the popup is opened.
 */
import { createServer, type Server } from "node:http";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { Locator, Page } from "playwright-core";
import { launchExtension, type ExtensionBrowser } from "../helpers/browser";
import { startWorker, type WorkerHandle } from "../helpers/worker";
import { eventually } from "../helpers/wait";
import { installRecorder, logFromMenu as logWithMenu, startXvfb, type XDisplay } from "../helpers/xdisplay";
import { PostActivitiesRequest } from "../../shared/schemas/activities";
import { ACTIVITY_KINDS } from "../../shared/domain/kinds";
import { MENU_PARENT_ID, menuItemId } from "../../extension/background/menus";

const REP = "Chen Jing";
const REP_ID = "usr_demo_chen";
const SELECTED = "Renewal terms for ACME Trading";
const LINK_HREF = "/crm/contact/jane-doe?email=jane%40acme.example";

let display: XDisplay;
let worker: WorkerHandle;
let rep: ExtensionBrowser;
let site: Server;
let pageUrl: string;
/** Bodies of every POST /v1/activities the extension's service worker sent. */
const posted: string[] = [];

const sql = (value: string) => `'${value.replace(/'/g, "''")}'`;
// --- app helpers -------------------------------------------------------------------------------------------------

async function menuRows(): Promise<{ client_event_id: string; kind: string; source: string; amount: number | null; customer: string | null }[]> {
  return worker.query(
    `SELECT client_event_id, kind, source, amount, customer FROM activities WHERE user_id = ${sql(REP_ID)} AND source = 'context_menu' ORDER BY id`,
  );
}

/** The badge over time: `+1` shows right after the click (for 1.5 s), then the headline (`62%`) again. */
async function expectFlashThenHeadline(headline: RegExp): Promise<void> {
  await eventually(async () => (await rep.badge()).text, "+1", 3_000, 100);
  await eventually(async () => headline.test((await rep.badge()).text), true, 10_000, 200);
}

/** The event as the background sent it: only the four fields a menu click has, nothing read from the page. */
function expectSentWithoutPageData(clientEventId: string, kind: string): void {
  const bodies = posted.filter((body) => body.includes(clientEventId));
  expect(bodies.length).toBeGreaterThan(0);
  for (const body of bodies) {
    const event = PostActivitiesRequest.parse(JSON.parse(body)).events.find((e) => e.clientEventId === clientEventId)!;
    expect(Object.keys(event).sort()).toEqual(["clientEventId", "kind", "occurredAt", "source"]);
    expect(event).toMatchObject({ kind, source: "context_menu" });
    for (const fromPage of [new URL(pageUrl).host, "/deal/42", SELECTED, "ACME", "acme", "jane"]) expect(body).not.toContain(fromPage);
  }
}

/** Menu clicks made so far in this file; each must arrive exactly once. */
let clicks = 0;

async function logFromMenu(page: Page, target: Locator, letter: string) {
  const seen = await logWithMenu(display, page, target, letter);
  clicks++;
  return seen;
}

async function sentByMenu(): Promise<{ clientEventId: string; source: string; status: string }[]> {
  const { sentLog = [] } = await rep.storage<{ sentLog?: { clientEventId: string; source: string; status: string }[] }>("sentLog");
  return sentLog.filter((event) => event.source === "context_menu");
}

/**
 * Waits until the background has delivered every menu click (its sent log, cheap to poll), then checks D1: the
 * context_menu rows are exactly those clicks, once each, and the newest is `kind` with no customer and no amount.
 */
async function delivered(kind: string): Promise<string> {
  await eventually(async () => (await sentByMenu()).length, clicks);
  const sent = await sentByMenu();
  expect(sent.every((event) => event.status === "created")).toBe(true);
  const rows = await menuRows();
  expect(rows.map((r) => r.client_event_id)).toEqual(sent.map((e) => e.clientEventId));
  expect(rows.at(-1)).toMatchObject({ kind, source: "context_menu", customer: null, amount: null });
  return rows.at(-1)!.client_event_id;
}

async function openSite(): Promise<Page> {
  const page = await rep.context.newPage();
  await page.goto(pageUrl);
  await installRecorder(page);
  return page;
}

beforeAll(async () => {
  display = await startXvfb();
  worker = await startWorker();
  const { codes } = await worker.seed();
  rep = await launchExtension({ display: display.name });
  rep.context.on("request", (request) => {
    if (request.method() === "POST" && request.url() === `${worker.url}/v1/activities`) posted.push(request.postData() ?? "");
  });
  site = createServer((_req, res) => {
    res.setHeader("content-type", "text/html; charset=utf-8");
    res.end(
      `<!doctype html><title>Deal: ACME renewal</title><body style="margin:0;font:16px sans-serif">` +
        `<h1 id="title" style="margin:0;padding:40px">Deal: ACME renewal</h1>` +
        `<p id="notes" style="padding:0 40px">${SELECTED}</p>` +
        `<p style="padding:0 40px"><a id="contact" href="${LINK_HREF}">Jane Doe, ACME</a></p>` +
        `<div id="empty" style="height:300px"></div></body>`,
    );
  });
  await new Promise<void>((resolve) => site.listen(0, "127.0.0.1", resolve));
  const address = site.address();
  pageUrl = `http://127.0.0.1:${typeof address === "object" && address ? address.port : 0}/deal/42`;

  // Pair exactly as a rep does, on the options page.
  const options = await rep.open("options.html");
  await options.getByTestId("server-url").fill(worker.url);
  await options.getByTestId("pairing-code").fill(codes[REP]!);
  await options.getByTestId("pair-button").click();
  await options.getByTestId("paired-user").waitFor();
  await options.close();
  await eventually(async () => /^\d+%$/.test((await rep.badge()).text), true);
});

afterAll(async () => {
  await rep?.close();
  await worker?.dispose();
  await new Promise((resolve) => (site ? site.close(resolve) : resolve(undefined)));
  await display?.stop();
});

describe("context menu 'Log as …' through Chromium's native menu (headed, Xvfb, real X input)", () => {
  test("every kind is an item under 'Log as …', with a click listener", async () => {
    const sw = await rep.serviceWorker();
    const ids = [MENU_PARENT_ID, ...ACTIVITY_KINDS.map(menuItemId)];
    const results = await sw.evaluate(async (list) => {
      const chrome = (globalThis as unknown as { chrome: ChromeMenus }).chrome;
      const update = (id: string) =>
        new Promise<string>((resolve) => chrome.contextMenus.update(id, {}, () => resolve(chrome.runtime.lastError?.message ?? "ok")));
      return { items: await Promise.all(list.map(update)), unknown: await update("log-as:nap"), listening: chrome.contextMenus.onClicked.hasListeners() };
    }, ids);
    expect(results.items).toEqual(ids.map(() => "ok"));
    expect(results.unknown).toMatch(/Cannot find menu item/);
    expect(results.listening).toBe(true);
  });

  test("right-click on the page → Log as … → Touch: one touch in D1 (source context_menu, no customer), +1 flash", async () => {
    const page = await openSite();
    const seen = await logFromMenu(page, page.locator("#empty"), "t");
    expect(seen).toMatchObject({ target: "empty", selection: "" });
    await expectFlashThenHeadline(/^\d+%$/);
    expectSentWithoutPageData(await delivered("touch"), "touch");
    await page.close();
  });

  test("right-click on a selection → Proposal sent, and on a link → First contact: neither sends anything from the page", async () => {
    const page = await openSite();
    await page.evaluate(() => {
      const range = document.createRange();
      range.selectNodeContents(document.getElementById("notes")!);
      getSelection()!.removeAllRanges();
      getSelection()!.addRange(range);
    });
    const onSelection = await logFromMenu(page, page.locator("#notes"), "p");
    expect(onSelection).toMatchObject({ target: "notes", selection: SELECTED });
    await expectFlashThenHeadline(/^\d+%$/);
    expectSentWithoutPageData(await delivered("proposal_sent"), "proposal_sent");

    await page.evaluate(() => getSelection()!.removeAllRanges());
    const onLink = await logFromMenu(page, page.locator("#contact"), "f");
    expect(onLink).toMatchObject({ target: "contact", selection: "" });
    await expectFlashThenHeadline(/^\d+%$/);
    expectSentWithoutPageData(await delivered("first_contact"), "first_contact");
    expect(page.url()).toBe(pageUrl); // the link was not followed
    await page.close();
  });

  test("right-click → Won deal: the toolbar popup opens on its amount form; typed + Enter stores the deal once, as a menu click", async () => {
    const page = await openSite();
    await logFromMenu(page, page.locator("#empty"), "w");
    clicks--; // the menu only opened the popup; the deal is logged from there, with its amount
    // The toolbar popup is no tab (Playwright does not list it): read it through the DevTools protocol.
    const cdp = await rep.context.newCDPSession(page);
    const popupTarget = async () =>
      ((await cdp.send("Target.getTargets")).targetInfos as { targetId: string; type: string; url: string }[]).find(
        (t) => t.type === "page" && t.url.endsWith("/popup.html"),
      )?.targetId ?? null;
    await eventually(async () => (await popupTarget()) !== null, true, 10_000, 100, "the toolbar popup opened");
    const { sessionId } = await cdp.send("Target.attachToTarget", { targetId: (await popupTarget())!, flatten: false });
    let nextId = 1;
    const inPopup = (expression: string) =>
      new Promise<unknown>((resolve) => {
        const id = nextId++;
        const onMessage = (event: { sessionId?: string; message: string }) => {
          const reply = JSON.parse(event.message) as { id?: number; result?: { result?: { value?: unknown } } };
          if (event.sessionId !== sessionId || reply.id !== id) return;
          cdp.off("Target.receivedMessageFromTarget", onMessage);
          resolve(reply.result?.result?.value);
        };
        cdp.on("Target.receivedMessageFromTarget", onMessage);
        void cdp.send("Target.sendMessageToTarget", {
          sessionId,
          message: JSON.stringify({ id, method: "Runtime.evaluate", params: { expression, returnByValue: true } }),
        });
      });
    // The amount field is there and has the keyboard focus: the rep just types.
    await eventually(() => inPopup(`document.activeElement?.dataset.testid ?? null`), "won-amount", 10_000, 100, "the amount field is focused");
    await display.xdotool("type", "--delay", "40", "18000");
    await display.xdotool("key", "Return");
    clicks++;
    await eventually(async () => (await sentByMenu()).length, clicks);
    const rows = await menuRows();
    expect(rows.map((r) => r.client_event_id)).toEqual((await sentByMenu()).map((e) => e.clientEventId));
    expect(rows.at(-1)).toMatchObject({ kind: "won", source: "context_menu", amount: 1_800_000, customer: null });
    await cdp.detach();
    await display.xdotool("key", "Escape"); // closes the popup
    await page.close();
  });

  test("offline: the menu click waits in the outbox (badge NN•) and arrives exactly once when the worker is back", async () => {
    await worker.stop();
    const page = await openSite();
    const stored = (await menuRows()).length;
    await logFromMenu(page, page.locator("#title"), "q");
    await expectFlashThenHeadline(/^\d+•$/);
    const queued = Object.keys(await rep.storage(null)).filter((key) => key.startsWith("outbox:"));
    expect(queued).toHaveLength(1);
    const id = queued[0]!.slice("outbox:".length);
    expect((await menuRows()).length).toBe(stored); // D1 (read from its files) has not seen it
    await page.close();

    await worker.start();
    // The user opens the popup: it syncs at once (otherwise the outbox's back-off retry delivers it a little later).
    const popup = await rep.open("popup.html");
    expect(await delivered("quote")).toBe(id);
    expect(Object.keys(await rep.storage(null)).filter((key) => key.startsWith("outbox:"))).toEqual([]);
    expectSentWithoutPageData(id, "quote");
    await eventually(async () => /^\d+%$/.test((await rep.badge()).text), true);
    await popup.close();
  });
});

interface ChromeMenus {
  contextMenus: { update(id: string, props: object, done: () => void): void; onClicked: { hasListeners(): boolean } };
  runtime: { lastError?: { message: string } };
}
