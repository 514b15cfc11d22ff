/**
 * Helpers for the console's component tests (happy-dom + WXT's fake browser): the real English messages for
 * `browser.i18n.getMessage`, a recording fake of the console's API port, and DOM helpers.
 */
import { join } from "node:path";
import { render, type ComponentChildren } from "preact";
import { act } from "preact/test-utils";
import { fakeBrowser } from "wxt/testing";
import { generateChromeMessages, parseMessagesFile } from "@wxt-dev/i18n/build";
import type { RouteResponse } from "../../../shared/api";
import { BackgroundError, type ApiRoute } from "../../messages";
import { ApiContext, type ApiOptions, type ConsoleApi } from "./api";
import { SessionContext, type Session } from "./session";
import type { Org } from "../../../shared/schemas/org";

/** Loads extension/locales/en.yml into the fake browser's i18n, formatted like chrome.i18n ($1…$9). */
export async function useEnglishMessages(): Promise<void> {
  const parsed = await parseMessagesFile(join(import.meta.dirname, "../../locales/en.yml"));
  const messages = generateChromeMessages(parsed) as Record<string, { message: string }>;
  fakeBrowser.i18n.getMessage = ((name: string, substitutions?: string | string[]) => {
    const subs = substitutions === undefined ? [] : Array.isArray(substitutions) ? substitutions : [substitutions];
    const template = messages[name]?.message ?? "";
    return template.replace(/\$(\d)/g, (_, n: string) => subs[Number(n) - 1] ?? "");
  }) as typeof fakeBrowser.i18n.getMessage;
  fakeBrowser.i18n.getUILanguage = () => "en";
}

type Handler<N extends ApiRoute> = (options: ApiOptions<N>) => RouteResponse<N> | Promise<RouteResponse<N>>;
export type Handlers = { [N in ApiRoute]?: Handler<N> };

/** A ConsoleApi answering from `handlers`; every call is recorded; an unhandled route fails like a 404. */
export function fakeApi(handlers: Handlers) {
  const calls: { route: ApiRoute; options: ApiOptions<ApiRoute> }[] = [];
  const api: ConsoleApi = {
    async call(route, options = {}) {
      calls.push({ route, options: options as ApiOptions<ApiRoute> });
      const handler = handlers[route] as Handler<typeof route> | undefined;
      if (!handler) throw new BackgroundError({ kind: "http", code: "not_found", message: `no fake for ${route}` });
      return handler(options);
    },
  };
  return { api, calls, of: (route: ApiRoute) => calls.filter((c) => c.route === route) };
}

export const ORG: Org = {
  id: "org_1",
  name: "Acme Sales",
  timeZone: "Asia/Shanghai",
  weekStartsOn: 1,
  workingWeekdays: [1, 2, 3, 4, 5],
  holidays: [],
  makeupWorkdays: [],
  language: "en",
  settings: {
    kpiOverrides: {},
    tiers: [
      { id: "base", percent: 60 },
      { id: "advanced", percent: 80 },
      { id: "top", percent: 100 },
    ],
    scoreWeights: { result: 70, process: 30 },
    colourBands: { red: 0.5, yellow: 1 },
    leaderboardPrivacy: "full",
    keyCustomerSilenceDays: 7,
    undoWindowMinutes: 10,
    levelBasisPoints: { stretch: 12_000, challenge: 15_000 },
    seniorityWeights: { junior: 3, mid: 4, senior: 5 },
  },
};

/** Renders `children` with the API port and (optionally) a session, into a fresh container. */
export async function mount(children: ComponentChildren, api: ConsoleApi, session?: Partial<Session> & Pick<Session, "user">) {
  const container = document.createElement("div");
  document.body.append(container);
  const value: Session | null = session ? { org: ORG, serverUrl: "http://127.0.0.1:8787", setOrg: () => undefined, ...session } : null;
  await act(async () => {
    render(
      <ApiContext.Provider value={api}>{value ? <SessionContext.Provider value={value}>{children}</SessionContext.Provider> : children}</ApiContext.Provider>,
      container,
    );
  });
  await settle();
  return {
    container,
    get: (testId: string) => {
      const el = container.querySelector<HTMLElement>(`[data-testid="${testId}"]`);
      if (!el) throw new Error(`no element with data-testid=${testId}`);
      return el;
    },
    query: (testId: string) => container.querySelector<HTMLElement>(`[data-testid="${testId}"]`),
    unmount: () => {
      render(null, container);
      container.remove();
    },
  };
}

/** Lets pending promises (fake API answers) and the renders they cause finish. */
export async function settle(rounds = 5): Promise<void> {
  for (let i = 0; i < rounds; i++) {
    await act(async () => {
      await new Promise((resolve) => setTimeout(resolve, 0));
    });
  }
}

export async function type(el: HTMLElement, value: string): Promise<void> {
  await act(async () => {
    (el as HTMLInputElement).value = value;
    el.dispatchEvent(new Event("input", { bubbles: true }));
  });
}

export async function change(el: HTMLElement, value: string): Promise<void> {
  await act(async () => {
    (el as HTMLSelectElement).value = value;
    el.dispatchEvent(new Event("change", { bubbles: true }));
  });
}

export async function blur(el: HTMLElement): Promise<void> {
  await act(async () => {
    el.dispatchEvent(new FocusEvent("blur"));
  });
}

export async function click(el: HTMLElement): Promise<void> {
  await act(async () => {
    el.click();
  });
  await settle();
}

export async function submit(form: HTMLElement): Promise<void> {
  await act(async () => {
    form.dispatchEvent(new Event("submit", { bubbles: true, cancelable: true }));
  });
  await settle();
}
