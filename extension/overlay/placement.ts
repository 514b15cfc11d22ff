import type { OverlayPlacement } from "../storage";

/**
 * Where the pill sits: anchored to a viewport corner, so it stays in place when the window is resized and grows
 * away from its corner when expanded. Pure geometry, in CSS pixels.
 */
export interface Size {
  width: number;
  height: number;
}

export const EDGE_MARGIN = 4;

/**
 * CSS for a placement: offsets from its corner, clamped so the pill (of the last measured size) stays inside the
 * viewport. Pure CSS, so placing the pill never forces the host page into a synchronous layout.
 */
export function cornerStyle(placement: OverlayPlacement, size: Size): Record<"left" | "right" | "top" | "bottom", string> {
  const horizontal = placement.corner.endsWith("right") ? "right" : "left";
  const vertical = placement.corner.startsWith("bottom") ? "bottom" : "top";
  const clampTo = (offset: number, extent: number) =>
    `clamp(${EDGE_MARGIN}px, ${Math.round(offset)}px, calc(100% - ${Math.ceil(extent) + EDGE_MARGIN}px))`;
  return {
    left: "auto",
    right: "auto",
    top: "auto",
    bottom: "auto",
    [horizontal]: clampTo(placement.x, size.width),
    [vertical]: clampTo(placement.y, size.height),
  } as Record<"left" | "right" | "top" | "bottom", string>;
}

/** The pill's top-left corner for a placement, kept fully inside the viewport (what cornerStyle renders). */
export function toPosition(placement: OverlayPlacement, size: Size, viewport: Size): { left: number; top: number } {
  const right = placement.corner.endsWith("right");
  const bottom = placement.corner.startsWith("bottom");
  const left = right ? viewport.width - size.width - placement.x : placement.x;
  const top = bottom ? viewport.height - size.height - placement.y : placement.y;
  return {
    left: clamp(left, EDGE_MARGIN, viewport.width - size.width - EDGE_MARGIN),
    top: clamp(top, EDGE_MARGIN, viewport.height - size.height - EDGE_MARGIN),
  };
}

/** The placement of a pill whose top-left corner is at (left, top): anchored to the nearest corner. */
export function fromPosition(left: number, top: number, size: Size, viewport: Size): OverlayPlacement {
  const l = clamp(left, EDGE_MARGIN, viewport.width - size.width - EDGE_MARGIN);
  const t = clamp(top, EDGE_MARGIN, viewport.height - size.height - EDGE_MARGIN);
  const right = l + size.width / 2 > viewport.width / 2;
  const bottom = t + size.height / 2 > viewport.height / 2;
  return {
    corner: `${bottom ? "bottom" : "top"}-${right ? "right" : "left"}`,
    x: Math.round(right ? viewport.width - size.width - l : l),
    y: Math.round(bottom ? viewport.height - size.height - t : t),
  };
}

function clamp(value: number, min: number, max: number): number {
  return Math.max(min, Math.min(value, Math.max(min, max)));
}
