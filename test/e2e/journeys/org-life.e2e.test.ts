/**
 * User journeys 1–3 (issue 9), one org's first week on the real stack: Chromium with the built extension (one browser per
 * person, each with its own profile and language), the worker on local workerd (`wrangler dev`) with a freshly migrated,
 * empty D1, a real webhook receiver on 127.0.0.1, and the saved Gmail page served under its real hostname.
 *
 * The org is set up on Sunday 28 February: a rep is judged from the day the account was made (no hire date given), and a
 * Sunday is no working day, so Monday 1 March is everyone's first judged day.
 *
 * Time: the browsers keep their real clocks; the server's clock is moved through the edge proxy (test/helpers/edge.ts,
 * `X-Debug-Now`) to a week in March 2027, so every request also crosses months of clock skew — the server dates each event
 * by its own clock, the extension shows "today" on the server's. Cron runs are fired at chosen instants through
 * workerd's scheduled-trigger route, as Cloudflare fires them.
 *
 * 1. The operator bootstraps the org (Asia/Shanghai, zh-CN) and its admin; the admin pairs and, in the console, adds a
 *    team, a manager (its leader) and three reps of different seniority, sets 2027's revenue target from last year +10 %
 *    and applies its decomposition, and adds a webhook channel. The admin makes the manager's pairing code; the manager
 *    makes the reps' codes; each rep pairs in the options page.
 * 2. Mon 1 – Wed 3 March: the reps log from the popup, the Gmail overlay, the browser's context menu ("Log as …", picked
 *    in Chromium's native menu with real X input: Chen Jing's browser runs headed on a virtual display) and the keyboard
 *    shortcut; badges, popups and the manager's team table show the numbers the domain rules give (worked out by hand
 *    below).
 * 3. Cron mornings: the 60 % tier (Tue), yellow for the rep two days below KPI and the 80 % tier (Wed), orange with a 1:1
 *    coaching task for the manager (Thu); re-runs of a slot change nothing; the receiver gets each notification once.
 *
 * The hand-worked numbers. Year 2027: 12,000,000 × 1.1 = 13,200,000 → 1,100,000 a month → March split equally over three
 * reps in fen by largest remainder: 36,666,667 + 36,666,667 + 36,666,666 = 110,000,000. March 2027 has 23 working days
 * (no holidays set). Daily KPI minimums (touch / needs / proposal / demo): junior 8/2/1/1, mid 6/3/2/2, senior 4/3/3/3.
 * - Chen Jing (mid) meets her KPIs every day and wins 240,000.00 on Monday: 24,000,000 / 36,666,66x = 65.45 % → badge
 *   `65%` (≥ 60 % tier); 60,000.00 more on Tuesday: 30,000,000 / 36,666,66x = 81.8 % → `81%` (≥ 80 % tier).
 * - Zhang Wei (senior) meets his KPIs every day, no revenue: `0%`.
 * - Li Lei (junior) is below every day (3, then 5 + 1, then 2 touches): yellow after two closed days, orange after three.
 * - Pace uses closed working days only: on Monday none has closed (pace n/a → green for all); from Tuesday a rep with no
 *   revenue has pace 0 → red, Chen Jing's pace is far above 100 % → green.
 */
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { Page } from "playwright-core";
import { launchExtension, screenshot, type ExtensionBrowser } from "../../helpers/browser";
import { startWorker, type WorkerHandle } from "../../helpers/worker";
import { startEdgeProxy, type EdgeProxy } from "../../helpers/edge";
import { startReceiver, type Receiver } from "../../helpers/receiver";
import { OverlayProbe, allowInBrowserSettings } from "../../helpers/overlay";
import { installRecorder, logFromMenu, startXvfb, type XDisplay } from "../../helpers/xdisplay";
import { startFixtureServer, type FixtureServer } from "../../fixtures/server";
import { bootstrap } from "../../../worker/scripts/bootstrap";
import { BADGE_COLORS } from "../../../extension/features/badge";
import {
  clickLog,
  eventually,
  logWon,
  openPopup,
  outboxSize,
  pairInOptions,
  percent,
  pressShortcut,
  progressOf,
  shanghai,
  sql,
  startPlainPage,
  teamSummary,
  text,
} from "./harness";

