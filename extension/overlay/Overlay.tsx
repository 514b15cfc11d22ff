import { useCallback, useEffect, useRef, useState } from "preact/hooks";
import { browser } from "#imports";
import type { ActivityKind } from "../../shared/domain/kinds";
import { promptText } from "../features/texts";
import { sendToBackground, type ExtensionState, type OverlayView } from "../messages";
import type { DetectedPage } from "../sites/registry";
import type { OverlayPlacement, OverlayPrefs } from "../storage";
import type { OverlayHost } from "./bridge";
import { cornerStyle, fromPosition, type Size } from "./placement";
import { describeError, overlayFormat, t, useLanguage } from "./text";
import { newEventId } from "./uuid";

/** Announced by the background (background/sites.ts OVERLAY_CHANGED) when state, preferences or sites changed. */
const CHANGED = "target-hud:overlay-changed";
/** How long "✓ logged · Undo" stays (the server accepts an undo for longer; the popup lists recent events). */
export const TOAST_MS = 8_000;

interface Toast {
  clientEventId: string;
  kind: ActivityKind;
  phase: "saved" | "undoing" | "undone" | "error";
  message?: string;
}

const DEFAULT_PREFS: OverlayPrefs = { placement: null, collapsed: false, attachLabel: false };

/**
 * The pill: period progress (coloured by pace band), the top next-action prompt, quick-log buttons for the page's
 * context with today's count / minimum, the optional customer label, and "✓ logged · Undo" feedback. Draggable by its
 * head, collapsible; position and collapsed state are remembered per site. Keys are handled only on the pill's own
 * elements (Escape collapses); nothing stops the host page's events.
 */
