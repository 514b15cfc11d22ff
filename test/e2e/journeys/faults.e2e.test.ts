/**
 * User journey 4 (issue 9): a rep logs through every fault the network and the browser can throw at the outbox, and
 * afterwards the database holds every event exactly once — each click one row, none lost, none doubled.
 *
 * Real stack: Chromium with the built extension, the worker on local workerd with an empty, migrated D1, and the edge
 * proxy of test/helpers/edge.ts between them. The server's clock (through the edge) is Tuesday 2 March 2027, 10:00 in
 * Shanghai; the browser keeps its real clock — months of clock skew on every request, all the way through.
 *
 * Faults, one per test, in the order a bad day brings them:
 * - the worker goes down while the rep logs (popup and keyboard shortcut), and the service worker is killed while the
 *   clicks wait; the worker comes back;
 * - the service worker is killed mid-flush: the server has committed the batch, its answer is still on the way;
 * - the server commits, then the answer is lost: cut mid-body (the extension sees the failure and resends), or cut before
 *   its first byte (Chromium itself may resend on a fresh connection);
 * - a middlebox delivers the same request twice.
 */
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { Page } from "playwright-core";
import { launchExtension, type ExtensionBrowser } from "../../helpers/browser";
import { startWorker, type WorkerHandle } from "../../helpers/worker";
import { startEdgeProxy, type EdgeProxy } from "../../helpers/edge";
import { clickLog, eventually, openPopup, outboxSize, pairInOptions, pressShortcut, progressOf, setUpOrgByApi, shanghai, sql, startPlainPage, text } from "./harness";

const KPI_KINDS = ["touch", "needs_confirmed", "proposal_sent", "demo_or_visit"] as const;
type Kind = (typeof KPI_KINDS)[number];
const POST_ACTIVITIES = (method: string, path: string) => method === "POST" && path === "/v1/activities";
const SERVER_DAY = "2027-03-02";

let worker: WorkerHandle;
let edge: EdgeProxy;
let plain: { url: string; close(): Promise<void> };
let rep: ExtensionBrowser;
let repId: string;
/** Every click the rep made, by kind and source: what the database must end up holding. */
const clicks: { kind: Kind; source: "popup" | "shortcut" }[] = [];

async function click(popup: Page, kind: Kind, n: number): Promise<void> {
  await clickLog(popup, kind, n);
  for (let i = 0; i < n; i++) clicks.push({ kind, source: "popup" });
}

async function rows(where = "1 = 1"): Promise<{ client_event_id: string; kind: string; source: string; day: string; occurred_at: number }[]> {
  return worker.query(
    `SELECT client_event_id, kind, source, day, occurred_at FROM activities WHERE user_id = ${sql(repId)} AND deleted_at IS NULL AND ${where} ORDER BY id`,
  );
}

async function count(kind: Kind): Promise<number> {
  return (await rows(`kind = ${sql(kind)}`)).length;
}

const expected = (kind: Kind) => clicks.filter((c) => c.kind === kind).length;

beforeAll(async () => {
  worker = await startWorker();
  edge = await startEdgeProxy(worker.url, { clock: shanghai(SERVER_DAY, 10) });
  plain = await startPlainPage();
  const org = await setUpOrgByApi(edge.url, worker.persistTo, edge.now(), { id: "org_faults", name: "Huaxin Faults", admin: "Zhou Min" });
  repId = await org.addRep("Chen Jing", "mid");
  rep = await launchExtension({ locale: "en-US" });
  await (await pairInOptions(rep, edge.url, await org.code(repId))).close();
});

afterAll(async () => {
  await rep?.close().catch(() => undefined);
  await plain?.close();
  await edge?.close();
  await worker?.dispose();
});