const ORG_ID = "org_journey";
const ADMIN = "周敏";
const MANAGER = "王芳";
const TEAM = "华东";
const LI = "李雷"; // junior, under-performs
const CHEN = "陈静"; // mid, overlay user, wins deals
const ZHANG = "张伟"; // senior, keyboard user
const GMAIL_THREAD = "https://mail.google.com/mail/u/0/#inbox/FMfcgzQbfLmNxWzkRtPqDsVhJcBnGkTw";
const MARCH_TARGETS = [36_666_666, 36_666_667, 36_666_667];

let worker: WorkerHandle;
let edge: EdgeProxy;
let receiver: Receiver;
let fixtures: FixtureServer;
let plain: { url: string; close(): Promise<void> };
let display: XDisplay;
let admin: ExtensionBrowser;
let adminConsole: Page;
let manager: ExtensionBrowser;
const reps = new Map<string, ExtensionBrowser>();
const ids = new Map<string, string>();
/** The reps' months as the console applied them: Chen Jing's, for her exact completion. */
let chenTarget: number;

const rep = (name: string) => reps.get(name)!;
const id = (name: string) => ids.get(name)!;

async function go(page: Page, route: string): Promise<void> {
  await page.evaluate((r) => (location.hash = `#/${r}`), route);
  await page.locator(`[data-testid="nav-${route}"][aria-current="page"]`).waitFor();
  await page.locator("#page-title").waitFor();
}

const issuedCodes = new Set<string>();

async function newPairingCode(console_: Page, name: string): Promise<string> {
  await go(console_, "people");
  await console_.getByTestId(`pair-${name}`).click();
  await console_.getByTestId("create-pairing-code").click();
  await console_.getByTestId("pairing-qr").waitFor();
  // The dialog is reused from person to person: wait for this person's fresh code.
  let code = "";
  await eventually(async () => {
    code = (await text(console_, "pairing-code-text")).replace(/\s/g, "");
    return /^[23456789ABCDEFGHJKMNPQRSTUVWXYZ]{8}$/.test(code) && !issuedCodes.has(code);
  }, true);
  issuedCodes.add(code);
  return code;
}

async function openConsole(browser: ExtensionBrowser, options: Page): Promise<Page> {
  const [page] = await Promise.all([browser.context.waitForEvent("page"), options.getByTestId("open-console").click()]);
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.getByTestId("console-user").waitFor();
  return page;
}

/** Moves the server's clock to a morning; every browser refreshes when its popup opens. */
function morning(day: string, hh = 9, mm = 30): void {
  edge.setClock(shanghai(day, hh, mm));
}

async function badgeOf(name: string) {
  return rep(name).badge();
}

function rgba(hex: string): [number, number, number, number] {
  return [parseInt(hex.slice(1, 3), 16), parseInt(hex.slice(3, 5), 16), parseInt(hex.slice(5, 7), 16), 255];
}

/** Today's four KPI counts in a rep's popup. */
async function popupCounts(popup: Page): Promise<number[]> {
  const out: number[] = [];
  for (const kind of ["touch", "needs_confirmed", "proposal_sent", "demo_or_visit"]) out.push(Number(await text(popup, `count-${kind}`)));
  return out;
}

async function activityCount(name: string, where = "1 = 1"): Promise<number> {
  const [row] = await worker.query<{ n: number }>(`SELECT count(*) AS n FROM activities WHERE user_id = ${sql(id(name))} AND deleted_at IS NULL AND ${where}`);
  return row!.n;
}

/**
 * Logs one rep's day the way each of them works: Li Lei and Zhang Wei in the popup (Zhang Wei's touches by shortcut),
 * Chen Jing in the Gmail overlay, her demos by right-click → "Log as …" → "Demo or visit" on the thread.
 */
