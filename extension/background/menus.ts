import { ACTIVITY_KINDS, isActivityKind, type ActivityKind } from "../../shared/domain/kinds";

/**
 * The context menu "Log as … → <kind>" on pages, selections and links. A click logs the kind through the same
 * durable outbox path as the popup, with source `context_menu`. Nothing about the page is used: not the URL, not
 * the selected text, not the link (DOMAIN.md "Privacy") — only which item was clicked.
 *
 * Menus survive service-worker restarts in Chrome, but not updates or a language change, so the background
 * rebuilds them (remove all, create) on every start and when the language changes; ids are fixed.
 */
export const MENU_PARENT_ID = "log-as";
export const MENU_CONTEXTS = ["page", "selection", "link"] as const;

export const menuItemId = (kind: ActivityKind) => `${MENU_PARENT_ID}:${kind}`;

export function menuKind(menuItemId: string | number): ActivityKind | null {
  const id = String(menuItemId);
  if (!id.startsWith(`${MENU_PARENT_ID}:`)) return null;
  const kind = id.slice(MENU_PARENT_ID.length + 1);
  return isActivityKind(kind) ? kind : null;
}

export interface MenuItem {
  id: string;
  parentId?: string;
  title: string;
  contexts: (typeof MENU_CONTEXTS)[number][];
}

/** The menu: the parent, then one child per activity kind in the domain's order. */
export function menuItems(title: { parent: string; kind: (kind: ActivityKind) => string }): MenuItem[] {
  const contexts = [...MENU_CONTEXTS];
  return [
    { id: MENU_PARENT_ID, title: title.parent, contexts },
    ...ACTIVITY_KINDS.map((kind) => ({ id: menuItemId(kind), parentId: MENU_PARENT_ID, title: title.kind(kind), contexts })),
  ];
}

export interface MenusApi {
  removeAll(): Promise<void> | void;
  create(properties: MenuItem, callback?: () => void): unknown;
  onClicked: { addListener(listener: (info: { menuItemId: string | number }) => void): void };
}

/** Replaces whatever menu items exist with ours. */
export async function installMenus(api: MenusApi | undefined, items: MenuItem[], lastError: () => unknown = () => undefined): Promise<void> {
  if (!api) return;
  await api.removeAll();
  for (const item of items) {
    await new Promise<void>((resolve) =>
      api.create(item, () => {
        const error = lastError();
        if (error) console.error("[target-hud] menu item", item.id, error);
        resolve();
      }),
    );
  }
}

/** Registers the click listener (synchronously, so a click wakes the service worker). */
export function registerMenuClicks(api: MenusApi | undefined, onKind: (kind: ActivityKind) => Promise<unknown>): void {
  api?.onClicked.addListener((info) => {
    const kind = menuKind(info.menuItemId);
    if (kind) void onKind(kind).catch((error) => console.error("[target-hud] context menu", kind, error));
  });
}
