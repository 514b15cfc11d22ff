/**
 * What the user journeys share: waiting, reading the UI, pairing, the popup, the keyboard shortcut, and the org's clock.
 * Everything drives the real product (the built extension in Chromium, the worker in local workerd) — nothing here
 * calls into the extension's code.
 */
import { createServer, type Server } from "node:http";
import { expect } from "vitest";
import type { Page } from "playwright-core";
import type { ExtensionBrowser } from "../../helpers/browser";
import { eventually } from "../../helpers/wait";
import { bootstrap } from "../../../worker/scripts/bootstrap";
import { ProgressResponse, TeamSummaryResponse } from "../../../shared/schemas/progress";

/** Epoch ms of a wall-clock time in Asia/Shanghai (UTC+8, no daylight saving). */
export function shanghai(day: string, hh = 0, mm = 0): number {
  return Date.parse(`${day}T${String(hh).padStart(2, "0")}:${String(mm).padStart(2, "0")}:00+08:00`);
}

export const sql = (value: string) => `'${value.replace(/'/g, "''")}'`;

export { eventually };

export async function text(page: Page, testId: string): Promise<string> {
  return (await page.getByTestId(testId).first().textContent())?.trim() ?? "";
}

/** Pairs in the options page, the way a user does; returns the options page. */
export async function pairInOptions(browser: ExtensionBrowser, serverUrl: string, code: string): Promise<Page> {
  const options = await browser.open("options.html");
  await options.getByTestId("server-url").fill(serverUrl);
  await options.getByTestId("pairing-code").fill(code);
  await options.getByTestId("pair-button").click();
  await options.locator('[data-testid="paired-user"], [data-testid="pair-error"]').first().waitFor();
  if ((await options.getByTestId("pair-error").count()) > 0) throw new Error(`pairing with ${code} failed: ${await text(options, "pair-error")}`);
  return options;
}

export async function deviceToken(browser: ExtensionBrowser): Promise<string> {
  return (await browser.storage<{ settings: { token: string } }>("settings")).settings.token;
}

/** GET on the API with this browser's device token (through the same edge as the browser, so on the same clock). */
export async function apiGet(serverUrl: string, browser: ExtensionBrowser, path: string): Promise<Response> {
  return fetch(`${serverUrl}${path}`, { headers: { authorization: `Bearer ${await deviceToken(browser)}` } });
}

export async function progressOf(serverUrl: string, browser: ExtensionBrowser, userId?: string): Promise<ProgressResponse> {
  const res = await apiGet(serverUrl, browser, `/v1/progress${userId ? `?userId=${userId}` : ""}`);
  expect(res.status).toBe(200);
  return ProgressResponse.parse(await res.json());
}

export async function teamSummary(serverUrl: string, browser: ExtensionBrowser): Promise<TeamSummaryResponse> {
  const res = await apiGet(serverUrl, browser, "/v1/team/summary");
  expect(res.status).toBe(200);
  return TeamSummaryResponse.parse(await res.json());
}

/** Opens the toolbar popup (as a tab) and waits until it has synced: nothing pending, today's rings drawn. */
export async function openPopup(browser: ExtensionBrowser): Promise<Page> {
  const popup = await browser.open("popup.html");
  await popup.setViewportSize({ width: 400, height: 900 });
  await popup.getByTestId("count-touch").waitFor();
  await eventually(() => text(popup, "pending-count"), "0");
  return popup;
}

/** Clicks a kind's button in the popup `n` times. */
export async function clickLog(popup: Page, kind: string, n: number): Promise<void> {
  for (let i = 0; i < n; i++) await popup.getByTestId(`log-${kind}`).click();
}

/** Logs a won deal with an amount through the popup's form. */
export async function logWon(popup: Page, amount: string): Promise<void> {
  await popup.getByTestId("log-won").click();
  await popup.getByTestId("won-amount").fill(amount);
  await popup.getByTestId("won-submit").click();
  await popup.getByTestId("won-form").waitFor({ state: "detached" });
}

