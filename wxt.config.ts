import { defineConfig } from "wxt";
import preact from "@preact/preset-vite";
import { manifestCommands } from "./extension/background/commands";

/**
 * Public half of the development key: it pins the unpacked extension's id to
 * ejkgpjfoednhacjjbcnkippfanjeepig, so the worker's CORS allow-list and the e2e tests know
 * the extension origin. Store builds get their id from the store instead
 * (`npm run zip` drops the key).
 */
export const EXTENSION_DEV_KEY =
  "MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEArMafRrfoyNyeK5FxTTSBYD0mOc21Ud+SsF8nkWkr2DPP4dnhNKTNavaYsDUxCYIs2CgZUY+oqFHIXdxLt38buUXnfOaA/s3u9kiY4L7wDXg8BONs711QpZOUSJKM5NOSyG6SOgleRe9NRCAd+0e7vS7Y+Jxt27bu741xqRLjuh9ASLdkaahrdaub/2+HoX1X2d/dPB/IRXyC08/Xh0ZOOi9++puLjJtDeOc5AeWu2SziaJ/fx8w97Da4u1Ul1SOMXAcemy7vLd7PPp0z4cY8MTiWhdbmMBQ5+LyvHr0+dPDFHptZeEj+rNqlmNOCP2LaAudfQ587uKgZSyM1AwZEEQIDAQAB";
export const EXTENSION_DEV_ID = "ejkgpjfoednhacjjbcnkippfanjeepig";
/** Firefox add-on id (browser_specific_settings.gecko.id); Firefox needs one for MV3 storage and updates. */
export const FIREFOX_ADDON_ID = "target-hud@target-hud.dev";

export default defineConfig({
  srcDir: "extension",
  // WXT_OUT_DIR lets parallel builds (and their e2e runs) use separate folders.
  outDir: process.env.WXT_OUT_DIR ?? ".output",
  // The Firefox sources zip is for store review: the code, not test artifacts or benchmark output.
  zip: { excludeSources: ["artifacts/**", "bench/**", "test-results/**", ".output*/**", "**/*.tmp.ts"] },
  modules: ["@wxt-dev/i18n/module"],
  // MV3 everywhere: Firefox gets MV3 too (background `scripts` instead of a service worker, WXT writes that).
  manifestVersion: 3,
  vite: () => ({ plugins: [preact()] }),
  manifest: ({ browser }) => ({
    name: "__MSG_extName__",
    description: "__MSG_extDescription__",
    default_locale: "en",
    // `key` pins the unpacked id in Chromium; Firefox uses the gecko id below instead.
    ...(process.env.WXT_STORE_BUILD || browser === "firefox" ? {} : { key: EXTENSION_DEV_KEY }),
    ...(browser === "firefox"
      ? { browser_specific_settings: { gecko: { id: FIREFOX_ADDON_ID, strict_min_version: "128.0" } } }
      : {}),
    // contextMenus: "Log as …" on pages, selections and links (background/menus.ts).
    // scripting: the overlay's content script is registered at runtime for exactly the sites the rep enabled, and
    // its UI injected on a match (background/sites.ts). activeTab: the popup reads the current tab's address, once the
    // rep opened it, to offer "show the overlay on this site" (ui/EnableOnThisSite.tsx); it grants nothing by itself.
    permissions: ["storage", "alarms", "contextMenus", "scripting", "activeTab"],
    // Alt+Shift+L logs a touch, Alt+Shift+H opens the popup (background/commands.ts).
    commands: manifestCommands(),
    // The API is reached via CORS (the worker allows this extension's origin), so no
    // host permission is needed for it. Sites for the overlay are optional, per site.
    optional_host_permissions: ["https://*/*", "http://*/*"],
    action: { default_title: "__MSG_extName__" },
  }),
});
