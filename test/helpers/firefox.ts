/**
 * Real headless Firefox ESR driven over WebDriver BiDi (`--remote-debugging-port`, a `ws` client), with the built
 * Firefox package installed as a temporary add-on (`webExtension.install`, like about:debugging → "Load Temporary
 * Add-on…"). One browser at a time: each launch gets a fresh profile in a temp folder; `close()` ends the whole
 * process group and removes the profile, and a process `exit` hook does the same if a test run dies first.
 *
 * The profile's prefs keep Firefox off the network (no updates, telemetry, safe browsing, remote settings, captive
 * portal, DNS prefetch; every non-local request goes to a dead proxy) and pin the add-on's internal UUID
 * (`extensions.webextensions.uuids`), so its pages are at a known `moz-extension://<uuid>/…` address.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import WebSocket from "ws";
import { FIREFOX_ADDON_ID } from "../../wxt.config";
import { ROOT } from "./browser";

/** Where the e2e global setup builds the Firefox package (its own folder: the Chromium build stays in `.output`). */
export const FIREFOX_OUT_DIR = join(ROOT, ".output", "e2e-firefox");
export const FIREFOX_EXTENSION_PATH = join(FIREFOX_OUT_DIR, "firefox-mv3");
/** The add-on's internal UUID in test profiles (Firefox picks a random one per profile otherwise). */
export const FIREFOX_EXTENSION_UUID = "5d1c0f52-7a3e-4b8e-9c61-2f4a8b7d9e10";
export const FIREFOX_EXTENSION_ORIGIN = `moz-extension://${FIREFOX_EXTENSION_UUID}`;

export const FIREFOX_INSTALL_HINT =
  "Firefox not found: install it with `apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends firefox-esr` or set FIREFOX_PATH.";

/** The Firefox binary, or an error whose message is the one-line install instruction. */
export function firefoxPath(): string {
  const path = process.env.FIREFOX_PATH ?? "/usr/bin/firefox-esr";
  if (!existsSync(path)) throw new Error(FIREFOX_INSTALL_HINT);
  return path;
}

const PREFS: Record<string, string | number | boolean> = {
  // The add-on's pages at a fixed address.
  "extensions.webextensions.uuids": JSON.stringify({ [FIREFOX_ADDON_ID]: FIREFOX_EXTENSION_UUID }),
  // No network to the outside: anything not on this machine goes to a closed local port.
  "network.proxy.type": 1,
  "network.proxy.http": "127.0.0.1",
  "network.proxy.http_port": 9,
  "network.proxy.ssl": "127.0.0.1",
  "network.proxy.ssl_port": 9,
  "network.proxy.no_proxies_on": "127.0.0.1,localhost",
  "network.proxy.allow_hijacking_localhost": false,
  "network.dns.disablePrefetch": true,
  "network.prefetch-next": false,
  "network.http.speculative-parallel-limit": 0,
  "network.captive-portal-service.enabled": false,
  "network.connectivity-service.enabled": false,
  "app.update.disabledForTesting": true,
  "app.update.auto": false,
  "app.normandy.enabled": false,
  "app.shield.optoutstudies.enabled": false,
  "extensions.update.enabled": false,
  "extensions.getAddons.cache.enabled": false,
  "extensions.blocklist.enabled": false,
  "extensions.systemAddon.update.enabled": false,
  "services.settings.server": "http://127.0.0.1:9/v1",
  "messaging-system.rsexperimentloader.enabled": false,
  "datareporting.policy.dataSubmissionEnabled": false,
  "datareporting.healthreport.uploadEnabled": false,
  "toolkit.telemetry.enabled": false,
  "toolkit.telemetry.unified": false,
  "toolkit.telemetry.archive.enabled": false,
  "toolkit.telemetry.server": "",
  "browser.ping-centre.telemetry": false,
  "browser.safebrowsing.malware.enabled": false,
  "browser.safebrowsing.phishing.enabled": false,
  "browser.safebrowsing.downloads.enabled": false,
  "browser.safebrowsing.blockedURIs.enabled": false,
  "browser.safebrowsing.update.enabled": false,
  "browser.search.update": false,
  "browser.region.network.url": "",
  "browser.region.update.enabled": false,
  "geo.provider.network.url": "",
  "media.gmp-manager.updateEnabled": false,
  "media.gmp-gmpopenh264.enabled": false,
  "browser.newtabpage.enabled": false,
  "browser.newtabpage.activity-stream.feeds.system.topstories": false,
  "browser.newtabpage.activity-stream.feeds.section.topstories": false,
  "browser.newtabpage.activity-stream.feeds.snippets": false,
  "browser.newtabpage.activity-stream.default.sites": "",
  "browser.topsites.contile.enabled": false,
  "browser.urlbar.suggest.quicksuggest.sponsored": false,
  "browser.shell.checkDefaultBrowser": false,
  "browser.startup.page": 0,
  "browser.startup.homepage": "about:blank",
  "browser.startup.homepage_override.mstone": "ignore",
  "startup.homepage_welcome_url": "",
  "browser.aboutwelcome.enabled": false,
  "trailhead.firstrun.didSeeAboutWelcome": true,
  "browser.sessionstore.resume_from_crash": false,
  "toolkit.startup.max_resumed_crashes": -1,
  "intl.locale.requested": "en-US",
  "intl.accept_languages": "en-US, en",
};