/**
 * Alt+Shift+L on a web page, as Chromium's input pipeline sees a real key press (DevTools protocol), so the browser matches
 * the extension's accelerator and dispatches commands.onCommand to the service worker.
 */
export async function pressShortcut(browser: ExtensionBrowser, page: Page): Promise<void> {
  await page.bringToFront();
  const cdp = await browser.context.newCDPSession(page);
  const ALT = 1;
  const SHIFT = 8;
  for (const type of ["rawKeyDown", "keyUp"] as const) {
    await cdp.send("Input.dispatchKeyEvent", { type, modifiers: ALT | SHIFT, key: "L", code: "KeyL", windowsVirtualKeyCode: 76, nativeVirtualKeyCode: 76 });
  }
  await cdp.detach();
}

/** The number of events still waiting in this browser's outbox. */
export async function outboxSize(browser: ExtensionBrowser): Promise<number> {
  const stored = await browser.storage<Record<string, unknown>>(null);
  return Object.keys(stored).filter((key) => key.startsWith("outbox:")).length;
}

/** A plain web page on 127.0.0.1 (a web CRM the rep has open, no overlay site) for shortcuts and menus. */
export async function startPlainPage(): Promise<{ url: string; close(): Promise<void> }> {
  const server: Server = createServer((_req, res) => {
    res.setHeader("content-type", "text/html; charset=utf-8");
    res.end("<!doctype html><title>CRM</title><h1>Deal: Lumen Logistics renewal</h1><p>Contact: li@lumen.example</p>");
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  return { url: `http://127.0.0.1:${port}/deal/42`, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

/** Floor of a completion ratio in percent, as the badge and the popup print it. */
export const percent = (ratio: number) => Math.floor(ratio * 100 + 1e-9);

/** JSON over the API (through the edge, so on the server's clock) with a bearer token; returns status and body. */
export async function api<T = unknown>(serverUrl: string, token: string | null, method: string, path: string, body?: unknown): Promise<{ status: number; body: T }> {
  const res = await fetch(`${serverUrl}${path}`, {
    method,
    headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body !== undefined ? { "content-type": "application/json" } : {}) },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  const text = await res.text();
  return { status: res.status, body: (text ? JSON.parse(text) : null) as T };
}

/**
 * A small org made the quick way, for the fault and bad-input journeys (journey 1 does it in the console): bootstrapped
 * at the server's clock, its admin paired over the API, reps added and pairing codes made by the admin.
 */
export interface ApiOrg {
  orgId: string;
  adminToken: string;
  addRep(name: string, seniority: "junior" | "mid" | "senior"): Promise<string>;
  /** A fresh one-time pairing code for a user (10 minutes on the server's clock). */
  code(userId: string): Promise<string>;
}

export async function setUpOrgByApi(serverUrl: string, persistTo: string, now: number, org: { id: string; name: string; admin: string }): Promise<ApiOrg> {
  const created = await bootstrap(["--org", org.name, "--admin", org.admin, "--tz", "Asia/Shanghai", "--lang", "en", "--id", org.id, "--persist-to", persistTo], now);
  const paired = await api<{ token: string }>(serverUrl, null, "POST", "/v1/pair", { code: created.code });
  expect(paired.status).toBe(200);
  const adminToken = paired.body.token;
  return {
    orgId: org.id,
    adminToken,
    async addRep(name, seniority) {
      const res = await api<{ id: string }>(serverUrl, adminToken, "POST", "/v1/users", { name, seniority });
      expect(res.status).toBe(201);
      return res.body.id;
    },
    async code(userId) {
      const res = await api<{ code: string }>(serverUrl, adminToken, "POST", "/v1/pairing-codes", { userId });
      expect(res.status).toBe(201);
      return res.body.code;
    },
  };
}
