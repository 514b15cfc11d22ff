import { first, hasAny, hostIs, textOf } from "../dom";
import { pageContext, type PageKind, type SiteAdapter } from "../types";

/**
 * HubSpot CRM (app.hubspot.com, app-eu1.hubspot.com). Records: `/contacts/<portal>/record/<objectType>/<id>` with
 * object types 0-1 contact, 0-2 company, 0-3 deal (older links: `/contacts/<portal>/deal/<id>`). HubSpot marks its UI
 * with `data-selenium-test` hooks; the associated company is found by its record link (0-2), not by a card title in
 * the user's language.
 */
export const SELECTORS = {
  recordTitle: ['[data-selenium-test="highlightTitle"]', '[data-test-id="record-highlight-title"]'],
  companyLink: ['a[href*="/record/0-2/"]', 'a[href*="/company/"]'],
  index: ['[data-selenium-test="board"]', '[data-test-id="index-table"]', '[data-selenium-test="index-table"]'],
} as const;

const RECORD_PATH = /^\/contacts\/\d+\/(?:record\/(0-\d+)|(deal|contact|company))\/\d+/;
const INDEX_PATH = /^\/contacts\/\d+\/(?:objects\/0-\d+\/views\/|deals|contacts|companies)/;
const KINDS: Record<string, PageKind> = { "0-1": "contact", contact: "contact", "0-2": "account", company: "account", "0-3": "deal", deal: "deal" };

export const hubspot: SiteAdapter = {
  id: "hubspot",
  origins: ["https://app.hubspot.com/*", "https://app-eu1.hubspot.com/*"],
  matchesUrl: (url) => url.protocol === "https:" && hostIs(url, "app.hubspot.com", "app-eu1.hubspot.com") && url.pathname.startsWith("/contacts/"),
  detect(url, doc) {
    if (!hubspot.matchesUrl(url)) return null;
    const record = RECORD_PATH.exec(url.pathname);
    if (record) {
      const title = first(doc, SELECTORS.recordTitle);
      if (!title) return null;
      const kind = KINDS[record[1] ?? record[2] ?? ""] ?? "other";
      const name = textOf(doc, SELECTORS.recordTitle);
      const company = textOf(doc, SELECTORS.companyLink);
      const label = kind === "account" ? name : kind === "deal" ? (company ?? name) : kind === "contact" ? company : null;
      return pageContext("hubspot", kind, label);
    }
    if (INDEX_PATH.test(url.pathname) && hasAny(doc, SELECTORS.index)) return pageContext("hubspot", "list");
    return null;
  },
  // HubSpot's help/chat launcher sits bottom-right; the navigation rail is on the left (56 px).
  mount: { corner: "bottom-left", x: 72, y: 16 },
};
