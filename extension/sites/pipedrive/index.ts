import { hasAny, hostIs, textOf } from "../dom";
import { pageContext, type PageKind, type SiteAdapter } from "../types";

/**
 * Pipedrive (`<company>.pipedrive.com`). Records: `/deal/<id>`, `/person/<id>`, `/organization/<id>`; the pipeline
 * board at `/pipeline/…`, lists at `/deals/list`, `/persons/list`, `/organizations/list`. Pipedrive tags its UI with
 * `data-test` hooks; the deal's or person's organisation is found by its record link.
 */
export const SELECTORS = {
  title: {
    deal: ['[data-test="deal-title"]', ".dealTitle h1"],
    person: ['[data-test="person-name"]', ".personName h1"],
    organization: ['[data-test="organization-name"]', ".organizationName h1"],
  },
  organizationLink: ['[data-test="deal-organization"] a[href*="/organization/"]', 'a[href*="/organization/"]'],
  index: ['[data-test="pipeline-view"]', '[data-test="list-view"]'],
} as const;

const RECORD_PATH = /^\/(deal|person|organization)\/\d+/;
const INDEX_PATH = /^\/(?:pipeline\/|deals\/list|persons\/list|organizations\/list|leads\/)/;
const KINDS: Record<string, PageKind> = { deal: "deal", person: "contact", organization: "account" };

export const pipedrive: SiteAdapter = {
  id: "pipedrive",
  origins: ["https://*.pipedrive.com/*"],
  matchesUrl: (url) => url.protocol === "https:" && hostIs(url, "*.pipedrive.com") && !hostIs(url, "www.pipedrive.com", "developers.pipedrive.com"),
  detect(url, doc) {
    if (!pipedrive.matchesUrl(url)) return null;
    const record = RECORD_PATH.exec(url.pathname);
    if (record) {
      const object = record[1] as keyof typeof SELECTORS.title;
      const name = textOf(doc, SELECTORS.title[object]);
      if (!name) return null;
      const kind = KINDS[object]!;
      const organization = kind === "account" ? name : textOf(doc, SELECTORS.organizationLink);
      return pageContext("pipedrive", kind, kind === "deal" ? (organization ?? name) : organization);
    }
    if (INDEX_PATH.test(url.pathname) && hasAny(doc, SELECTORS.index)) return pageContext("pipedrive", "list");
    return null;
  },
  // The help/chat launcher sits bottom-right.
  mount: { corner: "bottom-right", x: 24, y: 88 },
};