async function logDay(name: string, counts: { touch: number; needs: number; proposal: number; demo: number }, won?: string): Promise<void> {
  const browser = rep(name);
  if (name === CHEN) {
    const page = await browser.context.newPage();
    await page.goto(GMAIL_THREAD);
    const overlay = await OverlayProbe.attach(page);
    await eventually(() => overlay.exists("[data-testid=overlay-log-needs_confirmed]"), true);
    for (let i = 0; i < counts.touch; i++) await overlay.click("[data-testid=overlay-log-touch]");
    for (let i = 0; i < counts.needs; i++) await overlay.click("[data-testid=overlay-log-needs_confirmed]");
    await installRecorder(page);
    for (let i = 0; i < counts.demo; i++) await logFromMenu(display, page, page.locator("h2.hP"), "d");
    await eventually(() => outboxSize(browser), 0);
    await overlay.detach();
    await page.close();
  } else if (name === ZHANG) {
    const page = await browser.context.newPage();
    await page.goto(plain.url);
    for (let i = 0; i < counts.touch; i++) {
      await pressShortcut(browser, page);
      await page.waitForTimeout(120);
    }
    await eventually(() => outboxSize(browser), 0);
    await page.close();
  }
  const popup = await openPopup(browser);
  if (name === LI) await clickLog(popup, "touch", counts.touch);
  if (name !== CHEN) await clickLog(popup, "needs_confirmed", counts.needs);
  await clickLog(popup, "proposal_sent", counts.proposal);
  if (name !== CHEN) await clickLog(popup, "demo_or_visit", counts.demo);
  if (won) await logWon(popup, won);
  try {
    await eventually(() => text(popup, "pending-count"), "0");
  } catch (error) {
    const status = await browser.storage("syncStatus");
    throw new Error(`${name}: events stay queued; sync status ${JSON.stringify(status)}; last requests ${JSON.stringify(edge.log.slice(-6))}`, { cause: error });
  }
  await popup.close();
}

/** The rep's popup after a refresh: completion headline, band, today's counts, streak. */
async function popupView(name: string): Promise<{ completion: string; band: string | null; counts: number[]; streak: string | null }> {
  const popup = await openPopup(rep(name));
  await popup.getByTestId("period").waitFor();
  const view = {
    completion: await text(popup, "completion"),
    band: await popup.getByTestId("period").getAttribute("data-band"),
    counts: await popupCounts(popup),
    streak: await popup.getByTestId("streak").getAttribute("class"),
  };
  await popup.close();
  return view;
}

/** The manager's team table: per rep, [completion text, touches today]. */
async function managerTable(): Promise<Record<string, [string, number]>> {
  const popup = await manager.open("popup.html");
  await popup.setViewportSize({ width: 400, height: 900 });
  await popup.getByTestId("team-table").waitFor();
  await popup.getByTestId("sync-now").click();
  await eventually(async () => popup.getByTestId("sync-now").isEnabled(), true);
  const out: Record<string, [string, number]> = {};
  for (const name of [LI, CHEN, ZHANG]) {
    const row = popup.locator(`[data-testid=team-row][data-user=${id(name)}]`);
    out[name] = [((await row.getByTestId("team-completion").textContent()) ?? "").trim(), Number(await row.getByTestId("team-touch").textContent())];
  }
  await popup.close();
  return out;
}

interface Delivered {
  id: string;
  kind: string;
  params: Record<string, unknown>;
}

function delivered(): Delivered[] {
  return receiver.requests.filter((r) => r.path === "/hook").map((r) => JSON.parse(r.body) as Delivered);
}

beforeAll(async () => {
  display = await startXvfb();
  worker = await startWorker({ testScheduled: true });
  edge = await startEdgeProxy(worker.url, { clock: shanghai("2027-02-28", 10) });
  receiver = await startReceiver();
  fixtures = await startFixtureServer();
  fixtures.serve("https://mail.google.com/mail/u/0/", "gmail/2026-11-23-thread.html");
  plain = await startPlainPage();
});

