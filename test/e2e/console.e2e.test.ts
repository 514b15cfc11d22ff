/**
 * Issue 8, end to end on the real stack: Chromium with the built extension, the worker on local workerd (wrangler dev)
 * with a freshly migrated, empty D1, and a real webhook receiver on 127.0.0.1.
 *
 * An admin created the bootstrap way (`npm run bootstrap`, on the worker's local D1) pairs in the options page and opens the
 * console from there; in the console they set up the org from zero — settings and the holiday calendar, a team, a
 * manager, two reps, an annual target decomposed (with edits) and applied, a webhook channel with a test send — import
 * activities after a dry run, work an alert and a weekly review; then a rep pairs with a code made in the console.
 * Every page is screenshotted in en and zh-CN (artifacts/console/), checked for labelled controls, for keyboard
 * navigation, and for no horizontal overflow at 1280×800 and at 200 % zoom.
 */
import { mkdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { Page } from "playwright-core";
import { ARTIFACTS, launchExtension, type ExtensionBrowser } from "../helpers/browser";
import { startWorker, type WorkerHandle } from "../helpers/worker";
import { startReceiver, type Receiver } from "../helpers/receiver";
import { bootstrap } from "../../worker/scripts/bootstrap";
import { executeLocal } from "../../worker/scripts/local-d1";

const ORG_ID = "org_e2e_console";
const ADMIN = { name: "Zhou Min" };
const SHOTS = join(ARTIFACTS, "console");
const PAGES = ["board", "alerts", "targets", "people", "channels", "import", "settings"] as const;

let worker: WorkerHandle;
let browser: ExtensionBrowser;
let receiver: Receiver;
let console_: Page;
let adminCode: string;
let adminId: string;
const year = new Date().getUTCFullYear();

const q = (value: string) => `'${value.replace(/'/g, "''")}'`;

/** The first admin of a new org, the way an operator creates it: `npm run bootstrap` on the worker's local D1. */
async function bootstrapAdmin(): Promise<string> {
  const created = await bootstrap(
    ["--org", "New Org", "--admin", ADMIN.name, "--email", "admin@e2e.example", "--tz", "UTC", "--lang", "en", "--id", ORG_ID, "--persist-to", worker.persistTo],
  );
  adminId = created.admin.id;
  return created.code;
}

async function api<T>(path: string, token: string): Promise<T> {
  const res = await fetch(`${worker.url}${path}`, { headers: { authorization: `Bearer ${token}` } });
  expect(res.status, path).toBe(200);
  return (await res.json()) as T;
}

async function token(b: ExtensionBrowser): Promise<string> {
  return (await b.storage<{ settings: { token: string } }>("settings")).settings.token;
}

async function text(page: Page, testId: string): Promise<string> {
  return (await page.getByTestId(testId).first().textContent())?.trim() ?? "";
}

async function go(page: Page, route: string): Promise<void> {
  await page.evaluate((r) => (location.hash = `#/${r}`), route);
  await page.locator(`[data-testid="nav-${route}"][aria-current="page"]`).waitFor();
  await page.locator("#page-title").waitFor();
}

async function shot(page: Page, name: string): Promise<void> {
  await mkdir(SHOTS, { recursive: true });
  await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
}

async function pairInOptions(b: ExtensionBrowser, code: string): Promise<Page> {
  const options = await b.open("options.html");
  await options.getByTestId("server-url").fill(worker.url);
  await options.getByTestId("pairing-code").fill(code);
  await options.getByTestId("pair-button").click();
  await options.getByTestId("paired-user").waitFor();
  return options;
}

/** Every form control and button has an accessible name (a label, aria-label or its text). */
async function unlabelled(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const missing: string[] = [];
    for (const el of Array.from(document.querySelectorAll<HTMLElement>("main input, main select, main textarea, main button, nav a"))) {
      if (el instanceof HTMLInputElement && el.type === "hidden") continue;
      const labelled =
        (el as HTMLInputElement).labels?.length ||
        el.getAttribute("aria-label") ||
        el.getAttribute("aria-labelledby") ||
        (el.tagName !== "INPUT" && el.tagName !== "SELECT" && el.tagName !== "TEXTAREA" && el.textContent?.trim());
      if (!labelled) missing.push(el.outerHTML.slice(0, 120));
    }
    return missing;
  });
}

