import { readdirSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";

/**
 * Saved host pages for the site adapters (test/fixtures/<site>/<date>-<page>.html). Each file starts with a comment
 * naming the page, the address it was saved from (`url:`) and when it was written (`written:`).
 */
export const FIXTURES_DIR = resolve(import.meta.dirname, "../../test/fixtures");

export interface HostFixture {
  site: string;
  /** `<site>/<file>` */
  name: string;
  url: URL;
  written: string;
  html: string;
}

export function hostFixtures(site?: string): HostFixture[] {
  const sites = site ? [site] : readdirSync(FIXTURES_DIR).filter((name) => !name.startsWith(".") && !name.includes("."));
  return sites.flatMap((dir) =>
    readdirSync(join(FIXTURES_DIR, dir))
      .filter((file) => file.endsWith(".html"))
      .sort()
      .map((file) => readFixture(dir, file)),
  );
}

export function hostFixture(name: string): HostFixture {
  const [site, file] = name.split("/") as [string, string];
  return readFixture(site, file);
}

function readFixture(site: string, file: string): HostFixture {
  const html = readFileSync(join(FIXTURES_DIR, site, file), "utf8");
  const header = /<!--([\s\S]*?)-->/.exec(html)?.[1] ?? "";
  const url = /^\s*url:\s*(\S+)/m.exec(header)?.[1];
  const written = /^\s*written:\s*(\d{4}-\d{2}-\d{2})/m.exec(header)?.[1];
  if (!url || !written) throw new Error(`${site}/${file}: the leading comment needs "url:" and "written: YYYY-MM-DD"`);
  return { site, name: `${site}/${file}`, url: new URL(url), written, html };
}

/** Parses a fixture with the DOMParser of the test environment (happy-dom). */
export function parseFixture(fixture: HostFixture): Document {
  return new DOMParser().parseFromString(fixture.html, "text/html");
}