afterAll(async () => {
  for (const browser of [admin, manager, ...reps.values()]) await browser?.close().catch(() => undefined);
  await plain?.close();
  await fixtures?.close();
  await receiver?.close();
  await edge?.close();
  await worker?.dispose();
  await display?.stop();
});

describe("journey 1: an org is set up from nothing (Sun 28 Feb 2027)", () => {
  test("the operator bootstraps the org and its admin; the admin pairs and opens the console", async () => {
    const created = await bootstrap(
      ["--org", "华信科技", "--admin", ADMIN, "--email", "zhou.min@huaxin.example", "--tz", "Asia/Shanghai", "--lang", "zh-CN", "--id", ORG_ID, "--persist-to", worker.persistTo],
      edge.now(),
    );
    ids.set(ADMIN, created.admin.id);
    admin = await launchExtension({ locale: "zh-CN" });
    const options = await pairInOptions(admin, edge.url, created.code);
    expect(await text(options, "paired-user")).toBe(ADMIN);
    expect(await text(options, "paired-org")).toBe("华信科技");
    adminConsole = await openConsole(admin, options);
    expect(await text(adminConsole, "nav-board")).toBe("团队看板");
    await options.close();
    const [org] = await worker.query<{ time_zone: string; language: string }>(`SELECT time_zone, language FROM orgs WHERE id = ${sql(ORG_ID)}`);
    expect(org).toEqual({ time_zone: "Asia/Shanghai", language: "zh-CN" });
  });

  test("a team, its manager (the team's leader) and three reps of different seniority", async () => {
    const c = adminConsole;
    await go(c, "people");
    await c.getByTestId("add-team").click();
    await c.getByTestId("team-form").getByTestId("field-name").fill(TEAM);
    await c.getByTestId("team-save").click();
    await c.getByTestId(`team-${TEAM}`).waitFor();

    const addPerson = async (name: string, fields: { role?: string; seniority: string; managerId?: string }) => {
      await c.getByTestId("add-user").click();
      const form = c.getByTestId("user-form");
      await form.getByTestId("field-name").fill(name);
      if (fields.role) await form.getByTestId("field-role").selectOption(fields.role);
      await form.getByTestId("field-seniority").selectOption(fields.seniority);
      await form.getByTestId("field-teamId").selectOption({ label: TEAM });
      if (fields.managerId) await form.getByTestId("field-managerId").selectOption(fields.managerId);
      await form.getByTestId("user-save").click();
      await c.getByTestId(`user-${name}`).waitFor();
      const [row] = await worker.query<{ id: string }>(`SELECT id FROM users WHERE org_id = ${sql(ORG_ID)} AND name = ${sql(name)}`);
      ids.set(name, row!.id);
    };
    await addPerson(MANAGER, { role: "manager", seniority: "senior" });
    await c.locator(`li:has([data-testid="team-${TEAM}"]) button.small`).click();
    await c.getByTestId("team-form").getByTestId("field-leaderId").selectOption(id(MANAGER));
    await c.getByTestId("team-save").click();
    await eventually(async () => (await text(c, `team-${TEAM}`)).includes(MANAGER), true);
    await addPerson(LI, { seniority: "junior", managerId: id(MANAGER) });
    await addPerson(CHEN, { seniority: "mid", managerId: id(MANAGER) });
    await addPerson(ZHANG, { seniority: "senior", managerId: id(MANAGER) });
    await screenshot(c, "journey-people-zh-CN");

    const rows = await worker.query<{ name: string; role: string; seniority: string; team: string; manager: string | null; created: string }>(
      `SELECT u.name, u.role, u.seniority, t.name AS team, m.name AS manager, date(u.created_at / 1000, 'unixepoch', '+8 hours') AS created
       FROM users u LEFT JOIN teams t ON t.id = u.team_id LEFT JOIN users m ON m.id = u.manager_id WHERE u.org_id = ${sql(ORG_ID)} AND u.role != 'admin' ORDER BY u.seniority, u.name`,
    );
    expect(rows).toEqual([
      { name: LI, role: "rep", seniority: "junior", team: TEAM, manager: MANAGER, created: "2027-02-28" },
      { name: CHEN, role: "rep", seniority: "mid", team: TEAM, manager: MANAGER, created: "2027-02-28" },
      { name: ZHANG, role: "rep", seniority: "senior", team: TEAM, manager: MANAGER, created: "2027-02-28" },
      { name: MANAGER, role: "manager", seniority: "senior", team: TEAM, manager: null, created: "2027-02-28" },
    ]);
  });

  test("2027's revenue target: last year 12,000,000 + 10 %, decomposed to quarters, months and reps, applied", async () => {
    const c = adminConsole;
    await go(c, "targets");
    await c.getByTestId("field-year").fill("2027");
    await c.getByTestId("field-lastYearActual").fill("12,000,000");
    await c.getByTestId("field-growth").fill("10");
    expect(await text(c, "computed-annual")).toContain("13,200,000");
    await c.getByTestId("plan-preview").click();
    await c.getByTestId("plan-editor").waitFor();
    expect(await c.getByTestId("cell-year").inputValue()).toBe("13,200,000");
    expect(await c.getByTestId("cell-2027-Q1").inputValue()).toBe("3,300,000");
    expect(await c.getByTestId("cell-2027-03").inputValue()).toBe("1,100,000");
    await c.getByTestId("field-reason").fill("去年 12,000,000 + 10 %");
    await c.getByTestId("plan-apply").click();
    await c.getByTestId("plan-applied").waitFor();

    type Row = { scope: string; subject_id: string; period_kind: string; period_key: string; amount: number };
    const rows = await worker.query<Row>(`SELECT scope, subject_id, period_kind, period_key, amount FROM targets WHERE org_id = ${sql(ORG_ID)} AND level = 'base' AND metric = 'revenue'`);
    const org = rows.filter((r) => r.scope === "org");
    expect(org.find((r) => r.period_kind === "year")!.amount).toBe(1_320_000_000);
    expect(org.filter((r) => r.period_kind === "quarter").map((r) => r.amount)).toEqual([330_000_000, 330_000_000, 330_000_000, 330_000_000]);
    expect(new Set(org.filter((r) => r.period_kind === "month").map((r) => r.amount))).toEqual(new Set([110_000_000]));
    const march = rows.filter((r) => r.scope === "rep" && r.period_kind === "month" && r.period_key === "2027-03");
    expect(march.map((r) => r.amount).sort()).toEqual(MARCH_TARGETS);
    expect(new Set(march.map((r) => r.subject_id))).toEqual(new Set([id(LI), id(CHEN), id(ZHANG)]));
    chenTarget = march.find((r) => r.subject_id === id(CHEN))!.amount;
  });

  test("a signed webhook channel to the team's receiver; its test message arrives", async () => {
    const c = adminConsole;
    await go(c, "channels");
    await c.getByTestId("add-channel").click();
    const form = c.getByTestId("channel-form");
    await form.getByTestId("field-name").fill("华东群");
    await form.getByTestId("field-config.url").fill(`${receiver.url}/hook`);
    await form.getByTestId("field-secret").fill("journey-signing-key");
    await form.getByTestId("channel-save").click();
    await c.getByTestId("channel-华东群").waitFor();
    await c.getByTestId("test-华东群").click();
    await eventually(async () => receiver.requests.length, 1);
    expect(receiver.requests[0]!.headers["x-hud-signature"]).toMatch(/^sha256=[0-9a-f]{64}$/);
  });

  test("the admin makes the manager's code; the manager makes the reps' codes; everyone pairs in the options page", async () => {
    const managerCode = await newPairingCode(adminConsole, MANAGER);
    manager = await launchExtension({ locale: "zh-CN" });
    const managerOptions = await pairInOptions(manager, edge.url, managerCode);
    expect(await text(managerOptions, "paired-user")).toBe(MANAGER);
    const managerConsole = await openConsole(manager, managerOptions);
    await managerOptions.close();

    const locales: Record<string, string> = { [LI]: "zh-CN", [CHEN]: "en-US", [ZHANG]: "zh-TW" };
    for (const name of [LI, CHEN, ZHANG]) {
      const code = await newPairingCode(managerConsole, name);
      const browser = await launchExtension({ locale: locales[name]!, ...(name === CHEN ? { args: fixtures.browserArgs(), display: display.name } : {}) });
      reps.set(name, browser);
      const options = await pairInOptions(browser, edge.url, code);
      expect(await text(options, "paired-user")).toBe(name);
      expect(await options.getByTestId("open-console").count()).toBe(0);
      await options.close();
    }
    await managerConsole.close();
    const codes = await worker.query<{ name: string; created_by: string; used: number }>(
      `SELECT u.name, c.created_by, c.used_at IS NOT NULL AS used FROM pairing_codes c JOIN users u ON u.id = c.user_id WHERE c.org_id = ${sql(ORG_ID)} AND u.role = 'rep' ORDER BY u.name`,
    );
    expect(codes.map((c) => [c.created_by, c.used])).toEqual([
      [id(MANAGER), 1],
      [id(MANAGER), 1],
      [id(MANAGER), 1],
    ]);

    // Chen Jing turns the overlay on for Gmail (the browser's site access first, as the user grants it).
    await allowInBrowserSettings(rep(CHEN), ["https://mail.google.com/*"]);
    const options = await rep(CHEN).open("options.html");
    await options.getByTestId("site-toggle-gmail").click();
    await expect.poll(() => options.getByTestId("site-gmail").getAttribute("data-on")).toBe("true");
    await options.close();
    await admin.close();
  });
});

