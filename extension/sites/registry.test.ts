// @vitest-environment happy-dom
import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { FIXTURES_DIR, hostFixtures, parseFixture } from "../test-support/fixtures";
import { detectPage, GENERIC_ADAPTER, overlayPrefsKey, productForUrl, SITE_ADAPTERS } from "./registry";

const ALL = [...SITE_ADAPTERS, GENERIC_ADAPTER];

describe("site registry", () => {
  test("every adapter folder is registered, has a table test beside it and fixtures", () => {
    const folders = readdirSync(import.meta.dirname, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name);
    expect(folders.sort()).toEqual(ALL.map((a) => a.id).sort());
    const missing = SITE_ADAPTERS.filter((a) => !existsSync(join(import.meta.dirname, a.id, `${a.id}.test.ts`))).map((a) => a.id);
    expect(missing).toEqual([]);
    for (const adapter of ALL) expect(hostFixtures(adapter.id).length, adapter.id).toBeGreaterThan(0);
  });

  test("fixture folders are named after adapters, files after their date, and are dated", () => {
    const dirs = readdirSync(FIXTURES_DIR, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name);
    expect(dirs.filter((dir) => !ALL.some((a) => a.id === dir))).toEqual([]);
    for (const fixture of hostFixtures()) expect(fixture.name).toMatch(new RegExp(`^${fixture.site}/${fixture.written}-[a-z-]+\\.html$`));
  });

  test("fixtures reference no remote assets", () => {
    for (const fixture of hostFixtures()) {
      expect(fixture.html, fixture.name).not.toMatch(/(src|href)\s*=\s*["']?(https?:)?\/\//i);
      expect(fixture.html, fixture.name).not.toMatch(/url\(\s*["']?(https?:)?\/\//i);
      expect(fixture.html, fixture.name).not.toMatch(/@import/i);
    }
  });

  test.each(hostFixtures().map((f) => [f.name, f] as const))("%s is picked by its own adapter (or falls back)", (_name, fixture) => {
    const detected = detectPage(fixture.url, parseFixture(fixture));
    const expected = fixture.name === "gmail/2026-11-23-loading.html" ? "generic" : fixture.site;
    expect(detected?.adapter.id).toBe(expected);
    expect(detected?.context.site).toBe(expected);
  });

  test("a product page whose DOM is not recognised falls back to the generic context (no label, a touch button)", () => {
    const doc = new DOMParser().parseFromString("<html><body><p>Something new</p></body></html>", "text/html");
    const detected = detectPage(new URL("https://huaxin.lightning.force.com/lightning/r/Opportunity/006Hs00001XyZabIAF/view"), doc);
    expect(detected).toEqual({ adapter: GENERIC_ADAPTER, context: { site: "generic", kind: "other", suggestedKinds: ["touch"] }, unrecognised: "salesforce" });
  });

  test("the fallback names the product it stands in for (basic mode); on any other site it names none", () => {
    const gmail = hostFixtures("gmail").find((f) => f.name.endsWith("thread.html"))!;
    const broken = parseFixture(gmail);
    broken.querySelector('[role="main"]')!.setAttribute("role", "presentation"); // Gmail ships a new layout
    expect(detectPage(gmail.url, broken)).toMatchObject({ adapter: GENERIC_ADAPTER, unrecognised: "gmail" });
    expect(detectPage(gmail.url, parseFixture(gmail))).not.toHaveProperty("unrecognised");
    const other = detectPage(new URL("https://crm.huaxin.example/deals/42"), document);
    expect(other?.adapter).toBe(GENERIC_ADAPTER);
    expect(other).not.toHaveProperty("unrecognised");
  });

  test("non-web pages are not detected", () => {
    expect(detectPage(new URL("file:///tmp/x.html"), document)).toBeNull();
  });

  test.each([
    ["https://mail.google.com/mail/u/0/#inbox", "gmail", "gmail"],
    ["https://mail.google.com/mail/u/1/#sent/FMfcg", "gmail", "gmail"],
    ["https://eu.pipedrive.com/deal/1", "pipedrive", "pipedrive"],
    ["https://mail.huaxin-tech.example/?_task=mail", null, "https://mail.huaxin-tech.example"],
    ["http://127.0.0.1:4173/crm/deal", null, "http://127.0.0.1:4173"],
  ])("%s: product %s, overlay remembered under %s", (url, product, key) => {
    expect(productForUrl(new URL(url))?.id ?? null).toBe(product);
    expect(overlayPrefsKey(new URL(url))).toBe(key);
  });

  test("known products ask only for their own addresses (no wildcard hosts beyond a product's subdomains)", () => {
    for (const adapter of SITE_ADAPTERS) {
      for (const origin of adapter.origins) expect(origin, adapter.id).toMatch(/^https:\/\/(\*\.)?[a-z0-9-]+(\.[a-z0-9-]+)+\/\*$/);
    }
  });
});
