import type { DetectedPage } from "../sites/registry";

/**
 * Re-detects the page when a single-page app navigates, cheaply:
 * - URL changes are heard from the Navigation API (`currententrychange`, Chrome), `popstate` and `hashchange`; where
 *   the Navigation API is missing (Firefox), a 1 s comparison of `location.href` stands in for it;
 * - SPA content arrives after the URL changes, so a MutationObserver (child lists only) is connected for a short settle
 *   window after a navigation, a click, a key press or a frame load, and disconnected after it. Its callback only
 *   schedules a detection (at most one per `throttleMs`), so a busy page costs one timer, not one detection per mutation;
 * - nothing runs while the tab is hidden.
 * Listeners are passive and never stop propagation or prevent defaults: the host's own shortcuts keep working.
 */
export interface PageWatcherOptions {
  detect: () => DetectedPage | null;
  onChange: (page: DetectedPage) => void;
  window?: Window;
  /** Observe the DOM this long after a navigation or an interaction. */
  settleMs?: number;
  /** At most one detection per this many ms while the DOM changes. */
  throttleMs?: number;
  /** Fallback URL polling without the Navigation API; 0 disables it. */
  pollMs?: number;
}

interface NavigationLike {
  addEventListener(type: "currententrychange", listener: () => void): void;
  removeEventListener(type: "currententrychange", listener: () => void): void;
}

export function pageKey(page: DetectedPage | null): string {
  return page ? JSON.stringify([page.adapter.id, page.context, page.unrecognised ?? null]) : "";
}

export class PageWatcher {
  private readonly win: Window;
  private readonly settleMs: number;
  private readonly throttleMs: number;
  private readonly pollMs: number;
  private observer: MutationObserver | null = null;
  private settleTimer: ReturnType<typeof setTimeout> | undefined;
  private checkTimer: ReturnType<typeof setTimeout> | undefined;
  private pollTimer: ReturnType<typeof setInterval> | undefined;
  private lastUrl = "";
  private lastKey = "";
  private running = false;
  /** Detections run so far (for tests and the benchmark). */
  checks = 0;

  constructor(private readonly options: PageWatcherOptions) {
    this.win = options.window ?? window;
    this.settleMs = options.settleMs ?? 10_000;
    this.throttleMs = options.throttleMs ?? 300;
    this.pollMs = options.pollMs ?? 1_000;
  }

  get observing(): boolean {
    return this.observer !== null;
  }

  /** Starts from `initial` (already detected by the caller) and watches for changes. */
  start(initial: DetectedPage | null): void {
    if (this.running) return;
    this.running = true;
    this.lastUrl = this.win.location.href;
    this.lastKey = pageKey(initial);
    const { win } = this;
    const doc = win.document;
    win.addEventListener("popstate", this.onUrlMaybeChanged);
    win.addEventListener("hashchange", this.onUrlMaybeChanged);
    doc.addEventListener("visibilitychange", this.onVisibility);
    doc.addEventListener("pointerup", this.onInteraction, { capture: true, passive: true });
    doc.addEventListener("keyup", this.onInteraction, { capture: true, passive: true });
    doc.addEventListener("load", this.onFrameLoad, { capture: true, passive: true });
    const navigation = this.navigation();
    if (navigation) navigation.addEventListener("currententrychange", this.onUrlMaybeChanged);
    else if (this.pollMs > 0) this.pollTimer = setInterval(this.poll, this.pollMs);
    if (doc.visibilityState !== "hidden") this.arm();
  }

  stop(): void {
    if (!this.running) return;
    this.running = false;
    const { win } = this;
    const doc = win.document;
    win.removeEventListener("popstate", this.onUrlMaybeChanged);
    win.removeEventListener("hashchange", this.onUrlMaybeChanged);
    doc.removeEventListener("visibilitychange", this.onVisibility);
    doc.removeEventListener("pointerup", this.onInteraction, { capture: true });
    doc.removeEventListener("keyup", this.onInteraction, { capture: true });
    doc.removeEventListener("load", this.onFrameLoad, { capture: true });
    this.navigation()?.removeEventListener("currententrychange", this.onUrlMaybeChanged);
    clearInterval(this.pollTimer);
    this.disarm();
  }

  /** Detects now and reports a changed page. */
  check = (): void => {
    clearTimeout(this.checkTimer);
    this.checkTimer = undefined;
    if (!this.running) return;
    this.checks++;
    const page = this.options.detect();
    const key = pageKey(page);
    if (key === this.lastKey || !page) return;
    this.lastKey = key;
    this.options.onChange(page);
  };

  private navigation(): NavigationLike | null {
    return ((this.win as unknown as { navigation?: NavigationLike }).navigation ?? null) as NavigationLike | null;
  }

  private readonly onUrlMaybeChanged = (): void => {
    if (this.win.location.href === this.lastUrl) return;
    this.lastUrl = this.win.location.href;
    this.check();
    this.arm();
  };

  private readonly poll = (): void => {
    if (this.win.document.visibilityState !== "hidden") this.onUrlMaybeChanged();
  };

  private readonly onInteraction = (): void => {
    if (this.win.document.visibilityState === "hidden") return;
    this.arm();
  };

  private readonly onFrameLoad = (event: Event): void => {
    if ((event.target as Element | null)?.tagName === "IFRAME") {
      this.schedule();
      this.arm();
    }
  };

  private readonly onVisibility = (): void => {
    if (this.win.document.visibilityState === "hidden") {
      this.disarm();
      return;
    }
    this.onUrlMaybeChanged();
    this.check();
    this.arm();
  };

  /** Watches the DOM for the settle window (restarting it if already watching). */
  private arm(): void {
    if (!this.running) return;
    if (!this.observer) {
      const root = this.win.document.body ?? this.win.document.documentElement;
      const Observer = (this.win as unknown as { MutationObserver?: typeof MutationObserver }).MutationObserver ?? MutationObserver;
      const observer = new Observer(this.schedule);
      observer.observe(root, { childList: true, subtree: true });
      this.observer = observer;
    }
    clearTimeout(this.settleTimer);
    this.settleTimer = setTimeout(() => this.disarm(false), this.settleMs);
  }

  private disarm(cancelCheck = true): void {
    this.observer?.disconnect();
    this.observer = null;
    clearTimeout(this.settleTimer);
    if (cancelCheck) {
      clearTimeout(this.checkTimer);
      this.checkTimer = undefined;
    }
  }

  private readonly schedule = (): void => {
    if (this.checkTimer === undefined) this.checkTimer = setTimeout(this.check, this.throttleMs);
  };
}
