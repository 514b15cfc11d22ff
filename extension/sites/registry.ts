import { generic } from "./generic";
import { gmail } from "./gmail";
import { hubspot } from "./hubspot";
import { outlook } from "./outlook";
import { pipedrive } from "./pipedrive";
import { roundcube } from "./roundcube";
import { salesforce } from "./salesforce";
import type { PageContext, SiteAdapter, SiteId } from "./types";
import { zoho } from "./zoho";

/** Every product adapter, tried in order; the generic fallback is not in the list. */
export const SITE_ADAPTERS: readonly SiteAdapter[] = [gmail, outlook, salesforce, hubspot, pipedrive, zoho, roundcube];
export const GENERIC_ADAPTER = generic;

export interface DetectedPage {
  adapter: SiteAdapter;
  context: PageContext;
  /**
   * A product's address whose page its adapter did not recognise (still loading, or the product changed its markup):
   * the generic fallback runs, and the pill says it is in basic mode.
   */
  unrecognised?: SiteId;
}

/**
 * The page's adapter and context: the first product adapter whose URL and DOM both match, else the generic fallback
 * (a product page whose DOM is not recognised, or any other enabled site). Null only for non-web URLs.
 */
export function detectPage(url: URL, doc: Document): DetectedPage | null {
  let unrecognised: SiteId | undefined;
  for (const adapter of SITE_ADAPTERS) {
    if (!adapter.matchesUrl(url)) continue;
    const context = adapter.detect(url, doc);
    if (context) return { adapter, context };
    unrecognised ??= adapter.id;
  }
  const context = generic.detect(url, doc);
  if (!context) return null;
  return unrecognised ? { adapter: generic, context, unrecognised } : { adapter: generic, context };
}

/** The product whose fixed addresses include this URL (no DOM), e.g. for the overlay's remembered position. */
export function productForUrl(url: URL): SiteAdapter | null {
  return SITE_ADAPTERS.find((adapter) => adapter.origins.length > 0 && adapter.matchesUrl(url)) ?? null;
}

/**
 * The key the overlay remembers its position and collapsed state under: the product for its fixed addresses (all of
 * Gmail shares one), else the origin (each self-hosted or other site its own).
 */
export function overlayPrefsKey(url: URL): string {
  return productForUrl(url)?.id ?? url.origin;
}

export function adapterById(id: SiteId): SiteAdapter {
  return id === "generic" ? generic : SITE_ADAPTERS.find((adapter) => adapter.id === id)!;
}
