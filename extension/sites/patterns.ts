import { SITE_ADAPTERS } from "./registry";
import type { SiteAdapter } from "./types";

/**
 * Host-permission match patterns for enabling sites. A rep enables a whole site (scheme + host, every path, every
 * port, which is what a match pattern can express), never a single page.
 */

/** `crm.example.com`, `https://crm.example.com/deals/7` → `https://crm.example.com/*`; null for anything that is not a web address. */
export function sitePattern(input: string): string | null {
  const text = input.trim();
  if (!text || /\s/.test(text)) return null;
  let url: URL;
  try {
    url = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(text) ? text : `https://${text}`);
  } catch {
    return null;
  }
  if ((url.protocol !== "https:" && url.protocol !== "http:") || !url.hostname || url.username || url.password) return null;
  if (!url.hostname.includes(".") && url.hostname !== "localhost") return null;
  return `${url.protocol}//${url.hostname}/*`;
}

/** What a rep reads for a pattern: `https://*.pipedrive.com/*` → `*.pipedrive.com`, plain-http sites keep their scheme. */
export function patternLabel(pattern: string): string {
  const match = /^(\*|https?):\/\/([^/]+)\//.exec(pattern);
  if (!match) return pattern;
  return match[1] === "https" ? match[2]! : `${match[1]}://${match[2]}`;
}

/** Products with fixed addresses, listed with an on/off switch on the options page. */
export const KNOWN_SITES: readonly SiteAdapter[] = SITE_ADAPTERS.filter((adapter) => adapter.origins.length > 0);

/** Granted patterns that no known product asked for: the rep's own sites (Roundcube, an in-house CRM…). */
export function otherSitePatterns(granted: readonly string[]): string[] {
  const known = new Set(KNOWN_SITES.flatMap((adapter) => adapter.origins));
  return granted.filter((pattern) => /^(https?|\*):\/\//.test(pattern) && !known.has(pattern)).sort();
}

/** A product counts as enabled when any of its addresses is granted (Chrome's own menu can grant one at a time). */
export function grantedOriginsOf(adapter: SiteAdapter, granted: readonly string[]): string[] {
  return adapter.origins.filter((origin) => granted.includes(origin));
}

/** Does a match pattern (`https://*.pipedrive.com/*`, `http://127.0.0.1/*`) cover this page's address? Paths are always `/*` here. */
export function patternCovers(pattern: string, url: URL): boolean {
  const match = /^(\*|https?):\/\/([^/]+)\/\*$/.exec(pattern);
  if (!match || (url.protocol !== "https:" && url.protocol !== "http:")) return false;
  const [, scheme, host] = match as unknown as [string, string, string];
  if (scheme !== "*" && `${scheme}:` !== url.protocol) return false;
  const name = url.hostname.toLowerCase();
  return host === name || (host.startsWith("*.") && name.endsWith(host.slice(1)));
}

/**
 * What "show the overlay on this site" asks for, for the page the rep is on: the product's addresses when it is one of
 * the known products (all of Outlook's hosts at once), else just this site. Null for pages that are not web pages.
 */
export function patternsForPage(url: URL): { patterns: string[]; label: string } | null {
  const product = KNOWN_SITES.find((adapter) => adapter.origins.some((origin) => patternCovers(origin, url)));
  if (product) return { patterns: [...product.origins], label: url.hostname };
  const pattern = sitePattern(url.href);
  return pattern ? { patterns: [pattern], label: patternLabel(pattern) } : null;
}
