import { first, hasAny, hostIs, textOf } from "../dom";
import { pageContext, type PageKind, type SiteAdapter } from "../types";

/**
 * Zoho CRM in each data centre (crm.zoho.com, .eu, .in, .com.au, .jp, and crm.zoho.com.cn for mainland China).
 * Records: `/crm/<org>/tab/<Module>/<id>` (Deals are the `Potentials` module), lists `/tab/<Module>/custom-view/<id>/list`
 * (or `/kanban`). Zoho marks its Lyte components with `data-zcqa` hooks; the account is found by its record link.
 */
export const SELECTORS = {
  recordTitle: ['[data-zcqa="dv_header_title"]', "#dv_title", ".dv_header_title"],
  accountLink: ['[data-zcqa="detailView"] a[href*="/tab/Accounts/"]', 'a[href*="/tab/Accounts/"]'],
  index: ['[data-zcqa="list_view"]', '[data-zcqa="kanban_view"]'],
} as const;

const HOSTS = ["crm.zoho.com", "crm.zoho.eu", "crm.zoho.in", "crm.zoho.com.au", "crm.zoho.jp", "crm.zoho.com.cn"];
const RECORD_PATH = /^\/crm\/(?:[\w-]+\/)?tab\/(\w+)\/\d{6,}(?:\/|$)/;
const INDEX_PATH = /^\/crm\/(?:[\w-]+\/)?tab\/\w+(?:\/custom-view\/\d+\/(?:list|kanban|canvas))?\/?$/;
const MODULE_KINDS: Record<string, PageKind> = { Potentials: "deal", Deals: "deal", Quotes: "deal", Contacts: "contact", Leads: "contact", Accounts: "account" };

export const zoho: SiteAdapter = {
  id: "zoho",
  origins: HOSTS.map((host) => `https://${host}/*`),
  matchesUrl: (url) => url.protocol === "https:" && hostIs(url, ...HOSTS) && url.pathname.startsWith("/crm/"),
  detect(url, doc) {
    if (!zoho.matchesUrl(url)) return null;
    const record = RECORD_PATH.exec(url.pathname);
    if (record) {
      if (!first(doc, SELECTORS.recordTitle)) return null;
      const kind = MODULE_KINDS[record[1]!] ?? "other";
      const name = textOf(doc, SELECTORS.recordTitle);
      const account = textOf(doc, SELECTORS.accountLink);
      const label = kind === "account" ? name : kind === "deal" ? (account ?? name) : kind === "contact" ? account : null;
      return pageContext("zoho", kind, label);
    }
    if (INDEX_PATH.test(url.pathname) && hasAny(doc, SELECTORS.index)) return pageContext("zoho", "list");
    return null;
  },
  // Zoho's chat bar and Zia run along the bottom right.
  mount: { corner: "bottom-left", x: 24, y: 56 },
};