/** Widths of the page and of the main column beyond their boxes (0 = nothing sticks out sideways). */
async function overflow(page: Page): Promise<{ document: number; main: number }> {
  return page.evaluate(() => {
    const main = document.querySelector<HTMLElement>("#page")!;
    return {
      document: document.documentElement.scrollWidth - document.documentElement.clientWidth,
      main: main.scrollWidth - main.clientWidth,
    };
  });
}

async function eventually<T>(read: () => Promise<T>, check: (value: T) => boolean, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last = await read();
  while (!check(last) && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 250));
    last = await read();
  }
  expect(check(last), JSON.stringify(last)).toBe(true);
  return last;
}

beforeAll(async () => {
  worker = await startWorker();
  adminCode = await bootstrapAdmin();
  receiver = await startReceiver();
  browser = await launchExtension();
});

afterAll(async () => {
  await browser?.close();
  await worker?.dispose();
  await receiver?.close();
});

describe("console: an admin sets up an org from zero", () => {
  test("the admin pairs in the options page and opens the console from there", async () => {
    const options = await pairInOptions(browser, adminCode);
    expect(await text(options, "paired-user")).toBe(ADMIN.name);
    const [page] = await Promise.all([browser.context.waitForEvent("page"), options.getByTestId("open-console").click()]);
    console_ = page;
    await console_.setViewportSize({ width: 1280, height: 800 });
    await console_.waitForURL(/\/console\.html/);
    await console_.getByTestId("console-user").waitFor();
    expect(await text(console_, "console-user")).toContain(ADMIN.name);
    expect(await console_.getByTestId("nav-settings").count()).toBe(1);
    await options.close();
  });

  test("org settings: calendar, KPI minimums and weights; a schema error shows next to its field", async () => {
    await go(console_, "settings");
    await console_.getByTestId("field-name").fill("Acme Sales");
    await console_.getByTestId("field-timeZone").fill("Asia/Shanghai");
    const holiday = (await console_.locator('[data-testid="calendar"] [data-kind="working"]').first().getAttribute("data-day"))!;
    const makeup = (await console_.locator('[data-testid="calendar"] [data-kind="off"]').first().getAttribute("data-day"))!;
    await console_.locator(`[data-day="${holiday}"]`).click();
    // Keyboard: focus the make-up day and toggle it with Space.
    await console_.locator(`[data-day="${makeup}"]`).focus();
    await console_.keyboard.press("Space");
    expect(await console_.locator(`[data-day="${holiday}"]`).getAttribute("data-kind")).toBe("holiday");
    expect(await console_.locator(`[data-day="${makeup}"]`).getAttribute("data-kind")).toBe("makeup");
    await console_.getByTestId("field-settings.kpiOverrides.junior.touch").fill("9");
    await console_.getByTestId("field-settings.scoreWeights.result").fill("80");
    await console_.getByTestId("field-settings.scoreWeights.process").fill("30");
    await console_.getByTestId("settings-save").click();
    expect(await text(console_, "error-settings.scoreWeights.result")).toBe("result + process must be 100");
    expect(await console_.getByTestId("field-settings.scoreWeights.result").getAttribute("aria-invalid")).toBe("true");

    await console_.getByTestId("field-settings.scoreWeights.process").fill("20");
    await console_.getByTestId("privacy-neighbours").check();
    await console_.getByTestId("field-settings.keyCustomerSilenceDays").fill("5");
    await console_.getByTestId("settings-save").click();
    await console_.getByTestId("settings-saved").waitFor();
    await shot(console_, "settings-en");

    const org = await api<{ name: string; timeZone: string; holidays: string[]; makeupWorkdays: string[]; settings: Record<string, unknown> }>("/v1/org", await token(browser));
    expect(org).toMatchObject({ name: "Acme Sales", timeZone: "Asia/Shanghai", holidays: [holiday], makeupWorkdays: [makeup] });
    expect(org.settings).toMatchObject({
      kpiOverrides: { junior: { touch: 9 } },
      scoreWeights: { result: 80, process: 20 },
      leaderboardPrivacy: "neighbours",
      keyCustomerSilenceDays: 5,
    });
  });

  test("teams and people: a team, its manager (its leader) and two reps", async () => {
    await go(console_, "people");
    await console_.getByTestId("add-team").click();
    await console_.getByTestId("team-form").getByTestId("field-name").fill("East China");
    await console_.getByTestId("team-save").click();
    await console_.getByTestId("team-East China").waitFor();

    const addPerson = async (name: string, fields: { role?: string; seniority: string; manager?: string }) => {
      await console_.getByTestId("add-user").click();
      const form = console_.getByTestId("user-form");
      await form.getByTestId("field-name").fill(name);
      if (fields.role) await form.getByTestId("field-role").selectOption(fields.role);
      await form.getByTestId("field-seniority").selectOption(fields.seniority);
      await form.getByTestId("field-teamId").selectOption({ label: "East China" });
      if (fields.manager) await form.getByTestId("field-managerId").selectOption({ label: `${fields.manager} (Manager)` });
      await form.getByTestId("user-save").click();
      await console_.getByTestId(`user-${name}`).waitFor();
    };
    // The form refuses an empty name before anything is sent.
    await console_.getByTestId("add-user").click();
    await console_.getByTestId("user-save").click();
    expect(await text(console_, "error-name")).toBe("Required");
    await console_.getByRole("button", { name: "Cancel" }).click();

    await addPerson("Wang Fang", { role: "manager", seniority: "senior" });
    await console_.getByRole("button", { name: "Edit team East China" }).click();
    await console_.getByTestId("team-form").getByTestId("field-leaderId").selectOption({ label: "Wang Fang" });
    await console_.getByTestId("team-save").click();
    await eventually(() => text(console_, "team-East China"), (t) => t.includes("Wang Fang"));
    await addPerson("Li Lei", { seniority: "junior", manager: "Wang Fang" });
    await addPerson("Chen Jing", { seniority: "mid", manager: "Wang Fang" });
    await shot(console_, "people-en");

    const rows = await worker.query<{ name: string; role: string; seniority: string; team: string; manager: string | null }>(
      `SELECT u.name, u.role, u.seniority, t.name AS team, m.name AS manager FROM users u LEFT JOIN teams t ON t.id = u.team_id LEFT JOIN users m ON m.id = u.manager_id WHERE u.org_id = ${q(ORG_ID)} AND u.id != ${q(adminId)} ORDER BY u.name`,
    );
    expect(rows).toEqual([
      { name: "Chen Jing", role: "rep", seniority: "mid", team: "East China", manager: "Wang Fang" },
      { name: "Li Lei", role: "rep", seniority: "junior", team: "East China", manager: "Wang Fang" },
      { name: "Wang Fang", role: "manager", seniority: "senior", team: "East China", manager: null },
    ]);
    const [team] = await worker.query<{ leader: string }>(`SELECT u.name AS leader FROM teams t JOIN users u ON u.id = t.leader_id WHERE t.org_id = ${q(ORG_ID)}`);
    expect(team!.leader).toBe("Wang Fang");
  });

  test("targets: last year × growth, decomposed, edited (totals stay exact) and applied", async () => {
    const [li] = await worker.query<{ id: string }>(`SELECT id FROM users WHERE org_id = ${q(ORG_ID)} AND name = 'Li Lei'`);
    await go(console_, "targets");
    await console_.getByTestId("field-year").fill(String(year));
    await console_.getByTestId("field-lastYearActual").fill("12,000,000");
    await console_.getByTestId("field-growth").fill("10");
    expect(await text(console_, "computed-annual")).toContain("13,200,000");
    await console_.getByTestId("plan-preview").click();
    await console_.getByTestId("plan-editor").waitFor();
    expect(await console_.getByTestId("cell-year").inputValue()).toBe("13,200,000");

    const jan = console_.getByTestId(`cell-${year}-01`);
    await jan.fill("1000000");
    await jan.press("Enter");
    await eventually(() => console_.getByTestId(`cell-${year}-02`).inputValue(), (v) => v === "1,150,000");
    expect(await console_.getByTestId(`cell-${year}-Q1`).inputValue()).toBe("3,300,000");
    const liMarch = console_.getByTestId(`cell-${year}-03-${li!.id}`);
    await liMarch.fill("500000");
    await liMarch.press("Tab");
    await eventually(() => liMarch.inputValue(), (v) => v === "500,000");
    await eventually(() => console_.getByTestId(`cell-${year}-03`).inputValue(), (v) => v === "1,150,000");
    expect(await text(console_, "plan-status")).toContain("adds up exactly");
    await shot(console_, "targets-en");

    await console_.getByTestId("field-reason").fill("Last year 12,000,000 + 10 %, January lighter");
    await console_.getByTestId("plan-apply").click();
    await console_.getByTestId("plan-applied").waitFor();
    // Li Lei's March and the colleague who took the difference: both differ from the split rule, so both get a version.
    expect(await text(console_, "plan-applied")).toMatch(/2 rep months set from your edits/);

    type Row = { scope: string; subject_id: string; period_kind: string; period_key: string; amount: number; version: number };
    const rows = await worker.query<Row>(`SELECT scope, subject_id, period_kind, period_key, amount, version FROM targets WHERE org_id = ${q(ORG_ID)} AND level = 'base'`);
    const org = (kind: string, key: string) => rows.find((r) => r.scope === "org" && r.period_kind === kind && r.period_key === key)!;
    expect(org("year", String(year)).amount).toBe(1_320_000_000);
    expect(org("month", `${year}-01`).amount).toBe(100_000_000);
    expect(org("month", `${year}-02`).amount).toBe(115_000_000);
    expect(org("quarter", `${year}-Q1`).amount).toBe(330_000_000);
    // Every org month is exactly the sum of its reps' months; quarters of months; the year of quarters.
    const months = rows.filter((r) => r.scope === "org" && r.period_kind === "month");
    expect(months).toHaveLength(12);
    for (const m of months) {
      const reps = rows.filter((r) => r.scope === "rep" && r.period_key === m.period_key);
      expect(reps).toHaveLength(2);
      expect(reps.reduce((n, r) => n + r.amount, 0)).toBe(m.amount);
    }
    const quarters = rows.filter((r) => r.scope === "org" && r.period_kind === "quarter");
    expect(quarters.reduce((n, r) => n + r.amount, 0)).toBe(1_320_000_000);
    const march = rows.filter((r) => r.scope === "rep" && r.period_key === `${year}-03`);
    expect(march.find((r) => r.subject_id === li!.id)).toMatchObject({ amount: 50_000_000, version: 2 });
    expect(march.find((r) => r.subject_id !== li!.id)).toMatchObject({ amount: 115_000_000 - 50_000_000, version: 2 });
    const versions = await worker.query<{ version: number; reason: string }>(
      `SELECT v.version, v.reason FROM target_versions v JOIN targets t ON t.id = v.target_id WHERE t.org_id = ${q(ORG_ID)} AND t.scope = 'rep' AND t.subject_id = ${q(li!.id)} AND t.period_key = ${q(`${year}-03`)} ORDER BY v.version`,
    );
    expect(versions.map((v) => v.reason)).toEqual(["Last year 12,000,000 + 10 %, January lighter", "Last year 12,000,000 + 10 %, January lighter"]);

    // The list shows the stored year; its history has the version with the reason.
    await console_.getByTestId(`target-org-${year}-base`).getByRole("button").click();
    await console_.getByTestId("version-history").waitFor();
    expect(await text(console_, "version-history")).toContain("January lighter");

    // Mid-period: Li Lei's current month gets a new amount; what is still missing is re-spread over the days left.
    const month = new Date().toISOString().slice(0, 7);
    await console_.getByTestId("field-list-periodKind").selectOption("month");
    await console_.getByTestId("field-list-scope").selectOption("rep");
    await console_.locator(`[data-testid="target-rep-${month}-base"][data-subject="Li Lei"]`).getByRole("button").click();
    await console_.getByTestId("target-detail").getByTestId("field-amount").fill("600000");
    await console_.getByTestId("target-detail").getByTestId("field-reason").fill("Big deal expected");
    expect(await text(console_, "respread")).toMatch(/^Preview:/);
    await console_.getByTestId("adjust-save").click();
    await eventually(() => text(console_, "respread"), (t) => t.startsWith("Saved:"));
    const [adjusted] = await worker.query<{ amount: number; version: number }>(
      `SELECT amount, version FROM targets WHERE org_id = ${q(ORG_ID)} AND scope = 'rep' AND subject_id = ${q(li!.id)} AND period_kind = 'month' AND period_key = ${q(month)} AND level = 'base'`,
    );
    expect(adjusted).toEqual({ amount: 60_000_000, version: month === `${year}-03` ? 3 : 2 });
    await shot(console_, "targets-adjust-en");
  });

  test("channels: a signed webhook to a receiver on 127.0.0.1, a test send, and its delivery log", async () => {
    await go(console_, "channels");
    await console_.getByTestId("add-channel").click();
    const form = console_.getByTestId("channel-form");
    await form.getByTestId("field-name").fill("Team webhook");
    await form.getByTestId("field-config.url").fill("not a url");
    await form.getByTestId("channel-save").click();
    expect(await text(console_, "error-config.url")).toBe("Enter a full address starting with https:// or http://");
    expect(await text(console_, "error-secret")).toBe("Required");
    await form.getByTestId("field-config.url").fill(`${receiver.url}/hook`);
    await form.getByTestId("field-secret").fill("s3cret-signing-key");
    await form.getByTestId("channel-save").click();
    await console_.getByTestId("channel-Team webhook").waitFor();

    await console_.getByTestId("test-Team webhook").click();
    await eventually(() => text(console_, "test-result"), (t) => t.includes("delivered"));
    expect(receiver.requests).toHaveLength(1);
    expect(receiver.requests[0]!.path).toBe("/hook");
    expect(receiver.requests[0]!.headers["x-hud-signature"]).toBeTruthy();
    expect(JSON.parse(receiver.requests[0]!.body)).toBeTypeOf("object");
    await console_.locator('[data-testid="delivery-row"][data-status="sent"]').waitFor();
    expect(await console_.getByTestId("delivery-row").count()).toBe(1);
    await shot(console_, "channels-en");
  });

  test("import: a row-by-row report before anything is written, then the import; an export downloads", async () => {
    const [li] = await worker.query<{ id: string }>(`SELECT id FROM users WHERE org_id = ${q(ORG_ID)} AND name = 'Li Lei'`);
    const at = new Date(Date.now() - 3_600_000).toISOString().replace(/\.\d+Z$/, ".000Z");
    const csv = (kind: string) =>
      [
        "client_event_id,user_id,kind,occurred_at,amount,customer,source",
        `6b1f3b1e-0000-4000-8000-000000000001,${li!.id},won,${at},2500000,ACME,api`,
        `6b1f3b1e-0000-4000-8000-000000000002,${li!.id},${kind},${at},,,api`,
      ].join("\n");
    await go(console_, "import");
    await console_.getByTestId("field-import-kind").selectOption("activities");
    await console_.getByTestId("field-import-text").fill(csv("call"));
    await console_.getByTestId("import-check").click();
    await console_.getByTestId("import-problems").waitFor();
    const problem = console_.getByTestId("import-problem").first();
    expect(await problem.locator("th").textContent()).toBe("2");
    expect(await problem.locator("td").first().textContent()).toBe("kind");
    expect(await console_.getByTestId("import-run").isDisabled()).toBe(true);
    await shot(console_, "import-problems-en");
    const count = async () => (await worker.query<{ n: number }>(`SELECT count(*) AS n FROM activities WHERE org_id = ${q(ORG_ID)}`))[0]!.n;
    expect(await count()).toBe(0);

    await console_.getByTestId("field-import-text").fill(csv("touch"));
    await console_.getByTestId("import-check").click();
    await console_.getByTestId("import-checked").waitFor();
    expect(await text(console_, "import-checked")).toContain("2 rows: 2 new");
    expect(await count()).toBe(0);
    await console_.getByTestId("import-run").click();
    await console_.getByTestId("import-done").waitFor();
    expect(await count()).toBe(2);
    await shot(console_, "import-en");

    const [download] = await Promise.all([console_.waitForEvent("download"), console_.getByTestId("export-run").click()]);
    const file = await readFile((await download.path())!, "utf8");
    expect(file.replace(/^\uFEFF/, "").split(/\r?\n/)[0]).toBe("scope,subject_id,subject_name,metric,period_kind,period_key,period_start,period_end,level,amount");
    expect(file).toContain(`org,${ORG_ID},`);
  });

  test("alerts and the weekly review (复盘): acknowledge, then complete the review with a note", async () => {
    const [li] = await worker.query<{ id: string }>(`SELECT id FROM users WHERE org_id = ${q(ORG_ID)} AND name = 'Li Lei'`);
    const [wang] = await worker.query<{ id: string }>(`SELECT id FROM users WHERE org_id = ${q(ORG_ID)} AND name = 'Wang Fang'`);
    const now = Date.now();
    const lastWeek = new Date(now - 7 * 86_400_000).toISOString().slice(0, 10);
    // What the cron writes at a week's close when completion < 40 %: a red alert and a review item for the manager.
    await executeLocal(
      [
        `INSERT INTO alerts (id, org_id, user_id, level, rule, natural_key, status, details, opened_at) VALUES ('al_e2e_red', ${q(ORG_ID)}, ${q(li!.id)}, 'red', 'weekly_completion', ${q(`weekly_completion:${li!.id}:${lastWeek}`)}, 'open', ${q(JSON.stringify({ anchor: lastWeek, seniorHelp: false, params: {} }))}, ${now})`,
        `INSERT INTO coaching_tasks (id, org_id, user_id, assignee_id, alert_id, kind, natural_key, due_day, status, created_at) VALUES ('task_e2e_review', ${q(ORG_ID)}, ${q(li!.id)}, ${q(wang!.id)}, 'al_e2e_red', 'review', ${q(`review:${li!.id}:${lastWeek}`)}, ${q(new Date(now).toISOString().slice(0, 10))}, 'open', ${now})`,
      ],
      worker.persistTo,
    );
    await go(console_, "alerts");
    await console_.getByTestId("alert-row").waitFor();
    await console_.getByRole("button", { name: "Acknowledge the alert of Li Lei" }).click();
    await eventually(() => text(console_, "alert-row"), (t) => t.includes("Acknowledged"));
    await console_.getByRole("button", { name: "Open the task about Li Lei" }).click();
    await console_.getByTestId("week-numbers").waitFor();
    expect(await text(console_, "week-numbers")).toMatch(/Week \d{4}-W\d{2}/);
    await console_.getByTestId("task-complete").click();
    expect(await text(console_, "error-note")).toBe("Required");
    await console_.getByTestId("field-note").fill("Reviewed the pipeline; two demos booked for Tuesday.");
    await shot(console_, "alerts-en");
    await console_.getByTestId("task-complete").click();
    await eventually(
      async () => (await worker.query<{ status: string; note: string | null }>(`SELECT status, note FROM coaching_tasks WHERE id = 'task_e2e_review'`))[0]!,
      (row) => row.status === "done" && row.note === "Reviewed the pipeline; two demos booked for Tuesday.",
    );
    const [alert] = await worker.query<{ status: string }>(`SELECT status FROM alerts WHERE id = 'al_e2e_red'`);
    expect(alert!.status).toBe("acknowledged");
  });

  test("team board: every rep with progress and pace, the progress chart against the pace line, the funnel", async () => {
    await go(console_, "board");
    await console_.getByTestId("board-rep-Li Lei").waitFor();
    await console_.getByTestId("board-rep-Chen Jing").waitFor();
    await console_.getByTestId("progress-chart").waitFor();
    await console_.getByTestId("funnel-chart").waitFor();
    expect(await console_.getByTestId("pace-line").getAttribute("points")).toMatch(/\d/);
    await shot(console_, "board-en");
  });

  test("a rep pairs with a code made in the console (text + QR), and the rep gets no console", async () => {
    await go(console_, "people");
    await console_.getByTestId("pair-Li Lei").click();
    await console_.getByTestId("create-pairing-code").click();
    await console_.getByTestId("pairing-qr").waitFor();
    const code = (await text(console_, "pairing-code-text")).replace(/\s/g, "");
    expect(code).toMatch(/^[23456789ABCDEFGHJKMNPQRSTUVWXYZ]{8}$/);
    expect(Number(await console_.getByTestId("pairing-qr").getAttribute("data-version"))).toBeGreaterThanOrEqual(1);
    await shot(console_, "people-pairing-en");

    const rep = await launchExtension();
    try {
      const options = await pairInOptions(rep, code);
      expect(await text(options, "paired-user")).toBe("Li Lei");
      expect(await options.getByTestId("open-console").count()).toBe(0);
      const page = await rep.context.newPage();
      await page.goto(`chrome-extension://${rep.extensionId}/console.html`);
      await page.getByTestId("console-not-leader").waitFor();
    } finally {
      await rep.close();
    }
    await console_.getByTestId("devices-Li Lei").click();
    await console_.getByTestId("device-row").waitFor();
    expect(await console_.getByTestId("device-row").count()).toBe(1);
  });

  test("keyboard: skip link and navigation; labelled controls and no sideways overflow on every page (1280×800, 200 %)", async () => {
    await go(console_, "board");
    await console_.reload();
    await console_.getByTestId("console-user").waitFor();
    await console_.locator("#page-title").waitFor();
    await console_.keyboard.press("Tab");
    expect(await console_.evaluate(() => document.activeElement?.className)).toBe("skip");
    let guard = 0;
    while ((await console_.evaluate(() => document.activeElement?.getAttribute("data-testid"))) !== "nav-alerts" && guard++ < 10) await console_.keyboard.press("Tab");
    await console_.keyboard.press("Enter");
    await console_.locator('[data-testid="nav-alerts"][aria-current="page"]').waitFor();
    await eventually(() => console_.evaluate(() => document.activeElement?.id ?? ""), (id) => id === "page-title");

    for (const page of PAGES) {
      await go(console_, page);
      await console_.waitForLoadState("networkidle");
      expect(await unlabelled(console_), page).toEqual([]);
      expect(await overflow(console_), `${page} at 1280×800`).toEqual({ document: 0, main: 0 });
    }
    // 200 % zoom of a 1280×800 window lays out like a 640×400 CSS-pixel viewport: the navigation moves above the page.
    await console_.setViewportSize({ width: 640, height: 400 });
    for (const page of PAGES) {
      await go(console_, page);
      expect(await overflow(console_), `${page} at 200 %`).toEqual({ document: 0, main: 0 });
      const stacked = await console_.evaluate(() => document.querySelector("nav")!.getBoundingClientRect().bottom <= document.querySelector("#page")!.getBoundingClientRect().top + 1);
      expect(stacked, page).toBe(true);
    }
    // Screenshots of the zoomed layout: a taller window of the same width (a full-page capture would re-lay it out).
    await console_.setViewportSize({ width: 640, height: 1100 });
    for (const page of ["targets", "people"] as const) {
      await go(console_, page);
      await mkdir(SHOTS, { recursive: true });
      await console_.screenshot({ path: join(SHOTS, `${page}-200pct-en.png`) });
    }
    await console_.setViewportSize({ width: 1280, height: 800 });
  });

  test("the console follows the language chosen on the options page (zh-TW), live", async () => {
    const options = await browser.open("options.html");
    await options.getByTestId("language").selectOption("zh-TW");
    await eventually(() => text(console_, "nav-board"), (label) => label === "團隊看板");
    await go(console_, "board");
    await console_.getByTestId("progress-chart").waitFor();
    await shot(console_, "board-zh-TW");
    await options.getByTestId("language").selectOption("auto");
    await eventually(() => text(console_, "nav-board"), (label) => label === "Team board");
    await options.close();
  });

  test("zh-CN: every page in Chinese, screenshotted", async () => {
    // The admin makes a code for their own second browser.
    await go(console_, "people");
    await console_.getByTestId(`pair-${ADMIN.name}`).click();
    await console_.getByTestId("create-pairing-code").click();
    const code = (await text(console_, "pairing-code-text")).replace(/\s/g, "");

    const zh = await launchExtension({ locale: "zh-CN" });
    try {
      const options = await pairInOptions(zh, code);
      const [page] = await Promise.all([zh.context.waitForEvent("page"), options.getByTestId("open-console").click()]);
      await page.setViewportSize({ width: 1280, height: 800 });
      await page.getByTestId("console-user").waitFor();
      expect(await text(page, "nav-board")).toBe("团队看板");
      for (const name of PAGES) {
        await go(page, name);
        await page.waitForLoadState("networkidle");
        if (name === "board") await page.getByTestId("progress-chart").waitFor();
        if (name === "targets") {
          await page.getByTestId("target-list").locator("tbody tr").first().waitFor();
          await page.getByTestId("field-lastYearActual").fill("12,000,000");
          await page.getByTestId("plan-preview").click();
          await page.getByTestId("plan-editor").waitFor();
          expect(await text(page, "plan-status")).toContain("合计完全一致");
        }
        if (name === "channels") await page.getByTestId("channel-Team webhook").waitFor();
        expect(await overflow(page), name).toEqual({ document: 0, main: 0 });
        await shot(page, `${name}-zh-CN`);
      }
    } finally {
      await zh.close();
    }
  });
});
