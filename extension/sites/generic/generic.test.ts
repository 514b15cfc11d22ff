// @vitest-environment happy-dom
import { expect, test } from "vitest";
import { hostFixtures, parseFixture } from "../../test-support/fixtures";
import { generic } from ".";

test.each(hostFixtures().map((f) => [f.name, f] as const))("the fallback reads nothing from %s", (_name, fixture) => {
  expect(generic.detect(fixture.url, parseFixture(fixture))).toEqual({ site: "generic", kind: "other", suggestedKinds: ["touch"] });
});

test.each(["file:///home/rep/notes.html", "chrome://extensions/", "about:blank"])("not for %s", (url) => {
  expect(generic.matchesUrl(new URL(url))).toBe(false);
});
