import { render } from "preact";
import { createShadowRootUi } from "wxt/utils/content-script-ui/shadow-root";
import { currentHost, type OverlayHost } from "./bridge";
import { Overlay } from "./Overlay";
import { OVERLAY_CSS } from "./styles";

/** The custom element that carries the shadow root (appended last in <body>, 0×0, fixed). */
export const OVERLAY_ELEMENT = "target-hud-overlay";

/** Entry of content-ui.js: mounts the overlay for the host the detector published, once. */
export function mountFromHost(): void {
  const host = currentHost();
  if (!host || host.mounted) return;
  host.mounted = true;
  void mountOverlay(host).catch((error) => {
    host.mounted = false;
    console.error("[target-hud] overlay", error);
  });
}

export async function mountOverlay(host: OverlayHost): Promise<() => void> {
  let removed = false;
  const ui = await createShadowRootUi(host.ctx, {
    name: OVERLAY_ELEMENT,
    position: "inline",
    anchor: "body",
    // In the top layer (a manual popover) where supported: above every stacking context of the page, and laid out on
    // its own, so inserting it does not make the browser lay out the host page's body again.
    append: (anchor, root) => {
      const popover = root as HTMLElement & { showPopover?: () => void };
      if (typeof popover.showPopover !== "function") return anchor.append(root);
      root.setAttribute("popover", "manual");
      anchor.append(root);
      popover.showPopover();
    },
    mode: "closed",
    css: OVERLAY_CSS,
    onMount(container) {
      const remove = () => {
        if (removed) return;
        removed = true;
        host.shutdown();
        ui.remove();
      };
      render(<Overlay host={host} onDisabled={remove} />, container);
      return container;
    },
    onRemove(container) {
      if (container) render(null, container);
    },
  });
  ui.mount();
  // Site disabled or the extension reloaded: the detector stops, the element and its styles go.
  host.ctx.onInvalidated(() => host.shutdown());
  return () => ui.remove();
}
