import { defineConfig } from "wxt";
import preact from "@preact/preset-vite";

/**
 * Public half of the development key: it pins the unpacked extension's id to
 * ejkgpjfoednhacjjbcnkippfanjeepig, so the worker's CORS allow-list and the e2e tests know
 * the extension origin. Store builds get their id from the store instead
 * (`npm run zip` drops the key).
 */
export const EXTENSION_DEV_KEY =
  "MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEArMafRrfoyNyeK5FxTTSBYD0mOc21Ud+SsF8nkWkr2DPP4dnhNKTNavaYsDUxCYIs2CgZUY+oqFHIXdxLt38buUXnfOaA/s3u9kiY4L7wDXg8BONs711QpZOUSJKM5NOSyG6SOgleRe9NRCAd+0e7vS7Y+Jxt27bu741xqRLjuh9ASLdkaahrdaub/2+HoX1X2d/dPB/IRXyC08/Xh0ZOOi9++puLjJtDeOc5AeWu2SziaJ/fx8w97Da4u1Ul1SOMXAcemy7vLd7PPp0z4cY8MTiWhdbmMBQ5+LyvHr0+dPDFHptZeEj+rNqlmNOCP2LaAudfQ587uKgZSyM1AwZEEQIDAQAB";
export const EXTENSION_DEV_ID = "ejkgpjfoednhacjjbcnkippfanjeepig";

export default defineConfig({
  srcDir: "extension",
  // WXT_OUT_DIR lets parallel builds (and their e2e runs) use separate folders.
  outDir: process.env.WXT_OUT_DIR ?? ".output",
  modules: ["@wxt-dev/i18n/module"],
  vite: () => ({ plugins: [preact()] }),
  manifest: () => ({
    name: "__MSG_extName__",
    description: "__MSG_extDescription__",
    default_locale: "en",
    ...(process.env.WXT_STORE_BUILD ? {} : { key: EXTENSION_DEV_KEY }),
    permissions: ["storage", "alarms"],
    // The API is reached via CORS (the worker allows this extension's origin), so no
    // host permission is needed for it. Sites for the overlay are optional, per site.
    optional_host_permissions: ["https://*/*", "http://*/*"],
    action: { default_title: "__MSG_extName__" },
  }),
});
