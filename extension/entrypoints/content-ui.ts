import { mountFromHost } from "@/overlay/mount";

/**
 * The overlay UI (Preact, in a shadow root): not in the manifest; the background injects it with
 * `scripting.executeScript` into a frame whose content script found a matching page (overlay/bridge.ts).
 */
export default defineUnlistedScript(() => {
  mountFromHost();
});
