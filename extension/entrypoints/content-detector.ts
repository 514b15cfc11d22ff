import { startDetector } from "@/overlay/detector";

/**
 * The page detector (site adapters + SPA watcher), injected by the background into a frame whose content script
 * (content-entry.js) found an ordinary page, once that page was idle.
 */
export default defineUnlistedScript(() => {
  startDetector(window);
});
