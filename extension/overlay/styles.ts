/**
 * The overlay's styles, inside its shadow root (passed to createShadowRootUi as text: no stylesheet request).
 * WXT puts `:host { all: initial !important }` first, so nothing of the host page's CSS is inherited; the host element
 * is a 0×0 fixed box in the top layer (overlay/mount.tsx) that takes no part in the page's layout, and only the pill
 * itself receives pointer events.
 */
export const OVERLAY_CSS = /* css */ `
:host {
  position: fixed !important;
  inset: 0 auto auto 0 !important;
  width: 0 !important;
  height: 0 !important;
  margin: 0 !important;
  padding: 0 !important;
  border: 0 !important;
  overflow: visible !important;
  display: block !important;
  background: transparent !important;
  z-index: 2147483646 !important;
  pointer-events: none !important;
}
/* Until it is shown in the top layer, the element takes no part in the page's layout at all. */
:host([popover]:not(:popover-open)) { display: none !important; }
html, body { margin: 0; padding: 0; display: block; }
.hud {
  --blue: #0b57d0;
  --ink: #1f1f1f;
  --muted: #5e5e5e;
  --line: rgba(0, 0, 0, 0.12);
  position: fixed;
  pointer-events: auto;
  box-sizing: border-box;
  width: 320px;
  padding: 8px 10px 10px;
  color: var(--ink);
  background: #fff;
  border: 1px solid var(--line);
  border-radius: 14px;
  box-shadow: 0 8px 28px rgba(0, 0, 0, 0.18), 0 1px 3px rgba(0, 0, 0, 0.12);
  font: 13px/1.4 system-ui, -apple-system, "Segoe UI", Roboto, "PingFang SC", "Hiragino Sans GB", "Microsoft YaHei",
    "Noto Sans CJK SC", "Noto Sans SC", sans-serif;
  text-align: left;
  -webkit-font-smoothing: antialiased;
}
.hud * { box-sizing: border-box; }
.hud.collapsed { width: auto; padding: 4px 4px 4px 8px; border-radius: 999px; }
.head { display: flex; align-items: center; gap: 6px; cursor: grab; touch-action: none; user-select: none; -webkit-user-select: none; }
.hud.dragging .head { cursor: grabbing; }
.grip { color: #9aa0a6; font-size: 14px; line-height: 1; letter-spacing: -2px; }
.name { font-weight: 600; color: var(--muted); font-size: 12px; }
.pct {
  min-width: 44px;
  padding: 1px 8px;
  border-radius: 999px;
  background: #5f6368;
  color: #fff;
  font-weight: 700;
  font-size: 14px;
  text-align: center;
  font-variant-numeric: tabular-nums;
}
.pct[data-band="red"] { background: #d93025; }
.pct[data-band="yellow"] { background: #f9ab00; color: #202124; }
.pct[data-band="green"] { background: #188038; }
.sub { flex: 1; min-width: 0; color: var(--muted); font-size: 12px; white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
.hud.collapsed .sub { flex: none; max-width: 120px; }
.icon {
  flex: none;
  width: 24px;
  height: 24px;
  border: 0;
  border-radius: 50%;
  background: transparent;
  color: var(--muted);
  font: 600 16px/24px system-ui, sans-serif;
  cursor: pointer;
  padding: 0;
}
.icon:hover { background: #f1f3f4; }
.prompt { margin: 8px 0 0; font-size: 12.5px; color: var(--ink); }
.hint { margin: 8px 0 0; font-size: 12px; color: var(--muted); }
.actions { display: grid; grid-template-columns: repeat(var(--buttons, 1), minmax(0, 1fr)); gap: 6px; margin-top: 8px; }
.log {
  min-width: 0;
  display: flex;
  flex-direction: column;
  align-items: center;
  justify-content: center;
  gap: 1px;
  padding: 5px 3px;
  border: 1px solid var(--blue);
  border-radius: 9px;
  background: #fff;
  color: var(--blue);
  font-family: inherit;
  font-size: 11.5px;
  font-weight: 600;
  line-height: 1.25;
  cursor: pointer;
}
.log.primary { background: var(--blue); color: #fff; }
.log:hover { filter: brightness(0.95); }
.log:disabled { opacity: 0.5; cursor: default; }
.log .label { max-width: 100%; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
.log .n { font-weight: 400; font-size: 11px; opacity: 0.85; font-variant-numeric: tabular-nums; }
.attach { display: flex; gap: 6px; align-items: center; margin-top: 8px; font-size: 12px; color: var(--muted); cursor: pointer; }
.attach input { margin: 0; accent-color: var(--blue); }
.attach b { color: var(--ink); font-weight: 600; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
.toast {
  display: flex;
  align-items: center;
  gap: 8px;
  margin-top: 8px;
  padding: 5px 8px;
  border-radius: 8px;
  background: #e6f4ea;
  color: #137333;
  font-size: 12px;
}
.toast.error { background: #fce8e6; color: #c5221f; }
.toast.undone { background: #f1f3f4; color: var(--muted); }
.toast button { margin-left: auto; border: 0; background: none; padding: 0 2px; color: inherit; font-family: inherit; font-size: 12px; font-weight: 700; line-height: 1.3; text-decoration: underline; cursor: pointer; }
button:focus-visible, input:focus-visible { outline: 2px solid var(--blue); outline-offset: 2px; }
@media (prefers-reduced-motion: no-preference) {
  .toast { animation: in 120ms ease-out; }
  @keyframes in { from { opacity: 0; transform: translateY(2px); } to { opacity: 1; transform: none; } }
}
`;
