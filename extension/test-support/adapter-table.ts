import { describe, expect, test } from "vitest";
import type { PageContext, SiteAdapter } from "../sites/types";
import { hostFixtures, parseFixture, type HostFixture } from "./fixtures";

/**
 * The shared shape of every adapter's table test:
 * - each listed fixture of the site is detected with exactly the given context (and every fixture of the site is listed);
 * - the listed URLs match or do not match by URL alone;
 * - no other site's fixture matches, neither at its own address nor moved to each of this site's addresses (so the
 *   DOM check, not only the URL check, must refuse it).
 */
export function adapterTable(
  adapter: SiteAdapter,
  table: {
    fixtures: Record<string, Omit<PageContext, "site" | "suggestedKinds"> | null>;
    urls: { match: string[]; noMatch: string[] };
    /** A fixture's DOM at another address of the site: [file, url, expected context or null]. */
    moved?: [string, string, Omit<PageContext, "site" | "suggestedKinds"> | null][];
  },
): void {
  const own = hostFixtures(adapter.id);
  const others = hostFixtures().filter((fixture) => fixture.site !== adapter.id);

  describe(`${adapter.id} adapter`, () => {
    test("every fixture of the site is in the table, and the table names only existing fixtures", () => {
      expect(own.map((f) => f.name.split("/")[1]).sort()).toEqual(Object.keys(table.fixtures).sort());
    });

    test.each(own.map((fixture) => [fixture.name, fixture] as const))("%s", (_name, fixture: HostFixture) => {
      const expected = table.fixtures[fixture.name.split("/")[1]!];
      const context = adapter.detect(fixture.url, parseFixture(fixture));
      if (expected === undefined) throw new Error(`${fixture.name} is not in the table`);
      if (expected === null) {
        expect(context).toBeNull();
      } else {
        expect(context).toMatchObject({ site: adapter.id, ...expected });
        expect(context?.customerLabel).toBe(expected.customerLabel);
        expect(context?.suggestedKinds.length).toBeGreaterThan(0);
      }
    });

    test.each(table.moved ?? [])("%s at %s", (file, url, expected) => {
      const fixture = own.find((f) => f.name === `${adapter.id}/${file}`);
      if (!fixture) throw new Error(`${adapter.id}/${file} does not exist`);
      const context = adapter.detect(new URL(url), parseFixture(fixture));
      if (expected === null) expect(context).toBeNull();
      else expect(context).toMatchObject(expected);
    });

    test.each(table.urls.match)("URL matches: %s", (url) => expect(adapter.matchesUrl(new URL(url))).toBe(true));
    test.each(table.urls.noMatch)("URL does not match: %s", (url) => expect(adapter.matchesUrl(new URL(url))).toBe(false));

    test.each(others.map((fixture) => [fixture.name, fixture] as const))("does not match %s", (_name, fixture: HostFixture) => {
      const doc = parseFixture(fixture);
      expect(adapter.detect(fixture.url, doc)).toBeNull();
      for (const address of own.map((f) => f.url)) expect(adapter.detect(address, doc)).toBeNull();
    });
  });
}
