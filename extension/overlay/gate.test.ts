import { describe, expect, test } from "vitest";
import { largeEnough, shouldWatch } from "./gate";

const fakeWindow = (over: { top?: "self" | "other"; contentType?: string; outerWidth?: number; outerHeight?: number }) => {
  const win = { document: { contentType: over.contentType ?? "text/html" }, outerWidth: over.outerWidth ?? 1280, outerHeight: over.outerHeight ?? 800 } as unknown as Window & { top: unknown };
  (win as { top: unknown }).top = over.top === "other" ? {} : win;
  return win as Window;
};

describe("content-script gate", () => {
  test.each([
    ["a top-level HTML page", {}, true],
    ["a frame", { top: "other" as const }, false],
    ["an XML or SVG document", { contentType: "image/svg+xml" }, false],
    ["a PDF viewer / plain text", { contentType: "text/plain" }, false],
  ])("%s → %s", (_name, over, expected) => expect(shouldWatch(fakeWindow(over))).toBe(expected));

  test.each([
    ["a normal window", {}, true],
    ["a sign-in pop-up", { outerWidth: 320, outerHeight: 500 }, false],
    ["a short pop-out", { outerWidth: 800, outerHeight: 200 }, false],
    ["unknown size (0)", { outerWidth: 0, outerHeight: 0 }, true],
  ])("%s → large enough: %s", (_name, over, expected) => expect(largeEnough(fakeWindow(over))).toBe(expected));
});
