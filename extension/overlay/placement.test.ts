import { describe, expect, test } from "vitest";
import { cornerStyle, EDGE_MARGIN, fromPosition, toPosition } from "./placement";

const viewport = { width: 1200, height: 800 };
const size = { width: 260, height: 120 };

describe("overlay placement", () => {
  test.each([
    [{ corner: "bottom-right", x: 24, y: 56 }, { left: 1200 - 260 - 24, top: 800 - 120 - 56 }],
    [{ corner: "bottom-left", x: 84, y: 16 }, { left: 84, top: 800 - 120 - 16 }],
    [{ corner: "top-left", x: 10, y: 10 }, { left: 10, top: 10 }],
    [{ corner: "top-right", x: 0, y: 0 }, { left: 1200 - 260 - EDGE_MARGIN, top: EDGE_MARGIN }],
  ] as const)("%j → %j", (placement, position) => expect(toPosition(placement, size, viewport)).toEqual(position));

  test("a placement saved on a large screen stays fully visible on a small one", () => {
    const far = { corner: "top-left" as const, x: 1800, y: 1000 };
    const { left, top } = toPosition(far, size, { width: 800, height: 600 });
    expect(left + size.width).toBeLessThanOrEqual(800 - EDGE_MARGIN);
    expect(top + size.height).toBeLessThanOrEqual(600 - EDGE_MARGIN);
  });

  test.each([
    [100, 100, "top-left"],
    [900, 100, "top-right"],
    [100, 600, "bottom-left"],
    [900, 600, "bottom-right"],
  ] as const)("dropped at (%i, %i) → anchored %s, and it round-trips", (left, top, corner) => {
    const placement = fromPosition(left, top, size, viewport);
    expect(placement.corner).toBe(corner);
    expect(toPosition(placement, size, viewport)).toEqual({ left, top });
  });

  test("dropped outside the viewport → clamped inside", () => {
    const placement = fromPosition(-500, 5000, size, viewport);
    expect(placement).toEqual({ corner: "bottom-left", x: EDGE_MARGIN, y: EDGE_MARGIN });
  });
});

describe("overlay corner style", () => {
  test("anchors to the corner with clamped offsets, leaving the other sides auto", () => {
    expect(cornerStyle({ corner: "bottom-right", x: 24, y: 56 }, { width: 300, height: 150.4 })).toEqual({
      left: "auto",
      top: "auto",
      right: "clamp(4px, 24px, calc(100% - 304px))",
      bottom: "clamp(4px, 56px, calc(100% - 155px))",
    });
    expect(cornerStyle({ corner: "top-left", x: 0, y: 9.6 }, size)).toEqual({
      right: "auto",
      bottom: "auto",
      left: "clamp(4px, 0px, calc(100% - 264px))",
      top: "clamp(4px, 10px, calc(100% - 124px))",
    });
  });
});
