/** Windows smaller than this are pop-ups (sign-in, compose pop-outs): no overlay there. */
const MIN_WIDTH = 360;
const MIN_HEIGHT = 240;

/**
 * The only work done while the content script is injected (entrypoints/content-entry.ts): is this a top-level HTML
 * document? Nothing that costs the page a layout or the renderer a round trip to the browser (window sizes are read
 * later, in `largeEnough`, when the page is idle), and no extension API.
 */
export function shouldWatch(win: Window): boolean {
  return win.top === win && win.document.contentType === "text/html";
}

/** A window large enough for the pill. outerWidth/outerHeight: no forced layout of the page (innerWidth can). */
export function largeEnough(win: Window): boolean {
  return !((win.outerWidth > 0 && win.outerWidth < MIN_WIDTH) || (win.outerHeight > 0 && win.outerHeight < MIN_HEIGHT));
}