/** A top-level tab, driven by BiDi: script in the page, real pointer and key input. */
export interface FirefoxTab {
  context: string;
  /** Evaluates an expression (promises awaited) in the page and returns its JSON-serialisable value. */
  evaluate<T = unknown>(expression: string): Promise<T>;
  /** Text of the first element with this data-testid (trimmed), or null when there is none. */
  text(testId: string): Promise<string | null>;
  /** Waits until an element with this data-testid is in the page. */
  waitFor(testId: string, timeoutMs?: number): Promise<void>;
  /** A real mouse click in the middle of the element with this data-testid (`input.performActions`). */
  click(testId: string): Promise<void>;
  /** Clicks the field, selects what is in it and types `text` with real key events. */
  type(testId: string, text: string): Promise<void>;
  close(): Promise<void>;
}

export interface FirefoxBrowser {
  /** The add-on id Firefox reports after the temporary install. */
  addonId: string;
  version: string;
  /** Opens `moz-extension://<uuid>/<path>` (or any URL) in a new tab and waits for it to load. */
  open(pathOrUrl: string): Promise<FirefoxTab>;
  /** Evaluates in the browser window's privileged (chrome) scope: its UI, the add-on manager, the console service. */
  chrome<T = unknown>(expression: string): Promise<T>;
  /**
   * Waits for the add-on's permission prompt (Firefox's doorhanger under the toolbar, the one a user answers), returns
   * its text and answers it with a real mouse click on "Allow" or "Deny".
   */
  answerPermissionPrompt(answer: "allow" | "deny", timeoutMs?: number): Promise<string>;
  /** Errors Firefox logged from the add-on's own scripts (background, pages): what about:debugging's console shows. */
  extensionErrors(): Promise<string[]>;
  /** Firefox's stderr so far (for failure messages). */
  output(): string;
  close(): Promise<void>;
}

interface BidiMessage {
  id?: number;
  type: "success" | "error" | "event";
  method?: string;
  params?: unknown;
  result?: unknown;
  error?: string;
  message?: string;
}

interface RemoteValue {
  type: string;
  value?: unknown;
  sharedId?: string;
}

type EvaluateResult =
  | { type: "success"; result: RemoteValue }
  | { type: "exception"; exceptionDetails: { text: string; lineNumber: number } };

