import { expect, test } from "vitest";
import { ACTIVITY_KINDS } from "../../shared/domain/kinds";
import { installMenus, menuItems, menuKind, registerMenuClicks, type MenuItem, type MenusApi } from "./menus";

function fakeMenus() {
  const created: MenuItem[] = [];
  let listener: ((info: { menuItemId: string | number; selectionText?: string }) => void) | undefined;
  const api: MenusApi = {
    removeAll: () => void created.splice(0),
    create: (item, callback) => {
      created.push(item);
      callback?.();
    },
    onClicked: { addListener: (l) => (listener = l) },
  };
  return { api, created, click: (info: { menuItemId: string | number; selectionText?: string }) => listener!(info) };
}

const titles = { parent: "Log as …", kind: (kind: string) => `title:${kind}` };

test("one parent and one child per activity kind, on pages, selections and links", () => {
  const items = menuItems(titles);
  expect(items[0]).toEqual({ id: "log-as", title: "Log as …", contexts: ["page", "selection", "link"] });
  expect(items.slice(1).map((i) => [i.id, i.parentId, i.title])).toEqual(
    ACTIVITY_KINDS.map((kind) => [`log-as:${kind}`, "log-as", `title:${kind}`]),
  );
});

test("installing twice leaves one set of items (rebuilt on every start and language change)", async () => {
  const menus = fakeMenus();
  await installMenus(menus.api, menuItems(titles));
  await installMenus(menus.api, menuItems(titles));
  expect(menus.created).toHaveLength(1 + ACTIVITY_KINDS.length);
});

test.each([
  ["log-as:touch", "touch"],
  ["log-as:won", "won"],
  ["log-as", null],
  ["log-as:nap", null],
  ["other:touch", null],
  [7, null],
])("menu item %s logs %s", (id, kind) => {
  expect(menuKind(id)).toBe(kind);
});

test("a click logs only the kind: the selection, link and page are never used", async () => {
  const menus = fakeMenus();
  const calls: unknown[][] = [];
  registerMenuClicks(menus.api, async (...args) => calls.push(args));
  menus.click({ menuItemId: "log-as:proposal_sent", selectionText: "ACME Corp, jane@acme.example" });
  menus.click({ menuItemId: "log-as" });
  await Promise.resolve();
  expect(calls).toEqual([["proposal_sent"]]);
});
