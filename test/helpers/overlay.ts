/**
 * The page overlay as a test sees it: it lives in a closed shadow root (pages cannot read it), so the probe reads it through
 * the DevTools protocol (DOM.getDocument with `pierce`) and clicks it with real mouse events at the element's position.
 */
import type { CDPSession, Page } from "playwright-core";
import type { ExtensionBrowser } from "./browser";

interface DomNode {
  nodeId: number;
  nodeName: string;
  children?: DomNode[];
  shadowRoots?: DomNode[];
  contentDocument?: DomNode;
}

export class OverlayProbe {
  private constructor(
    readonly page: Page,
    private readonly cdp: CDPSession,
  ) {}

  /** Execution contexts of the page (main world, the extension's isolated world, …), kept current. */
  private readonly contexts = new Map<number, { id: number; name: string; auxData?: { type?: string } }>();

  static async attach(page: Page): Promise<OverlayProbe> {
    const cdp = await page.context().newCDPSession(page);
    const probe = new OverlayProbe(page, cdp);
    cdp.on("Runtime.executionContextCreated", ({ context }) => void probe.contexts.set(context.id, context));
    cdp.on("Runtime.executionContextDestroyed", ({ executionContextId }) => void probe.contexts.delete(executionContextId));
    cdp.on("Runtime.executionContextsCleared", () => probe.contexts.clear());
    await cdp.send("Runtime.enable");
    await cdp.send("DOM.enable");
    return probe;
  }

  /** How many overlay host elements the page has (0 or 1). */
  async hosts(): Promise<number> {
    const { root } = (await this.cdp.send("DOM.getDocument", { depth: -1, pierce: true })) as { root: DomNode };
    return findAll(root, (n) => n.nodeName === "TARGET-HUD-OVERLAY").length;
  }

  private async node(selector: string): Promise<number | null> {
    const { root } = (await this.cdp.send("DOM.getDocument", { depth: -1, pierce: true })) as { root: DomNode };
    const shadow = findAll(root, (n) => n.nodeName === "TARGET-HUD-OVERLAY")[0]?.shadowRoots?.[0];
    if (!shadow) return null;
    try {
      const { nodeId } = await this.cdp.send("DOM.querySelector", { nodeId: shadow.nodeId, selector });
      return nodeId || null;
    } catch {
      return null;
    }
  }

  async exists(selector: string): Promise<boolean> {
    return (await this.node(selector)) !== null;
  }

  async text(selector: string): Promise<string | null> {
    const nodeId = await this.node(selector);
    if (!nodeId) return null;
    const { object } = await this.cdp.send("DOM.resolveNode", { nodeId });
    const { result } = await this.cdp.send("Runtime.callFunctionOn", {
      objectId: object.objectId!,
      functionDeclaration: "function () { return this.textContent; }",
      returnByValue: true,
    });
    return String(result.value ?? "").trim();
  }

  async attr(selector: string, name: string): Promise<string | null> {
    const nodeId = await this.node(selector);
    if (!nodeId) return null;
    const { attributes } = await this.cdp.send("DOM.getAttributes", { nodeId });
    const index = attributes.findIndex((value, i) => i % 2 === 0 && value === name);
    return index >= 0 ? attributes[index + 1]! : null;
  }

  async box(selector: string): Promise<{ x: number; y: number; width: number; height: number }> {
    const nodeId = await this.node(selector);
    if (!nodeId) throw new Error(`overlay has no ${selector}`);
    const { model } = await this.cdp.send("DOM.getBoxModel", { nodeId });
    const [x1, y1, , , x3, y3] = model.border;
    return { x: x1!, y: y1!, width: x3! - x1!, height: y3! - y1! };
  }

  /** A real mouse click in the middle of the element. */
  async click(selector: string): Promise<void> {
    const b = await this.box(selector);
    await this.page.mouse.click(b.x + b.width / 2, b.y + b.height / 2);
  }

  async focus(selector: string): Promise<void> {
    const nodeId = await this.node(selector);
    if (!nodeId) throw new Error(`overlay has no ${selector}`);
    await this.cdp.send("DOM.focus", { nodeId });
  }

  async buttons(): Promise<string[]> {
    const kinds: string[] = [];
    for (const kind of ["touch", "needs_confirmed", "proposal_sent", "quote", "demo_or_visit", "lead", "first_contact", "won"]) {
      if (await this.exists(`[data-testid="overlay-log-${kind}"]`)) kinds.push(kind);
    }
    return kinds;
  }

  /**
   * Evaluates an expression in the extension's isolated world of this page (where the content scripts run), through
   * the DevTools protocol — e.g. to check what a content script may and may not reach.
   */
  async inContentWorld(expression: string): Promise<unknown> {
    const world = [...this.contexts.values()].find((c) => c.auxData?.type === "isolated" && c.name === "Target HUD");
    if (!world) throw new Error(`no isolated world of the extension among ${[...this.contexts.values()].map((c) => c.name).join(", ")}`);
    const { result, exceptionDetails } = await this.cdp.send("Runtime.evaluate", { expression, contextId: world.id, awaitPromise: true, returnByValue: true });
    if (exceptionDetails) throw new Error(exceptionDetails.exception?.description ?? exceptionDetails.text);
    return result.value;
  }

  async detach(): Promise<void> {
    await this.cdp.detach().catch(() => undefined);
  }
}

function findAll(node: DomNode, match: (n: DomNode) => boolean, out: DomNode[] = []): DomNode[] {
  if (match(node)) out.push(node);
  for (const child of [...(node.children ?? []), ...(node.shadowRoots ?? []), ...(node.contentDocument ? [node.contentDocument] : [])]) {
    findAll(child, match, out);
  }
  return out;
}

/** What the user does in chrome://extensions → Details → Site access → "On specific sites". */
export async function allowInBrowserSettings(browser: ExtensionBrowser, patterns: string[]): Promise<void> {
  const page = await browser.context.newPage();
  await page.goto("chrome://extensions");
  for (const pattern of patterns) {
    await page.evaluate(
      ([id, host]) =>
        (globalThis as unknown as { chrome: { developerPrivate: { addHostPermission(id: string, host: string): Promise<void> } } }).chrome.developerPrivate.addHostPermission(
          id!,
          host!,
        ),
      [browser.extensionId, pattern],
    );
  }
  await page.close();
}

/** The match patterns of the content scripts the extension registered at runtime. */
export async function registeredMatches(browser: ExtensionBrowser): Promise<string[]> {
  const sw = await browser.serviceWorker();
  return sw.evaluate(async () => {
    const chrome = (globalThis as unknown as { chrome: { scripting: { getRegisteredContentScripts(): Promise<{ matches?: string[] }[]> } } }).chrome;
    return (await chrome.scripting.getRegisteredContentScripts()).flatMap((s) => s.matches ?? []).sort();
  });
}