class Bidi {
  private next = 0;
  private readonly waiting = new Map<number, { resolve(v: unknown): void; reject(e: Error): void; method: string }>();
  private constructor(private readonly socket: WebSocket) {
    socket.on("message", (data) => {
      const message = JSON.parse(String(data)) as BidiMessage;
      if (message.id === undefined) return;
      const call = this.waiting.get(message.id);
      if (!call) return;
      this.waiting.delete(message.id);
      if (message.type === "error") call.reject(new Error(`BiDi ${call.method}: ${message.error}: ${message.message}`));
      else call.resolve(message.result);
    });
    socket.on("close", () => {
      for (const call of this.waiting.values()) call.reject(new Error(`BiDi ${call.method}: connection closed`));
      this.waiting.clear();
    });
  }

  static async connect(url: string): Promise<Bidi> {
    const socket = new WebSocket(url);
    await new Promise<void>((resolve, reject) => {
      socket.once("open", () => resolve());
      socket.once("error", reject);
    });
    return new Bidi(socket);
  }

  send<T>(method: string, params: object = {}): Promise<T> {
    const id = ++this.next;
    return new Promise<T>((resolve, reject) => {
      this.waiting.set(id, { resolve: resolve as (v: unknown) => void, reject, method });
      this.socket.send(JSON.stringify({ id, method, params }));
    });
  }

  close(): void {
    this.socket.close();
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A BiDi remote value as plain data (what the tests read: primitives, arrays, plain objects). */
function deserialize(remote: RemoteValue): unknown {
  switch (remote.type) {
    case "undefined":
      return undefined;
    case "null":
      return null;
    case "string":
    case "boolean":
      return remote.value;
    case "number":
      return typeof remote.value === "number" ? remote.value : Number(remote.value);
    case "array":
      return (remote.value as RemoteValue[]).map(deserialize);
    case "object":
      return Object.fromEntries(
        (remote.value as [string | RemoteValue, RemoteValue][]).map(([key, value]) => [
          typeof key === "string" ? key : String(deserialize(key)),
          deserialize(value),
        ]),
      );
    default:
      throw new Error(`cannot read a ${remote.type} from the page as data`);
  }
}

function unwrap<T>(result: EvaluateResult, what: string): T {
  if (result.type === "exception") throw new Error(`${what} threw: ${result.exceptionDetails.text}`);
  return deserialize(result.result) as T;
}

/** Reads the BiDi WebSocket address Firefox prints on stderr once the remote agent listens. */
function listeningUrl(child: ChildProcess, log: () => string, timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`Firefox did not start its remote agent:\n${log()}`)), timeoutMs);
    const onData = () => {
      const match = /WebDriver BiDi listening on (ws:\/\/\S+)/.exec(log());
      if (match) {
        clearTimeout(timer);
        child.stderr?.off("data", onData);
        resolve(match[1]!);
      }
    };
    child.stderr?.on("data", onData);
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`Firefox exited (${code}) before its remote agent listened:\n${log()}`));
    });
  });
}

/**
 * Starts headless Firefox with a fresh profile and installs `extensionPath` (an unpacked build folder) as a
 * temporary add-on. System access (`--remote-allow-system-access`) lets the tests read the browser UI, e.g. the
 * permission prompt the add-on opens, and click it like a user.
 */
