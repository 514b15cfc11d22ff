/**
 * Issue 3's thin slice, end to end on the real stack: Chromium with the built extension, the worker in
 * local workerd (wrangler dev) with a freshly migrated and seeded D1.
 *
 * pair via options → click "touch" ×3 in the popup → rows in D1, the popup's count and the badge agree
 * with the API → worker stopped, two more clicks wait in the outbox → worker back, popup opened → both
 * arrive exactly once.
 */
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { Page } from "playwright-core";
import { launchExtension, screenshot, type ExtensionBrowser } from "../helpers/browser";
import { startWorker, type WorkerHandle } from "../helpers/worker";
import { formatBadge } from "../../extension/features/badge";
import { ProgressResponse } from "../../shared/schemas/progress";
import { eventually } from "../helpers/wait";

const REP = "Chen Jing";

let worker: WorkerHandle;
let browser: ExtensionBrowser;
let rep: { id: string; name: string; seniority: string };
let codes: Record<string, string>;
let baseline: number;

function sqlString(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}

async function touchRows(): Promise<number> {
  const [row] = await worker.query<{ n: number }>(
    `SELECT count(*) AS n FROM activities WHERE user_id = ${sqlString(rep.id)} AND kind = 'touch' AND deleted_at IS NULL`,
  );
  return row!.n;
}

async function apiProgress(): Promise<ProgressResponse> {
  const { settings } = await browser.storage<{ settings: { token: string } }>("settings");
  const res = await fetch(`${worker.url}/v1/progress`, { headers: { authorization: `Bearer ${settings.token}` } });
  expect(res.status).toBe(200);
  return ProgressResponse.parse(await res.json());
}

async function text(page: Page, testId: string): Promise<string> {
  return (await page.getByTestId(testId).textContent())?.trim() ?? "";
}

beforeAll(async () => {
  worker = await startWorker();
  const seeded = await worker.seed();
  codes = seeded.codes;
  rep = seeded.reps.find((r) => r.name === REP)!;
  expect(rep, `seed has a rep named ${REP}`).toBeDefined();
  baseline = await touchRows();
  browser = await launchExtension();
});

afterAll(async () => {
  await browser?.close();
  await worker?.dispose();
});

