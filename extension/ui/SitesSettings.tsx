import { useEffect, useState } from "preact/hooks";
import { browser } from "#imports";
import { t } from "../i18n";
import { grantedOriginsOf, KNOWN_SITES, otherSitePatterns, patternLabel, sitePattern } from "../sites/patterns";
import type { SiteAdapter } from "../sites/types";
import "./sites-settings.css";

/**
 * Options → "Sites with the page overlay". The browser's host permissions are the list (background/sites.ts registers
 * the content script for exactly what is granted), so this card reads `permissions.getAll()` and follows
 * `permissions.onAdded/onRemoved` — a change made in the browser's own site-access menu shows up here too.
 * Turning a site on calls `permissions.request` straight from the click (browsers require the user gesture).
 */
export function SitesSettings() {
  const [granted, setGranted] = useState<string[] | null>(null);
  const [address, setAddress] = useState("");
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    const load = () =>
      void browser.permissions.getAll().then(
        ({ origins = [] }) => setGranted(origins),
        (failure: unknown) => setError(String(failure)),
      );
    load();
    browser.permissions.onAdded.addListener(load);
    browser.permissions.onRemoved.addListener(load);
    return () => {
      browser.permissions.onAdded.removeListener(load);
      browser.permissions.onRemoved.removeListener(load);
    };
  }, []);

  if (!granted) return null;

  function request(origins: string[], name: string): Promise<boolean> {
    setError(null);
    return browser.permissions.request({ origins }).then(
      (ok) => {
        if (!ok) setError(t("sites.denied", [name]));
        return ok;
      },
      (failure: unknown) => {
        setError(failure instanceof Error ? failure.message : String(failure));
        return false;
      },
    );
  }

  function remove(origins: string[]) {
    setError(null);
    void browser.permissions.remove({ origins }).catch((failure: unknown) => setError(failure instanceof Error ? failure.message : String(failure)));
  }

  function toggle(site: SiteAdapter, on: string[]) {
    if (on.length > 0) remove(on);
    else void request([...site.origins], t(`sites.${site.id as "gmail"}`));
  }

  function add(event: Event) {
    event.preventDefault();
    const pattern = sitePattern(address);
    if (!pattern) return setError(t("sites.invalid"));
    void request([pattern], patternLabel(pattern)).then((ok) => ok && setAddress(""));
  }

  const others = otherSitePatterns(granted);

  return (
    <section class="card" aria-labelledby="sites-heading" data-testid="sites">
      <h2 id="sites-heading">{t("sites.heading")}</h2>
      <p class="muted small">{t("sites.help")}</p>
      <ul class="sites">
        {KNOWN_SITES.map((site) => {
          const on = grantedOriginsOf(site, granted);
          return (
            <li key={site.id} data-testid={`site-${site.id}`} data-on={on.length > 0 ? "true" : "false"}>
              <span class="site-name">{t(`sites.${site.id as "gmail"}`)}</span>
              <span class="muted small site-hosts">{site.origins.map(patternLabel).join(", ")}</span>
              <span class={on.length > 0 ? "site-state on" : "site-state"}>{on.length > 0 ? t("sites.on") : t("sites.off")}</span>
              <button type="button" class={on.length > 0 ? "" : "primary"} data-testid={`site-toggle-${site.id}`} onClick={() => toggle(site, on)}>
                {on.length > 0 ? t("sites.turnOff") : t("sites.turnOn")}
              </button>
            </li>
          );
        })}
      </ul>

      <h3>{t("sites.otherHeading")}</h3>
      <p class="muted small">{t("sites.otherHelp")}</p>
      {others.length === 0 ? (
        <p class="muted small" data-testid="sites-none">
          {t("sites.none")}
        </p>
      ) : (
        <ul class="sites">
          {others.map((pattern) => (
            <li key={pattern} data-testid="site-other" data-pattern={pattern}>
              <span class="site-name">{patternLabel(pattern)}</span>
              <button type="button" data-testid="site-remove" onClick={() => remove([pattern])}>
                {t("sites.remove")}
              </button>
            </li>
          ))}
        </ul>
      )}
      <form class="site-add" onSubmit={add} noValidate>
        <label class="field">
          <span>{t("sites.address")}</span>
          <input
            type="url"
            inputMode="url"
            spellcheck={false}
            placeholder="https://crm.example.com"
            value={address}
            onInput={(e) => {
              setAddress(e.currentTarget.value);
              setError(null);
            }}
            data-testid="site-address"
          />
        </label>
        <button type="submit" class="primary" disabled={address.trim() === ""} data-testid="site-add">
          {t("sites.add")}
        </button>
      </form>
      {error && (
        <p class="alert" role="alert" data-testid="sites-error">
          {error}
        </p>
      )}
    </section>
  );
}