export async function launchFirefox(opts: { extensionPath?: string } = {}): Promise<FirefoxBrowser> {
  const executable = firefoxPath();
  const extensionPath = opts.extensionPath ?? FIREFOX_EXTENSION_PATH;
  if (!existsSync(join(extensionPath, "manifest.json"))) {
    throw new Error(`No built Firefox add-on at ${extensionPath}: run \`WXT_OUT_DIR=${FIREFOX_OUT_DIR} npx wxt build -b firefox\` first.`);
  }
  const profile = await mkdtemp(join(tmpdir(), "thud-firefox-"));
  await writeFile(
    join(profile, "user.js"),
    Object.entries(PREFS)
      .map(([name, value]) => `user_pref(${JSON.stringify(name)}, ${JSON.stringify(value)});`)
      .join("\n") + "\n",
  );

  const child = spawn(
    executable,
    ["--headless", "--no-remote", "--profile", profile, "--remote-debugging-port=0", "--remote-allow-system-access", "about:blank"],
    {
      detached: true, // its own process group: close() ends the content processes with it
      stdio: ["ignore", "pipe", "pipe"],
      env: { ...process.env, MOZ_CRASHREPORTER_DISABLE: "1", MOZ_HEADLESS_WIDTH: "1000", MOZ_HEADLESS_HEIGHT: "800" },
    },
  );
  let stderr = "";
  child.stderr!.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  child.stdout!.on("data", (chunk: Buffer) => (stderr += chunk.toString()));

  let closed = false;
  const killGroup = () => {
    if (closed || child.pid === undefined) return;
    try {
      process.kill(-child.pid, "SIGKILL");
    } catch {
      // already gone
    }
  };
  process.once("exit", killGroup);
  const close = async () => {
    if (closed) return;
    const exited = child.exitCode !== null ? Promise.resolve() : new Promise<void>((resolve) => child.once("exit", () => resolve()));
    killGroup();
    closed = true;
    process.off("exit", killGroup);
    await Promise.race([exited, sleep(5_000)]);
    await rm(profile, { recursive: true, force: true, maxRetries: 3 });
  };

  try {
    const url = await listeningUrl(child, () => stderr, 30_000);
    const bidi = await Bidi.connect(`${url}/session`);
    const session = await bidi.send<{ capabilities: { browserVersion: string } }>("session.new", { capabilities: {} });
    const { extension: addonId } = await bidi.send<{ extension: string }>("webExtension.install", {
      extensionData: { type: "path", path: extensionPath },
    });

    const evaluate = async <T>(context: string, expression: string): Promise<T> =>
      unwrap<T>(
        await bidi.send<EvaluateResult>("script.evaluate", {
          expression,
          target: { context },
          awaitPromise: true,
          serializationOptions: { maxObjectDepth: 10 },
        }),
        expression.slice(0, 80),
      );

    const chromeContext = async (): Promise<string> => {
      const { contexts } = await bidi.send<{ contexts: { context: string; url: string }[] }>("browsingContext.getTree", {
        "moz:scope": "chrome",
      });
      const window = contexts.find((c) => c.url === "chrome://browser/content/browser.xhtml");
      if (!window) throw new Error(`no browser window among ${JSON.stringify(contexts)}`);
      return window.context;
    };

    const tab = (context: string): FirefoxTab => {
      const element = async (testId: string): Promise<string> => {
        const result = await bidi.send<EvaluateResult>("script.evaluate", {
          expression: `document.querySelector(${JSON.stringify(`[data-testid="${testId}"]`)})`,
          target: { context },
          awaitPromise: false,
          resultOwnership: "root",
        });
        if (result.type === "exception" || result.result.type !== "node" || !result.result.sharedId) {
          throw new Error(`no element [data-testid="${testId}"] in ${context}`);
        }
        return result.result.sharedId;
      };
      const self: FirefoxTab = {
        context,
        evaluate: (expression) => evaluate(context, expression),
        text: (testId) =>
          evaluate(context, `document.querySelector(${JSON.stringify(`[data-testid="${testId}"]`)})?.textContent.trim() ?? null`),
        async waitFor(testId, timeoutMs = 15_000) {
          const deadline = Date.now() + timeoutMs;
          const probe = `!!document.querySelector(${JSON.stringify(`[data-testid="${testId}"]`)})`;
          while (!(await evaluate<boolean>(context, probe))) {
            if (Date.now() > deadline) throw new Error(`[data-testid="${testId}"] did not appear within ${timeoutMs} ms`);
            await sleep(100);
          }
        },
        async click(testId) {
          const sharedId = await element(testId);
          await evaluate(context, `document.querySelector(${JSON.stringify(`[data-testid="${testId}"]`)}).scrollIntoView({ block: "center" })`);
          await bidi.send("input.performActions", {
            context,
            actions: [
              {
                type: "pointer",
                id: "mouse",
                parameters: { pointerType: "mouse" },
                actions: [
                  { type: "pointerMove", x: 0, y: 0, origin: { type: "element", element: { sharedId } } },
                  { type: "pointerDown", button: 0 },
                  { type: "pointerUp", button: 0 },
                ],
              },
            ],
          });
        },
        async type(testId, text) {
          await self.click(testId);
          const keys = (value: string) => [
            { type: "keyDown", value },
            { type: "keyUp", value },
          ];
          const CONTROL = "\uE009";
          await bidi.send("input.performActions", {
            context,
            actions: [
              {
                type: "key",
                id: "keyboard",
                actions: [
                  { type: "keyDown", value: CONTROL },
                  ...keys("a"),
                  { type: "keyUp", value: CONTROL },
                  ...keys("\uE017"), // Delete
                  ...[...text].flatMap(keys),
                ],
              },
            ],
          });
        },
        async close() {
          await bidi.send("browsingContext.close", { context });
        },
      };
      return self;
    };

    return {
      addonId,
      version: session.capabilities.browserVersion,
      async open(pathOrUrl) {
        const url = /^[a-z-]+:/.test(pathOrUrl) ? pathOrUrl : `${FIREFOX_EXTENSION_ORIGIN}/${pathOrUrl}`;
        const { context } = await bidi.send<{ context: string }>("browsingContext.create", { type: "tab" });
        await bidi.send("browsingContext.navigate", { context, url, wait: "complete" });
        return tab(context);
      },
      async chrome<T>(expression: string) {
        return evaluate<T>(await chromeContext(), expression);
      },
      async answerPermissionPrompt(answer, timeoutMs = 10_000) {
        const context = await chromeContext();
        const prompt = `document.getElementById("addon-webext-permissions-notification")`;
        const deadline = Date.now() + timeoutMs;
        while (!(await evaluate<boolean>(context, `!!${prompt} && PopupNotifications.panel.state === "open"`))) {
          if (Date.now() > deadline) throw new Error(`no permission prompt within ${timeoutMs} ms`);
          await sleep(100);
        }
        const text = await evaluate<string>(context, `${prompt}.textContent.replace(/\\s+/g, " ").trim()`);
        // BiDi input actions do not reach the browser's own UI, so the click is synthesised there the way Firefox's own
        // UI tests (and Marionette) do it: EventUtils' mouse down and up at the button's centre, hit-tested by layout.
        await evaluate(
          context,
          `(() => {
            const utils = { window, parent: window, _EU_Ci: Ci, _EU_Cc: Cc };
            Services.scriptloader.loadSubScript("chrome://remote/content/external/EventUtils.js", utils);
            utils.synthesizeMouseAtCenter(${prompt}.${answer === "allow" ? "button" : "secondaryButton"}, {}, window);
          })()`,
        );
        while (await evaluate<boolean>(context, `!!PopupNotifications.getNotification("addon-webext-permissions")`)) {
          if (Date.now() > deadline) throw new Error("the permission prompt stayed open after the click");
          await sleep(100);
        }
        return text;
      },
      async extensionErrors() {
        // The console service holds every error Firefox logged, with the script's address: keep ours.
        return evaluate<string[]>(
          await chromeContext(),
          `Services.console.getMessageArray()
            .filter((m) => m instanceof Ci.nsIScriptError && !(m.flags & Ci.nsIScriptError.warningFlag))
            .filter((m) => (m.sourceName || "").startsWith(${JSON.stringify(FIREFOX_EXTENSION_ORIGIN)}) ||
                           (m.errorMessage || "").includes(${JSON.stringify(FIREFOX_EXTENSION_ORIGIN)}))
            .map((m) => m.sourceName + ":" + m.lineNumber + " " + m.errorMessage)`,
        );
      },
      output: () => stderr,
      async close() {
        try {
          bidi.close();
        } finally {
          await close();
        }
      },
    };
  } catch (error) {
    await close();
    throw error;
  }
}