describe("journeys 2 and 3: a working week — logging from everywhere, the numbers, the cron's ladder", () => {
  test("Mon 1 Mar: popup, overlay, context menu and shortcut; badges, popups and the team table show the predicted numbers", async () => {
    morning("2027-03-01");
    await logDay(LI, { touch: 3, needs: 0, proposal: 0, demo: 0 });
    await logDay(CHEN, { touch: 6, needs: 3, proposal: 2, demo: 2 }, "240,000");
    await logDay(ZHANG, { touch: 4, needs: 3, proposal: 3, demo: 3 });

    expect(await activityCount(CHEN, "source = 'overlay'")).toBe(9);
    expect(await activityCount(CHEN, "source = 'context_menu' AND kind = 'demo_or_visit'")).toBe(2);
    expect(await activityCount(ZHANG, "source = 'shortcut' AND kind = 'touch'")).toBe(4);
    expect(await activityCount(LI)).toBe(3);
    const [won] = await worker.query<{ amount: number; day: string }>(`SELECT amount, day FROM activities WHERE user_id = ${sql(id(CHEN))} AND kind = 'won'`);
    expect(won).toEqual({ amount: 24_000_000, day: "2027-03-01" }); // dated by the server's clock, not the browser's

    expect(percent(24_000_000 / chenTarget)).toBe(65);
    expect(await popupView(CHEN)).toEqual({ completion: "65%", band: "green", counts: [6, 3, 2, 2], streak: expect.stringContaining("streak") });
    expect((await popupView(LI)).counts).toEqual([3, 0, 0, 0]);
    expect((await popupView(ZHANG)).counts).toEqual([4, 3, 3, 3]);
    // No working day of March has closed: nothing is expected yet, so every badge is green.
    await eventually(async () => [(await badgeOf(CHEN)).text, (await badgeOf(CHEN)).color], ["65%", rgba(BADGE_COLORS.green)]);
    await eventually(async () => [(await badgeOf(LI)).text, (await badgeOf(LI)).color], ["0%", rgba(BADGE_COLORS.green)]);
    await eventually(async () => (await badgeOf(ZHANG)).text, "0%");

    expect(await managerTable()).toEqual({ [LI]: ["0%", 3], [CHEN]: ["65%", 6], [ZHANG]: ["0%", 4] });
    const summary = await teamSummary(edge.url, manager);
    expect(summary.day).toBe("2027-03-01");
    const chen = summary.reps.find((r) => r.userId === id(CHEN))!;
    expect(chen.period).toMatchObject({ key: "2027-03", target: chenTarget, actual: 24_000_000, workingDays: 23, elapsedWorkingDays: 0, remainingWorkingDays: 23, pace: null, band: "green" });
    expect(chen.today).toEqual({ kpis: [
      { kind: "touch", count: 6, minimum: 6 },
      { kind: "needs_confirmed", count: 3, minimum: 3 },
      { kind: "proposal_sent", count: 2, minimum: 2 },
      { kind: "demo_or_visit", count: 2, minimum: 2 },
    ], status: "meets" });
    expect(summary.reps.find((r) => r.userId === id(LI))!.today.status).toBe("below");
  });

  test("Tue 2 Mar 09:00, cron: Monday closes — the 60 % tier for Chen Jing, no alert; the receiver gets it once", async () => {
    await worker.runCronAt(shanghai("2027-03-02", 9));
    await worker.runCronAt(shanghai("2027-03-02", 9)); // the same slot again (a retry): nothing new
    const awards = await worker.query<{ user_id: string; tier: number; period_key: string }>(`SELECT user_id, tier, period_key FROM awards WHERE org_id = ${sql(ORG_ID)} AND kind = 'tier'`);
    expect(awards).toEqual([{ user_id: id(CHEN), tier: 60, period_key: "2027-03" }]);
    expect(await worker.query(`SELECT id FROM alerts WHERE org_id = ${sql(ORG_ID)}`)).toEqual([]);
    const [org] = await worker.query<{ evaluated_through: string }>(`SELECT evaluated_through FROM orgs WHERE id = ${sql(ORG_ID)}`);
    expect(org!.evaluated_through).toBe("2027-03-01");
    const sent = delivered().filter((d) => d.kind !== "channel_test");
    expect(sent.map((d) => d.kind)).toEqual(["tier_reached"]);
  });

  test("Tue 2 Mar: Chen Jing reaches 81 %; the reps without revenue turn red (a working day has closed)", async () => {
    morning("2027-03-02");
    await logDay(LI, { touch: 5, needs: 1, proposal: 0, demo: 0 });
    await logDay(CHEN, { touch: 6, needs: 3, proposal: 2, demo: 2 }, "60,000");
    await logDay(ZHANG, { touch: 4, needs: 3, proposal: 3, demo: 3 });

    expect(percent(30_000_000 / chenTarget)).toBe(81);
    const chen = await popupView(CHEN);
    expect(chen).toMatchObject({ completion: "81%", band: "green", counts: [6, 3, 2, 2] });
    const li = await popupView(LI);
    expect(li).toMatchObject({ completion: "0%", band: "red", counts: [5, 1, 0, 0] });
    expect(li.streak).toContain("bad");
    await eventually(async () => [(await badgeOf(LI)).text, (await badgeOf(LI)).color], ["0%", rgba(BADGE_COLORS.red)]);
    await eventually(async () => [(await badgeOf(CHEN)).text, (await badgeOf(CHEN)).color], ["81%", rgba(BADGE_COLORS.green)]);
    expect(await managerTable()).toEqual({ [LI]: ["0%", 5], [CHEN]: ["81%", 6], [ZHANG]: ["0%", 4] });

    const progress = await progressOf(edge.url, rep(LI));
    expect(progress.streak).toEqual({ meets: 0, below: 1 });
    expect(progress.period).toMatchObject({ elapsedWorkingDays: 1, remainingWorkingDays: 22, pace: 0, band: "red" });
    expect(progress.period.requiredRunRate).toBeCloseTo(progress.period.target / 22, 6);
  });

  test("Wed 3 Mar 09:00, cron: yellow for Li Lei (two days below), the 80 % tier for Chen Jing — once each, even re-run", async () => {
    await worker.runCronAt(shanghai("2027-03-03", 9));
    await worker.runCronAt(shanghai("2027-03-03", 9, 15)); // the next 15-minute slot, the same day: nothing new
    const alerts = await worker.query<{ user_id: string; level: string; status: string }>(`SELECT user_id, level, status FROM alerts WHERE org_id = ${sql(ORG_ID)}`);
    expect(alerts).toEqual([{ user_id: id(LI), level: "yellow", status: "open" }]);
    const awards = await worker.query<{ tier: number }>(`SELECT tier FROM awards WHERE org_id = ${sql(ORG_ID)} AND kind = 'tier' AND user_id = ${sql(id(CHEN))} ORDER BY tier`);
    expect(awards.map((a) => a.tier)).toEqual([60, 80]);
    const sent = delivered().filter((d) => d.kind !== "channel_test");
    expect(sent.map((d) => d.kind).sort()).toEqual(["alert_yellow", "tier_reached", "tier_reached"]);
    expect(new Set(sent.map((d) => d.id)).size).toBe(3);

    // Li Lei sees the yellow alert in his popup; the manager sees it in hers.
    const popup = await openPopup(rep(LI));
    await popup.locator("[data-testid=alert][data-level=yellow]").waitFor();
    await screenshot(popup, "journey-li-yellow-zh-CN", "main");
    await popup.close();
    const team = await manager.open("popup.html");
    await team.locator("[data-testid=alert][data-level=yellow]").waitFor();
    await team.close();
  });

  test("Wed 3 Mar: Li Lei is below a third day", async () => {
    morning("2027-03-03");
    await logDay(LI, { touch: 2, needs: 0, proposal: 0, demo: 0 });
    await logDay(CHEN, { touch: 6, needs: 3, proposal: 2, demo: 2 });
    await logDay(ZHANG, { touch: 4, needs: 3, proposal: 3, demo: 3 });
    const progress = await progressOf(edge.url, rep(LI));
    expect(progress.streak).toEqual({ meets: 0, below: 2 });
    expect(progress.alertLevel).toBe("yellow");
    expect(await managerTable()).toEqual({ [LI]: ["0%", 2], [CHEN]: ["81%", 6], [ZHANG]: ["0%", 4] });
  });

  test("Thu 4 Mar 09:00, cron: orange supersedes yellow, a 1:1 coaching task for the manager due Friday; shown to both", async () => {
    await worker.runCronAt(shanghai("2027-03-04", 9));
    await worker.runCronAt(shanghai("2027-03-04", 9));
    const alerts = await worker.query<{ level: string; status: string }>(`SELECT level, status FROM alerts WHERE org_id = ${sql(ORG_ID)} AND user_id = ${sql(id(LI))} ORDER BY opened_at`);
    expect(alerts).toEqual([{ level: "orange", status: "open" }]); // the same streak's alert, escalated
    const tasks = await worker.query<{ assignee_id: string; kind: string; due_day: string; status: string }>(`SELECT assignee_id, kind, due_day, status FROM coaching_tasks WHERE org_id = ${sql(ORG_ID)}`);
    expect(tasks).toEqual([{ assignee_id: id(MANAGER), kind: "coaching", due_day: "2027-03-05", status: "open" }]);
    const sent = delivered().filter((d) => d.kind !== "channel_test");
    expect(sent.map((d) => d.kind).sort()).toEqual(["alert_orange", "alert_yellow", "tier_reached", "tier_reached"]);
    expect(new Set(sent.map((d) => d.id)).size).toBe(4);
    expect(receiver.requests.filter((r) => r.path === "/hook")).toHaveLength(5); // + the console's test message

    morning("2027-03-04");
    const popup = await openPopup(rep(LI));
    await popup.locator("[data-testid=alert][data-level=orange]").waitFor();
    expect(await popup.locator("[data-testid=alert][data-level=yellow]").count()).toBe(0);
    await popup.close();
    const team = await manager.open("popup.html");
    await team.locator("[data-testid=alert][data-level=orange]").waitFor();
    await team.locator("[data-testid=task]").first().waitFor();
    await screenshot(team, "journey-manager-orange-zh-CN", "main");
    await team.close();
  });
});
