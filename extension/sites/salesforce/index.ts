import { first, hasAny, hostIs, textOf } from "../dom";
import { pageContext, type PageKind, type SiteAdapter } from "../types";

/**
 * Salesforce Lightning Experience (`<my-domain>.lightning.force.com`, sandboxes included). Records live at
 * `/lightning/r/<Object>/<id>/view`, lists at `/lightning/o/<Object>/list`. Lightning keeps recently visited pages in
 * the DOM (hidden); only the `.oneContent.active` one is read. Lookup links point at the record id, whose prefix names
 * the object (001 = Account), which does not depend on the user's language like field labels would.
 */
export const SELECTORS = {
  /** The visible page among Lightning's cached ones. */
  activePage: [".oneContent.active", ".windowViewMode-normal.active"],
  recordHeader: ["records-highlights2", ".slds-page-header_record-home", '[data-aura-class="forceHighlightsPanel"]'],
  recordName: ['slot[name="primaryField"] lightning-formatted-text', 'slot[name="primaryField"]', "h1 .uiOutputText"],
  accountLink: ['a[href*="/lightning/r/001"]', 'a[href*="/lightning/r/Account/"]'],
  listView: [".forceListViewManager", "lst-list-view-manager-header", "lst-object-home"],
} as const;

const RECORD_PATH = /^\/lightning\/r\/(?:([A-Za-z0-9_]+)\/)?([A-Za-z0-9]{15,18})\/view/;
const LIST_PATH = /^\/lightning\/o\/[A-Za-z0-9_]+\/(list|home)/;

const OBJECT_KINDS: Record<string, PageKind> = {
  Opportunity: "deal",
  Quote: "deal",
  Contact: "contact",
  Lead: "contact",
  Account: "account",
};

export const salesforce: SiteAdapter = {
  id: "salesforce",
  origins: ["https://*.lightning.force.com/*"],
  matchesUrl: (url) => url.protocol === "https:" && hostIs(url, "*.lightning.force.com") && url.pathname.startsWith("/lightning/"),
  detect(url, doc) {
    if (!salesforce.matchesUrl(url)) return null;
    const page = first(doc, SELECTORS.activePage) ?? doc;
    const record = RECORD_PATH.exec(url.pathname);
    if (record) {
      const header = first(page, SELECTORS.recordHeader);
      if (!header) return null;
      const kind = OBJECT_KINDS[record[1] ?? ""] ?? "other";
      const name = textOf(header, SELECTORS.recordName);
      const account = textOf(header, SELECTORS.accountLink);
      const label = kind === "account" ? name : kind === "deal" ? (account ?? name) : kind === "contact" ? account : null;
      return pageContext("salesforce", kind, label);
    }
    if (LIST_PATH.test(url.pathname) && hasAny(page, SELECTORS.listView)) return pageContext("salesforce", "list");
    return null;
  },
  // The utility bar (40 px) runs along the bottom; keep above it, away from the Help menu top-right.
  mount: { corner: "bottom-right", x: 24, y: 56 },
};
