import type { SiteAccessDeps } from "../background/sites";

/**
 * In-memory stand-ins for the browser APIs behind background/sites.ts (the WXT fake browser has no `permissions`,
 * `scripting` or `tabs.query`): granted origins with Chrome's wildcard-subdomain coverage, registered content scripts,
 * injected files and messages sent to tabs, all recorded for assertions.
 */
export interface FakeTab {
  id: number;
  url: string;
}

export function createFakeSiteAccess(options: { granted?: string[]; tabs?: FakeTab[] } = {}) {
  const granted = new Set(options.granted ?? []);
  const tabs = options.tabs ?? [];
  const registered = new Map<string, { id: string; js?: string[]; matches?: string[]; runAt?: string; allFrames?: boolean; persistAcrossSessions?: boolean }>();
  const injected: { tabId: number; frameIds?: number[]; files: string[] }[] = [];
  const sent: { tabId: number; frameId?: number; message: unknown }[] = [];
  const closedTabs = new Set<number>();
  const added: ((p: { origins?: string[] }) => void)[] = [];
  const removed: ((p: { origins?: string[] }) => void)[] = [];

  const covers = (pattern: string, origin: string) => {
    if (pattern === origin) return true;
    const p = /^(\*|https?):\/\/([^/]+)\/\*$/.exec(pattern);
    const o = /^(https?):\/\/([^/]+)\/\*$/.exec(origin);
    if (!p || !o) return false;
    const schemeOk = p[1] === "*" ? true : p[1] === o[1];
    const host = p[2]!;
    return schemeOk && (host === o[2] || (host.startsWith("*.") && o[2]!.endsWith(host.slice(1))));
  };
  const urlMatches = (pattern: string, url: string) => {
    const u = new URL(url);
    return covers(pattern, `${u.protocol}//${u.hostname}/*`);
  };

  const api = {
    permissions: {
      getAll: async () => ({ origins: [...granted], permissions: ["storage", "scripting"] }),
      contains: async ({ origins = [] }: { origins?: string[] }) => origins.every((origin) => [...granted].some((g) => covers(g, origin))),
      onAdded: { addListener: (listener: (p: { origins?: string[] }) => void) => void added.push(listener) },
      onRemoved: { addListener: (listener: (p: { origins?: string[] }) => void) => void removed.push(listener) },
    },
    scripting: {
      registerContentScripts: async (scripts: { id: string }[]) => {
        for (const script of scripts) {
          if (registered.has(script.id)) throw new Error(`Duplicate script ID '${script.id}'`);
          registered.set(script.id, structuredClone(script));
        }
      },
      getRegisteredContentScripts: async (filter?: { ids?: string[] }) =>
        [...registered.values()].filter((s) => !filter?.ids || filter.ids.includes(s.id)).map((s) => structuredClone(s)),
      updateContentScripts: async (scripts: { id: string; matches?: string[] }[]) => {
        for (const script of scripts) {
          const current = registered.get(script.id);
          if (!current) throw new Error(`No script with ID '${script.id}'`);
          registered.set(script.id, { ...current, ...structuredClone(script) });
        }
      },
      unregisterContentScripts: async (filter?: { ids?: string[] }) => {
        for (const id of filter?.ids ?? [...registered.keys()]) registered.delete(id);
      },
      executeScript: async (injection: { target: { tabId: number; frameIds?: number[] }; files?: string[] }) => {
        injected.push({ tabId: injection.target.tabId, ...(injection.target.frameIds ? { frameIds: injection.target.frameIds } : {}), files: injection.files ?? [] });
        return [];
      },
    },
    tabs: {
      query: async ({ url }: { url?: string | string[] }) => {
        const patterns = url === undefined ? null : Array.isArray(url) ? url : [url];
        return tabs.filter((tab) => !patterns || patterns.some((p) => urlMatches(p, tab.url))).map((tab) => ({ ...tab }));
      },
      sendMessage: async (tabId: number, message: unknown, options?: { frameId?: number }) => {
        if (closedTabs.has(tabId)) throw new Error("Could not establish connection. Receiving end does not exist.");
        sent.push({ tabId, ...(options?.frameId !== undefined ? { frameId: options.frameId } : {}), message });
      },
    },
  };

  return {
    deps: api as unknown as Omit<SiteAccessDeps, "state">,
    registered,
    injected,
    sent,
    /** The user grants origins (the options page's request was accepted, or the browser's site-access menu). */
    grant(...origins: string[]) {
      for (const origin of origins) granted.add(origin);
      for (const listener of added) listener({ origins });
    },
    revoke(...origins: string[]) {
      for (const origin of origins) granted.delete(origin);
      for (const listener of removed) listener({ origins });
    },
    closeTab(tabId: number) {
      closedTabs.add(tabId);
    },
  };
}