describe("journey 4: faults — every event reaches the database exactly once", () => {
  test("clock skew: the browser is months behind the server; events land at the server's time, on its day", async () => {
    expect(Math.abs(edge.now() - Date.now())).toBeGreaterThan(30 * 86_400_000);
    const before = edge.now();
    const popup = await openPopup(rep);
    await click(popup, "touch", 3);
    await eventually(() => text(popup, "pending-count"), "0");
    const stored = await rows();
    expect(stored).toHaveLength(3);
    for (const row of stored) {
      expect(row.day).toBe(SERVER_DAY);
      expect(row.occurred_at).toBeGreaterThanOrEqual(before - 2_000);
      expect(row.occurred_at).toBeLessThanOrEqual(edge.now());
    }
    // "Today" in the popup is the server's day too: the three touches count.
    expect(await text(popup, "count-touch")).toBe("3");
    await popup.close();
  });

  test("worker down while logging (popup + shortcut), service worker killed meanwhile: the clicks wait, then arrive once, dated when clicked", async () => {
    await worker.stop();
    const downAt = edge.now();
    const popup = await openPopup(rep);
    await click(popup, "touch", 2);
    await click(popup, "needs_confirmed", 1);
    await eventually(() => text(popup, "pending-count"), "3");
    await eventually(async () => (await popup.getByTestId("sync-error").getAttribute("data-code")) ?? "", "network");
    expect(await text(popup, "sync-error")).toMatch(/^Can't reach the server\. Your clicks are saved and will sync\.$/);
    // Counted on the device at once, before the server has them.
    expect(await text(popup, "count-touch")).toBe(String(expected("touch")));
    await popup.close();

    const page = await rep.context.newPage();
    await page.goto(plain.url);
    for (let i = 0; i < 2; i++) {
      await pressShortcut(rep, page);
      clicks.push({ kind: "touch", source: "shortcut" });
      await page.waitForTimeout(150);
    }
    await eventually(() => outboxSize(rep), 5);
    await page.close();

    // Chrome stops an idle service worker (or the user kills it); the queue is in storage, not in its memory.
    await rep.stopServiceWorker();
    const woken = await rep.open("popup.html"); // a fresh service worker starts for the popup; its memory is empty
    await eventually(() => text(woken, "pending-count"), "5");
    await woken.close();
    expect(await count("needs_confirmed")).toBe(0);

    const backAt = edge.now();
    await worker.start();
    const again = await openPopup(rep); // waits until nothing is pending
    expect(await text(again, "count-touch")).toBe(String(expected("touch")));
    // The progress refresh that follows the flush clears the last failure (it may land just after the outbox empties).
    await eventually(() => again.getByTestId("sync-error").count(), 0);
    await again.close();

    const offline = (await rows()).slice(3);
    expect(offline.map((r) => `${r.kind}/${r.source}`).sort()).toEqual(
      ["touch/popup", "touch/popup", "needs_confirmed/popup", "touch/shortcut", "touch/shortcut"].sort(),
    );
    // Dated when clicked (on the server's clock), not when delivered after the worker came back.
    for (const row of offline) {
      expect(row.occurred_at).toBeGreaterThanOrEqual(downAt - 2_000);
      expect(row.occurred_at).toBeLessThan(backAt);
      expect(row.day).toBe(SERVER_DAY);
    }
  });

  test("service worker killed mid-flush, after the server committed: resent, answered as a duplicate, stored once", async () => {
    const hold = edge.holdResponses(1, POST_ACTIVITIES);
    const popup = await openPopup(rep);
    await click(popup, "proposal_sent", 2);
    await hold.held; // the first click's batch is in D1; its answer waits at the edge
    await eventually(() => count("proposal_sent"), 1);
    await popup.close();

    await rep.stopServiceWorker();
    hold.release(); // too late: nobody is listening any more
    const again = await openPopup(rep);
    expect(await text(again, "count-proposal_sent")).toBe("2");
    await again.close();
    expect(await count("proposal_sent")).toBe(2);
  });

  test("answer cut mid-body after the server committed: the extension keeps the event, resends it, the server answers duplicate", async () => {
    const lost = edge.loseResponses(1, POST_ACTIVITIES, "mid-body");
    const popup = await openPopup(rep);
    const sentBefore = edge.log.length;
    await click(popup, "demo_or_visit", 1);
    await eventually(async () => lost.remaining, 0);
    expect(await count("demo_or_visit")).toBe(1); // committed…
    await eventually(() => text(popup, "pending-count"), "1"); // …but the extension never heard so
    await eventually(async () => (await popup.getByTestId("sync-error").getAttribute("data-code")) ?? "", "network");
    await popup.getByTestId("sync-now").click();
    await eventually(() => text(popup, "pending-count"), "0");
    expect(await count("demo_or_visit")).toBe(1);
    const posts = edge.log.slice(sentBefore).filter((e) => POST_ACTIVITIES(e.method, e.path));
    expect(posts.map((e) => [e.outcome, e.upstream])).toEqual([
      ["lost", [201]],
      ["answered", [200]], // the resent batch: every event in it a duplicate
    ]);
    await popup.close();
  });

  test("connection cut before the answer after the server committed: resent (by Chromium or the extension), one row", async () => {
    const lost = edge.loseResponses(1, POST_ACTIVITIES, "before-answer");
    const popup = await openPopup(rep);
    const sentBefore = edge.log.length;
    await click(popup, "demo_or_visit", 1);
    await eventually(async () => lost.remaining, 0);
    // Chromium resends a request whose reused connection died before any answer; otherwise the extension's error
    // shows and the rep's "sync now" (or the next alarm) resends it. Either way the server has seen it already.
    if ((await text(popup, "pending-count")) !== "0") await popup.getByTestId("sync-now").click();
    await eventually(() => text(popup, "pending-count"), "0");
    expect(await count("demo_or_visit")).toBe(2);
    const posts = edge.log.slice(sentBefore).filter((e) => POST_ACTIVITIES(e.method, e.path));
    expect(posts[0]).toMatchObject({ outcome: "lost", upstream: [201] });
    expect(posts.slice(1).map((e) => e.upstream)).toEqual(posts.slice(1).map(() => [200]));
    expect(posts.length).toBeGreaterThan(1);
    await popup.close();
  });

  test("duplicated deliveries: the same request reaches the worker twice, the second is all duplicates", async () => {
    edge.duplicate(1, POST_ACTIVITIES);
    const popup = await openPopup(rep);
    const sentBefore = edge.log.length;
    await click(popup, "needs_confirmed", 1);
    await eventually(() => text(popup, "pending-count"), "0");
    const twice = edge.log.slice(sentBefore).filter((e) => POST_ACTIVITIES(e.method, e.path));
    expect(twice.map((e) => e.upstream)).toEqual([[201, 200]]);
    expect(await count("needs_confirmed")).toBe(expected("needs_confirmed"));
    await popup.close();
  });

  test("afterwards: the database holds every click exactly once, and device, popup and API agree", async () => {
    const stored = await rows();
    const ids = stored.map((r) => r.client_event_id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(stored).toHaveLength(clicks.length);
    const tally = (list: { kind: string; source: string }[]) =>
      list.reduce<Record<string, number>>((acc, c) => ({ ...acc, [`${c.kind}/${c.source}`]: (acc[`${c.kind}/${c.source}`] ?? 0) + 1 }), {});
    expect(tally(stored)).toEqual(tally(clicks));
    expect(stored.every((r) => r.day === SERVER_DAY)).toBe(true);

    // The device: nothing waiting, nothing refused, and its log of sent events is exactly what the server holds.
    expect(await outboxSize(rep)).toBe(0);
    const local = await rep.storage<Record<string, unknown>>(null);
    expect(Object.keys(local).filter((key) => key.startsWith("deadletter:"))).toEqual([]);
    const sent = (local.sentLog as { clientEventId: string }[]).map((e) => e.clientEventId);
    expect(new Set(sent)).toEqual(new Set(ids));

    // The popup and the API count the same.
    const popup = await openPopup(rep);
    const progress = await progressOf(edge.url, rep);
    for (const kind of KPI_KINDS) {
      expect(await text(popup, `count-${kind}`), kind).toBe(String(expected(kind)));
      expect(progress.today.kpis.find((k) => k.kind === kind)?.count, kind).toBe(expected(kind));
    }
    await popup.close();
  });
});
