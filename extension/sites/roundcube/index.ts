import { customerFromAddresses, first, hasAny, textOf } from "../dom";
import { pageContext, type SiteAdapter } from "../types";

/**
 * Roundcube webmail (self-hosted, so any origin the rep enables; elastic and larry skins). Roundcube names the task and
 * action in the query (`?_task=mail&_action=show&_uid=…`) and on <body> (`task-mail action-show`). In the three-pane
 * layout the selected message is shown in a same-origin frame (#messagecontframe), which is read when it has loaded.
 */
export const SELECTORS = {
  mailTask: ["body.task-mail"],
  messageHeader: ["#message-header", ".message-headers", "#messageheader"],
  /** Sender and recipients: contact links carry the address in `title` (or a mailto: href). */
  correspondents: ["a.rcmContactAddress[title]", 'a[href^="mailto:"]'],
  ownAddress: [".username", "#topline .username"],
  previewFrame: ["#messagecontframe"],
  messageList: ["#messagelist"],
} as const;

export const roundcube: SiteAdapter = {
  id: "roundcube",
  origins: [],
  matchesUrl: (url) => (url.protocol === "https:" || url.protocol === "http:") && url.searchParams.get("_task") === "mail",
  detect(url, doc) {
    if (!roundcube.matchesUrl(url) || !hasAny(doc, SELECTORS.mailTask)) return null;
    const own = textOf(doc, SELECTORS.ownAddress);
    const message = messageDocument(doc);
    if (message) {
      const header = first(message, SELECTORS.messageHeader)!;
      const addresses = SELECTORS.correspondents.flatMap((selector) =>
        Array.from(header.querySelectorAll(selector), (a) => a.getAttribute("title") || (a.getAttribute("href") ?? "").replace(/^mailto:/, "")),
      );
      return pageContext("roundcube", "email_thread", customerFromAddresses(addresses, own));
    }
    if (hasAny(doc, SELECTORS.messageList)) return pageContext("roundcube", "list");
    return null;
  },
  mount: { corner: "bottom-right", x: 24, y: 24 },
};

/** The document showing a message: this one (action show), or the loaded preview frame of the three-pane view. */
function messageDocument(doc: Document): Document | null {
  if (hasAny(doc, SELECTORS.messageHeader)) return doc;
  const frame = first(doc, SELECTORS.previewFrame) as HTMLIFrameElement | null;
  try {
    const inner = frame?.contentDocument;
    return inner && hasAny(inner, SELECTORS.messageHeader) ? inner : null;
  } catch {
    return null; // not same-origin (never for Roundcube itself)
  }
}
