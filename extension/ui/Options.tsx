import { useEffect, useState } from "preact/hooks";
import { browser } from "wxt/browser";
import { t } from "../i18n";
import { BackgroundError, sendToBackground, type MessageError } from "../messages";
import { parseServerUrl, serverHostPattern } from "../features/server-url";
import { DEFAULT_SERVER_URL } from "../storage";
import { errorText } from "./errors";
import { useExtensionState } from "./useExtensionState";
import { OpenConsoleButton } from "./console/OpenConsoleButton";
import { PreferencesCards, ShortcutsCard } from "./settings/Preferences";
import { SentLog } from "./settings/SentLog";
import { SitesSettings } from "./SitesSettings";
import "./settings/settings.css";

/**
 * Options: server address and pairing code → device token (once paired: who and where, and unpair); language;
 * privacy (customer labels); shortcuts; and the "what was sent" log.
 */
export function Options() {
  const { state, accept, loadError } = useExtensionState();
  const [serverUrl, setServerUrl] = useState<string | null>(null);
  const [code, setCode] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<MessageError | null>(null);

  useEffect(() => {
    if (state && serverUrl === null) setServerUrl(state.serverUrl || DEFAULT_SERVER_URL);
  }, [state]);

  if (!state) {
    return <main class="options">{loadError ? <p class="alert">{errorText(loadError)}</p> : null}</main>;
  }

  const urlCheck = serverUrl !== null ? parseServerUrl(serverUrl) : null;

  function pair(event: Event) {
    event.preventDefault();
    if (busy || serverUrl === null) return;
    if (urlCheck && !urlCheck.ok) {
      return setError({ kind: "invalid_input", code: "invalid_server_url", message: urlCheck.reason });
    }
    setBusy(true);
    setError(null);
    // Firefox gives every installation its own moz-extension:// origin, which no server allow-list can name; with host
    // access to the server the extension's requests need no CORS. Asked here, inside the click, for that one host
    // (without its port: a Firefox match pattern with a port matches nothing). Chrome reaches the API through the
    // worker's CORS allow-list and asks for nothing.
    const access =
      import.meta.env.FIREFOX && urlCheck?.ok
        ? browser.permissions.request({ origins: [serverHostPattern(urlCheck.url)] })
        : Promise.resolve(true);
    access
      .then((granted) => {
        if (!granted) throw new BackgroundError({ kind: "network", code: "host_permission_denied", message: "Access to the server was not granted" });
        return sendToBackground({ type: "pair", serverUrl, code });
      })
      .then((next) => {
        accept(next);
        setCode("");
      })
      .catch((failure: BackgroundError) => setError({ kind: failure.kind, code: failure.code, message: failure.message }))
      .finally(() => setBusy(false));
  }

  function unpair() {
    setBusy(true);
    sendToBackground({ type: "unpair" })
      .then(accept, (failure: BackgroundError) => setError({ kind: failure.kind, code: failure.code, message: failure.message }))
      .finally(() => setBusy(false));
  }

  const urlError = error?.code === "invalid_server_url" ? error : null;
  const codeError = error && !urlError ? error : null;

  return (
    <main class="options">
      <h1>{t("options.title")}</h1>

      {state.paired && state.user && state.org ? (
        <section class="card" data-testid="paired">
          <h2>{t("options.pairedHeading")}</h2>
          <dl class="facts">
            <dt>{t("options.pairedAs")}</dt>
            <dd>
              <span data-testid="paired-user">{state.user.name}</span>{" "}
              <span class="muted">({t(`role.${state.user.role}`)})</span>
            </dd>
            <dt>{t("options.org")}</dt>
            <dd data-testid="paired-org">{state.org.name}</dd>
            <dt>{t("options.server")}</dt>
            <dd data-testid="paired-server">{state.serverUrl}</dd>
          </dl>
          {state.pendingCount > 0 && (
            <p class="muted small">{t("options.unpairPending", state.pendingCount, [String(state.pendingCount)])}</p>
          )}
          {error && <p class="alert" role="alert">{errorText(error, state.serverUrl)}</p>}
          <button type="button" class="danger" data-testid="unpair-button" disabled={busy} onClick={unpair}>
            {t("options.unpair")}
          </button>
          <OpenConsoleButton state={state} />
        </section>
      ) : (
        <form class="card" onSubmit={pair} noValidate data-testid="pair-form">
          <h2>{t("options.pairHeading")}</h2>
          <label class="field">
            <span>{t("options.serverUrl")}</span>
            <input
              type="url"
              inputMode="url"
              spellcheck={false}
              autoComplete="url"
              value={serverUrl ?? ""}
              onInput={(e) => {
                setServerUrl(e.currentTarget.value);
                if (urlError) setError(null);
              }}
              aria-invalid={urlError ? true : undefined}
              data-testid="server-url"
            />
            {urlError ? (
              <small class="error" data-testid="server-url-error">
                {errorText(urlError)}
              </small>
            ) : (
              <small class="muted">{t("options.serverUrlHelp")}</small>
            )}
          </label>
          <label class="field">
            <span>{t("options.pairingCode")}</span>
            <input
              class="code"
              value={code}
              maxLength={12}
              autoComplete="one-time-code"
              autoCapitalize="characters"
              spellcheck={false}
              placeholder="ABCD2345"
              onInput={(e) => {
                setCode(e.currentTarget.value.toUpperCase());
                if (codeError) setError(null);
              }}
              aria-invalid={codeError ? true : undefined}
              data-testid="pairing-code"
            />
            <small class="muted">{t("options.pairingCodeHelp")}</small>
          </label>
          {codeError && (
            <p class="alert" role="alert" data-testid="pair-error" data-code={codeError.code ?? codeError.kind}>
              {errorText(codeError, serverUrl ?? undefined)}
            </p>
          )}
          <button type="submit" class="primary" disabled={busy || code.trim() === ""} data-testid="pair-button">
            {busy ? t("options.pairing") : t("options.pair")}
          </button>
        </form>
      )}

      <PreferencesCards />
      <SitesSettings />
      <ShortcutsCard />
      {state.paired && <SentLog state={state} />}
    </main>
  );
}
