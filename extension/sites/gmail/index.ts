import { customerFromAddresses, hasAny, hostIs } from "../dom";
import { pageContext, type SiteAdapter } from "../types";

/**
 * Gmail (mail.google.com). Views live in the URL hash: `#inbox`, `#label/Clients`, `#search/acme`, and a conversation
 * appends its id (`#inbox/FMfcgz…`). A conversation is open when the hash names one and its subject heading is there (the
 * URL is checked first, so a large inbox is never searched for a heading it cannot have).
 * Class names are Gmail's long-lived ones (h2.hP, span.gD, tr.zA); `role` attributes anchor the layout.
 */
export const SELECTORS = {
  main: ['div[role="main"]'],
  /** Subject heading of the open conversation (one selector list: one walk of a large inbox). */
  threadSubject: ["h2.hP, h2[data-thread-perm-id]"],
  /** Senders (span.gD) and recipients (span.g2) of each message, with the address in `email`. */
  correspondents: ["span.gD[email]", "span.g2[email]"],
  /** Conversation rows of a list (inbox, label, search). */
  listRows: ['tr.zA, table[role="grid"] tr[role="row"]'],
} as const;

/** `#inbox/FMfcgz…`, `#label/Clients/FMfcgz…`, `#search/acme/193c4f2a8e7d1b2c`: a view, then a conversation id. */
const THREAD_HASH = /^#[^/]+(?:\/[^/]+)*\/[A-Za-z0-9]{16,}$/;

export const gmail: SiteAdapter = {
  id: "gmail",
  origins: ["https://mail.google.com/*"],
  matchesUrl: (url) => url.protocol === "https:" && hostIs(url, "mail.google.com") && url.pathname.startsWith("/mail/"),
  detect(url, doc) {
    if (!gmail.matchesUrl(url)) return null;
    const main = doc.querySelector(SELECTORS.main[0]);
    if (!main) return null;
    if (THREAD_HASH.test(url.hash) && hasAny(main, SELECTORS.threadSubject)) {
      const addresses = SELECTORS.correspondents.flatMap((selector) =>
        Array.from(main.querySelectorAll(selector), (element) => element.getAttribute("email") ?? ""),
      );
      return pageContext("gmail", "email_thread", customerFromAddresses(addresses, ownAddress(doc)));
    }
    if (hasAny(main, SELECTORS.listRows)) return pageContext("gmail", "list");
    return null;
  },
  // Compose windows open bottom-right; the left rail is 68 px wide.
  mount: { corner: "bottom-left", x: 84, y: 16 },
};

/** The signed-in address, from the tab title ("Subject - rep@company.com - Gmail"). */
function ownAddress(doc: Document): string | null {
  const match = / - ([^\s@]+@[^\s@]+) - Gmail\s*$/.exec(doc.title);
  return match ? match[1]! : null;
}