describe("thin slice: click in Chromium → D1 → badge", () => {
  test("options: a wrong code is refused clearly, the rep's code pairs", async () => {
    const unpaired = await browser.open("popup.html");
    await unpaired.getByTestId("open-options").waitFor();
    expect((await browser.badge()).text).toBe("");
    await screenshot(unpaired, "popup-unpaired", "main");
    await unpaired.close();

    const options = await browser.open("options.html");
    await options.getByTestId("server-url").fill("not a url");
    await options.getByTestId("pairing-code").fill("ABCD2345");
    await options.getByTestId("pair-button").click();
    await expect.poll(() => text(options, "server-url-error")).toMatch(/full address/);

    await options.getByTestId("server-url").fill(worker.url);
    await options.getByTestId("pair-button").click();
    await options.getByTestId("pair-error").waitFor();
    expect(await options.getByTestId("pair-error").getAttribute("data-code")).toBe("pairing_code_invalid");
    expect(await text(options, "pair-error")).toMatch(/wrong, expired or already used/);
    await screenshot(options, "options-error");

    await options.getByTestId("pairing-code").fill(codes[REP]!.toLowerCase());
    await options.getByTestId("pair-button").click();
    await options.getByTestId("paired-user").waitFor();
    expect(await text(options, "paired-user")).toBe(REP);
    expect(await text(options, "paired-server")).toBe(worker.url);
    expect((await text(options, "paired-org")).length).toBeGreaterThan(0);
    await screenshot(options, "options-paired");
    await options.close();
  });

  test("three touches from the popup reach D1 once each; popup and badge match the API", async () => {
    const popup = await browser.open("popup.html");
    await popup.getByTestId("count-touch").waitFor();
    await eventually(() => text(popup, "pending-count"), "0");
    const before = Number(await text(popup, "count-touch"));
    expect(before).toBe((await apiProgress()).today.kpis.find((k) => k.kind === "touch")!.count);

    for (let i = 0; i < 3; i++) await popup.getByTestId("log-touch").click();
    // Optimistic: shown at once, before any answer from the server.
    await eventually(() => text(popup, "count-touch"), String(before + 3), 2_000);

    await eventually(() => text(popup, "pending-count"), "0");
    await eventually(touchRows, baseline + 3);

    const progress = await apiProgress();
    expect(progress.today.kpis.find((k) => k.kind === "touch")!.count).toBe(before + 3);
    expect(await text(popup, "count-touch")).toBe(String(before + 3));
    const expected = formatBadge(progress, 0).text;
    expect(expected).toMatch(/^\d+%$|^–$/);
    await eventually(async () => (await browser.badge()).text, expected);
    await screenshot(popup, "popup-synced", "main");
    await popup.close();
  });

  test("offline clicks wait in the outbox, survive a service-worker restart and arrive exactly once", async () => {
    await worker.stop();
    const popup = await browser.open("popup.html");
    await popup.getByTestId("count-touch").waitFor();
    const before = Number(await text(popup, "count-touch"));

    await popup.getByTestId("log-touch").click();
    await popup.getByTestId("log-touch").click();
    await eventually(() => text(popup, "count-touch"), String(before + 2), 2_000);
    await eventually(() => text(popup, "pending-count"), "2");
    await eventually(() => text(popup, "pending-touch"), "+2");
    await popup.getByTestId("sync-error").waitFor();
    await eventually(async () => (await browser.badge()).text.endsWith("•"), true);
    await screenshot(popup, "popup-offline", "main");

    const stored = await browser.storage<Record<string, unknown>>(null);
    const queued = Object.keys(stored)
      .filter((key) => key.startsWith("outbox:"))
      .map((key) => key.slice("outbox:".length));
    expect(queued).toHaveLength(2);
    await popup.close();

    // Kill the service worker while the events wait: nothing it held in memory may matter.
    const sw = await browser.serviceWorker();
    await sw.evaluate(() => ((globalThis as { previousLife?: boolean }).previousLife = true));
    await browser.stopServiceWorker();

    await worker.start();
    const reopened = await browser.open("popup.html"); // wakes a fresh service worker; opening the popup syncs at once
    expect(
      await (await browser.serviceWorker()).evaluate(() => (globalThis as { previousLife?: boolean }).previousLife ?? false),
    ).toBe(false);
    await eventually(() => text(reopened, "pending-count"), "0");
    await eventually(touchRows, baseline + 5);

    const ids = queued.map(sqlString).join(", ");
    const rows = await worker.query<{ client_event_id: string; n: number }>(
      `SELECT client_event_id, count(*) AS n FROM activities WHERE client_event_id IN (${ids}) GROUP BY client_event_id`,
    );
    expect(rows.map((r) => r.n)).toEqual([1, 1]);

    const progress = await apiProgress();
    expect(await text(reopened, "count-touch")).toBe(String(progress.today.kpis.find((k) => k.kind === "touch")!.count));
    await eventually(async () => (await browser.badge()).text, formatBadge(progress, 0).text);
    await screenshot(reopened, "popup", "main");
    await reopened.close();
  });

  test("zh-CN: the UI follows the browser language; unpair revokes the token", async () => {
    await browser.close();
    browser = await launchExtension({ locale: "zh-CN" });
    const options = await browser.open("options.html");
    await expect.poll(() => text(options, "pair-button")).toBe("配对");
    await options.getByTestId("server-url").fill(worker.url);
    await options.getByTestId("pairing-code").fill(codes["Li Lei"]!);
    await options.getByTestId("pair-button").click();
    await options.getByTestId("paired-user").waitFor();
    await screenshot(options, "options-zh-CN");
    await options.close();

    const popup = await browser.open("popup.html");
    await popup.getByTestId("count-touch").waitFor();
    await popup.getByTestId("log-touch").click();
    await eventually(() => text(popup, "pending-count"), "0");
    expect(await text(popup, "kpi-touch")).toContain("触达");
    expect((await browser.badge()).title).toContain("本月");
    await screenshot(popup, "popup-zh-CN", "main");
    await popup.close();

    // Unpair: the token is forgotten here and revoked on the server.
    const { settings } = await browser.storage<{ settings: { token: string } }>("settings");
    const again = await browser.open("options.html");
    await again.getByTestId("unpair-button").click();
    await again.getByTestId("pair-form").waitFor();
    const res = await fetch(`${worker.url}/v1/progress`, { headers: { authorization: `Bearer ${settings.token}` } });
    expect(res.status).toBe(401);
    expect((await browser.badge()).text).toBe("");
  });
});
