// @vitest-environment happy-dom
import { render } from "preact";
import { act } from "preact/test-utils";
import { beforeEach, expect, test, vi } from "vitest";
import { fakeBrowser } from "wxt/testing";
import { EnableOnThisSite } from "./EnableOnThisSite";
import { useEnglishMessages } from "./console/testing";

/** The popup's "show the overlay on this site", against a fake tab and fake optional permissions. */
let granted: Set<string>;
let listeners: (() => void)[];
let root: HTMLElement;

function fakeSite(url: string) {
  fakeBrowser.tabs.query = vi.fn(async () => [{ id: 1, url }]) as unknown as typeof fakeBrowser.tabs.query;
}

beforeEach(async () => {
  fakeBrowser.reset();
  await useEnglishMessages();
  granted = new Set();
  listeners = [];
  const changed = () => listeners.forEach((l) => l());
  Object.assign(fakeBrowser.permissions, {
    contains: vi.fn(async ({ origins = [] }: { origins?: string[] }) => origins.every((o) => [...granted].some((g) => g === o || (g.includes("*.") && o.endsWith(g.slice(g.indexOf("*.") + 1)))))),
    request: vi.fn(async ({ origins = [] }: { origins?: string[] }) => {
      origins.forEach((o) => granted.add(o));
      changed();
      return true;
    }),
    remove: vi.fn(async ({ origins = [] }: { origins?: string[] }) => {
      origins.forEach((o) => granted.delete(o));
      changed();
      return true;
    }),
    onAdded: { addListener: (l: () => void) => listeners.push(l), removeListener: () => undefined },
    onRemoved: { addListener: () => undefined, removeListener: () => undefined },
  });
  document.body.innerHTML = "<div id=root></div>";
  root = document.getElementById("root")!;
});

const settle = () => act(() => new Promise((r) => setTimeout(r, 10)));
const testId = (id: string) => root.querySelector(`[data-testid="${id}"]`) as HTMLElement | null;

test("on a product page: asks for all of the product's addresses, then says it is on and offers to hide it", async () => {
  fakeSite("https://huaxin.pipedrive.com/deal/1287");
  render(<EnableOnThisSite />, root);
  await settle();
  expect(testId("this-site")?.dataset.on).toBe("false");
  expect(testId("this-site-on")?.textContent).toBe("Show the overlay on huaxin.pipedrive.com");
  await act(() => testId("this-site-on")!.click());
  await settle();
  expect(fakeBrowser.permissions.request).toHaveBeenCalledWith({ origins: ["https://*.pipedrive.com/*"] });
  expect(testId("this-site")?.dataset.on).toBe("true");
  await act(() => testId("this-site-off")!.click());
  expect(fakeBrowser.permissions.remove).toHaveBeenCalledWith({ origins: ["https://*.pipedrive.com/*"] });
});

test("on any other site: just that site; on extension pages: nothing", async () => {
  fakeSite("http://webmail.example.org/roundcube/?_task=mail");
  render(<EnableOnThisSite />, root);
  await settle();
  await act(() => testId("this-site-on")!.click());
  expect(fakeBrowser.permissions.request).toHaveBeenCalledWith({ origins: ["http://webmail.example.org/*"] });

  render(null, root);
  fakeSite("chrome-extension://abc/popup.html");
  render(<EnableOnThisSite />, root);
  await settle();
  expect(testId("this-site")).toBeNull();
});
