/**
 * The one content script. Registered at runtime only (no static `matches`, so no host permission and no
 * injection anywhere by default); issue 7 registers it per enabled site with `browser.scripting` and mounts
 * the overlay (sites/<site>/ adapters, createShadowRootUi). It talks to the background with messages.ts,
 * never to the network.
 */
export default defineContentScript({
  registration: "runtime",
  matches: [],
  main() {},
});
