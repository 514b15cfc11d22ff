import type { ActivityKind } from "../../shared/domain/kinds";

/**
 * Site adapters: one per product (sites/<site>/index.ts), each a pure function of (URL, Document), so they are
 * table-tested against saved HTML fixtures (test/fixtures/<site>/) in happy-dom and run unchanged in the content script.
 *
 * An adapter reads only what the rep may choose to send: the kind of page and a short customer label (a company or
 * deal name). Never message bodies, subjects, e-mail addresses or person names (DOMAIN.md "Privacy").
 */

export type SiteId = "gmail" | "outlook" | "salesforce" | "hubspot" | "pipedrive" | "zoho" | "roundcube" | "generic";

export type PageKind =
  /** One e-mail conversation is open. */
  | "email_thread"
  /** A CRM opportunity / deal record. */
  | "deal"
  /** A CRM person record (contact, lead). */
  | "contact"
  /** A CRM company record (account, organisation). */
  | "account"
  /** An inbox or a CRM list / board. */
  | "list"
  /** Anything else (the generic fallback). */
  | "other";

export interface PageContext {
  site: SiteId;
  kind: PageKind;
  /** The quick-log buttons for this page, most relevant first (1–3). */
  suggestedKinds: readonly ActivityKind[];
  /** A short customer label the rep may attach (≤ 80 characters, one line); absent when the page names none. */
  customerLabel?: string;
}

/** Where the pill sits by default (the rep can drag it): a viewport corner and an inset that clears the product's own UI. */
export interface MountPoint {
  corner: "bottom-left" | "bottom-right" | "top-left" | "top-right";
  /** Pixels from the left or right edge. */
  x: number;
  /** Pixels from the top or bottom edge. */
  y: number;
}

export interface SiteAdapter {
  id: SiteId;
  /**
   * Match patterns (optional host permissions) the rep grants to enable this site. Empty for self-hosted products
   * (Roundcube) and the generic fallback: the rep names those origins.
   */
  origins: readonly string[];
  /** Cheap URL test, no DOM: is this one of the product's addresses? */
  matchesUrl(url: URL): boolean;
  /** URL + DOM: the page context, or null when the document is not one of the product's pages (yet). */
  detect(url: URL, doc: Document): PageContext | null;
  mount: MountPoint;
}

/** The quick-log buttons per kind of page: e-mail → touch; CRM deal → proposal / quote / demo. */
export const SUGGESTED_KINDS: Record<PageKind, readonly ActivityKind[]> = {
  email_thread: ["touch", "needs_confirmed"],
  deal: ["proposal_sent", "quote", "demo_or_visit"],
  contact: ["touch", "needs_confirmed", "demo_or_visit"],
  account: ["touch", "demo_or_visit", "proposal_sent"],
  list: ["touch"],
  other: ["touch"],
};

export const LABEL_MAX_LENGTH = 80;

export function pageContext(site: SiteId, kind: PageKind, customerLabel?: string | null): PageContext {
  const label = cleanLabel(customerLabel);
  return { site, kind, suggestedKinds: SUGGESTED_KINDS[kind], ...(label ? { customerLabel: label } : {}) };
}

/** One line, collapsed spaces, at most 80 characters (cut at a word when possible); null when nothing is left. */
export function cleanLabel(text: string | null | undefined): string | null {
  if (!text) return null;
  const line = text.replace(/\s+/g, " ").trim();
  if (!line) return null;
  if (line.length <= LABEL_MAX_LENGTH) return line;
  const cut = line.slice(0, LABEL_MAX_LENGTH - 1);
  const space = cut.lastIndexOf(" ");
  return `${(space > 40 ? cut.slice(0, space) : cut).trimEnd()}…`;
}
