import { customerFromAddresses, first, hostIs, textOf } from "../dom";
import { pageContext, type SiteAdapter } from "../types";

/**
 * Outlook on the web (work accounts on outlook.office.com / outlook.office365.com, personal ones on outlook.live.com).
 * Its class names are generated per build, so the selectors use the `data-app-section` regions, ARIA roles and the
 * Microsoft account control's ids, which stay put. A conversation is open when the reading region has a heading.
 */
export const SELECTORS = {
  conversation: ['[data-app-section="ConversationContainer"]'],
  subject: ['[role="heading"]'],
  /** Persona names carry the address in `title` (hover text). */
  correspondents: ['span[title*="@"]'],
  messageList: ['[data-app-section="MessageList"]'],
  listItems: ['[role="option"]', '[role="row"]'],
  /** The signed-in account's address in the account manager (#mectrl). */
  ownAddress: ["#mectrl_currentAccount_secondary"],
} as const;

export const outlook: SiteAdapter = {
  id: "outlook",
  origins: ["https://outlook.office.com/*", "https://outlook.office365.com/*", "https://outlook.live.com/*"],
  matchesUrl: (url) =>
    url.protocol === "https:" &&
    hostIs(url, "outlook.office.com", "outlook.office365.com", "outlook.live.com") &&
    url.pathname.startsWith("/mail"),
  detect(url, doc) {
    if (!outlook.matchesUrl(url)) return null;
    const conversation = first(doc, SELECTORS.conversation);
    if (conversation && first(conversation, SELECTORS.subject)) {
      const addresses = Array.from(conversation.querySelectorAll(SELECTORS.correspondents[0]), (el) => el.getAttribute("title") ?? "");
      return pageContext("outlook", "email_thread", customerFromAddresses(addresses, textOf(doc, SELECTORS.ownAddress)));
    }
    const list = first(doc, SELECTORS.messageList);
    if (list && first(list, SELECTORS.listItems)) return pageContext("outlook", "list");
    return null;
  },
  // The folder pane sits bottom-left under a 48 px app bar; new-message forms open in the reading pane.
  mount: { corner: "bottom-left", x: 64, y: 16 },
};
