import { useEffect, useState } from "preact/hooks";
import { browser } from "#imports";
import { t } from "../i18n";
import { patternsForPage } from "../sites/patterns";
import "./sites-settings.css";

/**
 * Popup: "Show the overlay on <this site>" for the tab the rep opened the popup on (its address is readable thanks to
 * `activeTab`, granted by that click). Asks the browser for the site from the click; the background then registers the
 * content script and injects it into the open tab (background/sites.ts). Renders nothing on non-web pages.
 */
export function EnableOnThisSite() {
  const [site, setSite] = useState<{ patterns: string[]; label: string } | null>(null);
  const [on, setOn] = useState<boolean | null>(null);

  useEffect(() => {
    let cancelled = false;
    const check = async () => {
      const [tab] = await browser.tabs.query({ active: true, currentWindow: true });
      const url = tab?.url ? new URL(tab.url) : null;
      const page = url ? patternsForPage(url) : null;
      // On when this very host is granted (the browser's own menu may have granted one of a product's hosts only).
      const on = url && page ? await browser.permissions.contains({ origins: [`${url.protocol}//${url.hostname}/*`] }) : null;
      if (cancelled) return;
      setSite(page);
      setOn(on);
    };
    const recheck = () => void check().catch(() => undefined);
    recheck();
    browser.permissions.onAdded.addListener(recheck);
    browser.permissions.onRemoved.addListener(recheck);
    return () => {
      cancelled = true;
      browser.permissions.onAdded.removeListener(recheck);
      browser.permissions.onRemoved.removeListener(recheck);
    };
  }, []);

  if (!site || on === null) return null;
  if (on) {
    return (
      <p class="muted small this-site" data-testid="this-site" data-on="true">
        ✓ {t("sites.thisSiteOn", [site.label])}{" "}
        <button type="button" class="link" data-testid="this-site-off" onClick={() => void browser.permissions.remove({ origins: site.patterns })}>
          {t("sites.thisSiteOff")}
        </button>
      </p>
    );
  }
  return (
    <p class="this-site" data-testid="this-site" data-on="false">
      <button type="button" class="link" data-testid="this-site-on" onClick={() => void browser.permissions.request({ origins: site.patterns })}>
        {t("sites.thisSite", [site.label])}
      </button>
    </p>
  );
}