export function Overlay({ host, onDisabled }: { host: OverlayHost; onDisabled: () => void }) {
  const [page, setPage] = useState<DetectedPage>(host.page);
  const [view, setView] = useState<OverlayView | null>(null);
  const [prefs, setPrefs] = useState<OverlayPrefs | null>(null);
  const [, setLanguageVersion] = useState(0);
  const [mine, setMine] = useState<{ clientEventId: string; kind: ActivityKind }[]>([]);
  const [toast, setToast] = useState<Toast | null>(null);
  const [attachOnce, setAttachOnce] = useState(false);
  const [dragging, setDragging] = useState(false);
  const [size, setSize] = useState<Size>({ width: 320, height: 150 });
  const rootRef = useRef<HTMLDivElement>(null);
  const drag = useRef<{ pointerId: number; dx: number; dy: number; moved: boolean } | null>(null);
  const newest = useRef(0);
  const language = useRef<string>("auto");

  useEffect(() => host.subscribe(setPage), [host]);
  useEffect(() => setAttachOnce(false), [page.context.customerLabel]);

  const acceptState = useCallback((state: ExtensionState) => {
    if (state.now < newest.current) return;
    newest.current = state.now;
    setView((current) => (current ? { ...current, state } : current));
  }, []);

  const refresh = useCallback(async () => {
    let next: OverlayView;
    try {
      next = await sendToBackground({ type: "overlay" });
    } catch (error) {
      console.warn("[target-hud] overlay state", error);
      return;
    }
    if (!next.enabled) return onDisabled();
    if (next.state.preferences.language !== language.current) {
      language.current = next.state.preferences.language;
      await useLanguage(next.state.preferences.language);
      setLanguageVersion((v) => v + 1);
    }
    if (next.state.now < newest.current) return;
    newest.current = next.state.now;
    setView(next);
    setPrefs((current) => current ?? next.prefs ?? DEFAULT_PREFS);
  }, [onDisabled]);

  useEffect(() => {
    void refresh();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const onMessage = (message: unknown) => {
      if ((message as { type?: string } | null)?.type !== CHANGED) return;
      clearTimeout(timer);
      timer = setTimeout(() => void refresh(), 30);
    };
    const onVisible = () => {
      if (document.visibilityState === "visible") void refresh();
    };
    browser.runtime.onMessage.addListener(onMessage);
    document.addEventListener("visibilitychange", onVisible);
    return () => {
      clearTimeout(timer);
      browser.runtime.onMessage.removeListener(onMessage);
      document.removeEventListener("visibilitychange", onVisible);
    };
  }, [refresh]);

  useEffect(() => {
    if (!toast || toast.phase === "undoing") return;
    const timer = setTimeout(() => setToast((current) => (current === toast ? null : current)), toast.phase === "saved" ? TOAST_MS : 4_000);
    return () => clearTimeout(timer);
  }, [toast]);

  const placement: OverlayPlacement = prefs?.placement ?? page.adapter.mount;
  const collapsed = prefs?.collapsed ?? false;

  // The pill's size, measured by the browser after its own layout (no forced synchronous layout of the host page).
  const ready = view !== null && prefs !== null;
  useEffect(() => {
    const el = rootRef.current;
    if (!el || typeof ResizeObserver === "undefined") return;
    const observer = new ResizeObserver((entries) => {
      const box = entries[0]?.borderBoxSize?.[0];
      if (!box) return;
      setSize((current) =>
        Math.abs(current.width - box.inlineSize) < 0.5 && Math.abs(current.height - box.blockSize) < 0.5
          ? current
          : { width: box.inlineSize, height: box.blockSize },
      );
    });
    observer.observe(el);
    return () => observer.disconnect();
  }, [ready]);

  function savePrefs(next: OverlayPrefs) {
    setPrefs(next);
    void sendToBackground({ type: "overlayPrefs", prefs: next }).catch((error) => console.warn("[target-hud] overlay prefs", error));
  }

  if (!view || !prefs) return null;
  const { state } = view;
  const fmt = overlayFormat(state.org);
  const context = page.context;
  const labelMode = state.preferences.customerLabels;
  const label = labelMode !== "never" ? context.customerLabel : undefined;
  const attach = label !== undefined && (labelMode === "keep" ? prefs.attachLabel : attachOnce);

  // --- numbers -----------------------------------------------------------------------------------------------
  const period = state.progress?.data.period ?? null;
  const percent = period && period.target > 0 ? fmt.percent(period.completion) : "–";
  const band = period && period.target > 0 ? period.band : undefined;
  const prompt = state.progress?.data.prompts[0];
  const shown = new Set(state.today?.eventIds ?? []);
  const countOf = (kind: ActivityKind) => {
    const kpi = state.today?.kpis.find((k) => k.kind === kind);
    if (!kpi) return null;
    const optimistic = mine.filter((m) => m.kind === kind && !shown.has(m.clientEventId)).length;
    return { count: kpi.count + optimistic, minimum: kpi.minimum };
  };
  const waiting = state.pendingCount;
  const sub = !state.paired
    ? t("overlay.notPairedShort")
    : [band ? t(`band.${band}`) : period ? t("overlay.noTarget") : t("popup.neverUpdated"), waiting > 0 ? t("overlay.waiting", waiting, [String(waiting)]) : null]
        .filter(Boolean)
        .join(" · ");
  const freshness = state.progress ? t("popup.updated", [fmt.ago(Math.max(0, Date.now() - state.progress.fetchedAt))]) : t("popup.neverUpdated");

  // --- actions -----------------------------------------------------------------------------------------------
  async function log(kind: ActivityKind) {
    const clientEventId = newEventId();
    setMine((list) => [...list, { clientEventId, kind }]);
    setToast({ clientEventId, kind, phase: "saved" });
    try {
      const reply = await sendToBackground({
        type: "logActivity",
        clientEventId,
        kind,
        source: "overlay",
        ...(attach && label ? { customer: label } : {}),
      });
      acceptState(reply.state);
    } catch (error) {
      setMine((list) => list.filter((m) => m.clientEventId !== clientEventId));
      setToast({ clientEventId, kind, phase: "error", message: describeError(error) });
    }
  }

  async function undo(target: Toast) {
    setToast({ ...target, phase: "undoing" });
    try {
      const reply = await sendToBackground({ type: "undoActivity", clientEventId: target.clientEventId });
      setMine((list) => list.filter((m) => m.clientEventId !== target.clientEventId));
      acceptState(reply.state);
      setToast({ ...target, phase: "undone" });
    } catch (error) {
      setToast({ ...target, phase: "error", message: describeError(error) });
    }
  }

  // --- dragging (pointer capture on the head: no listeners on the page) ----------------------------------------
  function onPointerDown(event: PointerEvent) {
    if (event.button !== 0 || (event.target as Element).closest("button, input, label")) return;
    const rect = rootRef.current!.getBoundingClientRect();
    drag.current = { pointerId: event.pointerId, dx: event.clientX - rect.left, dy: event.clientY - rect.top, moved: false };
    (event.currentTarget as Element).setPointerCapture(event.pointerId);
  }
  function onPointerMove(event: PointerEvent) {
    const current = drag.current;
    if (!current || current.pointerId !== event.pointerId) return;
    if (!current.moved) setDragging(true);
    current.moved = true;
    const rect = rootRef.current!.getBoundingClientRect();
    const viewport = { width: document.documentElement.clientWidth || window.innerWidth, height: document.documentElement.clientHeight || window.innerHeight };
    const next = fromPosition(event.clientX - current.dx, event.clientY - current.dy, rect, viewport);
    setPrefs((p) => (p ? { ...p, placement: next } : p));
  }
  function onPointerUp(event: PointerEvent) {
    const current = drag.current;
    if (!current || current.pointerId !== event.pointerId) return;
    drag.current = null;
    setDragging(false);
    if (current.moved && prefs) savePrefs({ ...prefs, placement: placement });
  }

  function onKeyDown(event: KeyboardEvent) {
    // Only keys pressed inside the pill reach this handler; the page still sees them (no stopPropagation).
    if (event.key === "Escape" && !collapsed) savePrefs({ ...prefs!, collapsed: true });
  }

  const toggle = (
    <button
      type="button"
      class="icon"
      aria-expanded={!collapsed}
      aria-label={collapsed ? t("overlay.expand") : t("overlay.collapse")}
      title={collapsed ? t("overlay.expand") : t("overlay.collapse")}
      data-testid="overlay-toggle"
      onClick={() => savePrefs({ ...prefs, collapsed: !collapsed })}
    >
      {collapsed ? "+" : "–"}
    </button>
  );

  return (
    <div
      ref={rootRef}
      class={`hud${collapsed ? " collapsed" : ""}${dragging ? " dragging" : ""}`}
      role="region"
      aria-label={t("overlay.region")}
      data-testid="overlay"
      data-site={context.site}
      data-kind={context.kind}
      data-corner={placement.corner}
      style={cornerStyle(placement, size)}
      onKeyDown={onKeyDown}
    >
      <div class="head" title={`${t("overlay.move")} · ${freshness}`} onPointerDown={onPointerDown} onPointerMove={onPointerMove} onPointerUp={onPointerUp} onPointerCancel={onPointerUp}>
        <span class="grip" aria-hidden="true">⋮⋮</span>
        <span class="pct" data-band={band} data-testid="overlay-progress">
          {percent}
        </span>
        {!collapsed && (
          <span class="sub" data-testid="overlay-sub">
            {sub}
          </span>
        )}
        {toggle}
      </div>

      {!collapsed && !state.paired && <p class="hint" data-testid="overlay-not-paired">{t("overlay.notPaired")}</p>}

      {!collapsed && state.paired && (
        <>
          {page.unrecognised && (
            <p class="hint" data-testid="overlay-basic" data-product={page.unrecognised}>
              {t("overlay.basicMode", [t(`sites.${page.unrecognised}`)])}
            </p>
          )}
          {prompt && (
            <p class="prompt" data-testid="overlay-prompt" data-type={prompt.type}>
              {promptText(prompt, fmt)}
            </p>
          )}
          <div class="actions" role="group" aria-label={t("overlay.quickLog")} style={{ "--buttons": String(context.suggestedKinds.length) }}>
            {context.suggestedKinds.map((kind, index) => {
              const counted = countOf(kind);
              return (
                <button
                  key={kind}
                  type="button"
                  class={`log${index === 0 ? " primary" : ""}`}
                  title={t(`logKind.${kind}`)}
                  aria-label={t(`logKind.${kind}`)}
                  data-testid={`overlay-log-${kind}`}
                  onClick={() => void log(kind)}
                >
                  <span class="label">+ {t(`kindShort.${kind}`)}</span>
                  {counted && (
                    <span class="n" data-testid={`overlay-count-${kind}`}>
                      {counted.minimum !== null ? `${counted.count}/${counted.minimum}` : counted.count}
                    </span>
                  )}
                </button>
              );
            })}
          </div>
          {label && (
            <label class="attach" title={t("overlay.attachHint")}>
              <input
                type="checkbox"
                checked={attach}
                data-testid="overlay-attach"
                onChange={(event) => {
                  const checked = event.currentTarget.checked;
                  if (labelMode === "keep") savePrefs({ ...prefs, attachLabel: checked });
                  else setAttachOnce(checked);
                }}
              />
              <span>{t("overlay.attach")}</span>
              <b data-testid="overlay-label">{label}</b>
            </label>
          )}
        </>
      )}

      {!collapsed && toast && (
        <div class={`toast ${toast.phase}`} role="status" aria-live="polite" data-testid="overlay-toast" data-phase={toast.phase}>
          <span>
            {toast.phase === "error"
              ? t("overlay.failed", [toast.message ?? ""])
              : toast.phase === "undone"
                ? t("overlay.undone", [t(`kindShort.${toast.kind}`)])
                : t("overlay.logged", [t(`kindShort.${toast.kind}`)])}
          </span>
          {(toast.phase === "saved" || toast.phase === "undoing") && (
            <button type="button" data-testid="overlay-undo" disabled={toast.phase === "undoing"} onClick={() => void undo(toast)}>
              {t("overlay.undo")}
            </button>
          )}
        </div>
      )}
    </div>
  );
}
