import { pageContext, type SiteAdapter } from "../types";

/**
 * The fallback for any other page the rep enables (an in-house CRM, a ticket system…), and for a known product's page
 * whose structure no adapter recognises. It reads nothing from the page: no customer label, just a touch button.
 */
export const generic: SiteAdapter = {
  id: "generic",
  origins: [],
  matchesUrl: (url) => url.protocol === "https:" || url.protocol === "http:",
  detect: (url) => (generic.matchesUrl(url) ? pageContext("generic", "other") : null),
  // Clear of the fixed footers, cookie bars and chat launchers many pages keep in the bottom corners.
  mount: { corner: "bottom-right", x: 24, y: 64 },
};
