import type { ComponentType } from "preact";
import { useEffect, useLayoutEffect, useRef, useState } from "preact/hooks";
import { browser } from "#imports";
import type { Org } from "../../../shared/schemas/org";
import { useExtensionState } from "../useExtensionState";
import { useApi } from "./api";
import { ErrorNote, Loading } from "./components";
import { useHashRoute, useLoad } from "./hooks";
import { isLeader, SessionContext, type Session } from "./session";
import { locale, t } from "./t";
import { AlertsPage } from "./pages/Alerts";
import { BoardPage } from "./pages/Board";
import { ChannelsPage } from "./pages/Channels";
import { ImportExportPage } from "./pages/ImportExport";
import { PeoplePage } from "./pages/People";
import { SettingsPage } from "./pages/Settings";
import { TargetsPage } from "./pages/Targets";

/**
 * The manager & admin console: a full page (console.html) for managers, directors and admins, in their data scope.
 * Pages are hash routes (#/board, #/people, …). Everything goes through the background's `api` message; the API
 * enforces each role's scope, the console only hides what the role cannot do.
 */

type Role = Session["user"]["role"];

export interface PageSpec {
  id: string;
  component: ComponentType;
  /** Roles that see the page (all leaders when absent). */
  roles?: readonly Role[];
}

export const PAGES: readonly PageSpec[] = [
  { id: "board", component: BoardPage },
  { id: "alerts", component: AlertsPage },
  { id: "targets", component: TargetsPage },
  { id: "people", component: PeoplePage },
  { id: "channels", component: ChannelsPage },
  { id: "import", component: ImportExportPage },
  { id: "settings", component: SettingsPage, roles: ["admin"] },
];

export function pagesFor(role: Role): PageSpec[] {
  return PAGES.filter((page) => (page.roles ? page.roles.includes(role) : isLeader(role)));
}

/** The page entry: the paired user from the background's state, then the console for leaders. */
export function Console() {
  const { state, loadError } = useExtensionState();
  useEffect(() => {
    document.title = `${t("console.title")} · ${t("extName")}`;
    document.documentElement.lang = locale();
  }, []);
  if (!state) return <main class="console-gate">{loadError ? <ErrorNote error={loadError} /> : <Loading />}</main>;
  if (!state.paired || !state.user) {
    return (
      <main class="console-gate" data-testid="console-not-paired">
        <h1>{t("console.title")}</h1>
        <p>{t("console.notPaired")}</p>
        <button type="button" class="btn btn-primary" onClick={() => void browser.runtime.openOptionsPage()}>
          {t("console.openSettings")}
        </button>
      </main>
    );
  }
  if (!isLeader(state.user.role)) {
    return (
      <main class="console-gate" data-testid="console-not-leader">
        <h1>{t("console.title")}</h1>
        <p>{t("console.notLeader")}</p>
      </main>
    );
  }
  return <ConsoleApp user={state.user} serverUrl={state.serverUrl} />;
}

/** The console for a paired leader (rendered directly by component tests with their own ApiContext). */
export function ConsoleApp({ user, serverUrl }: { user: Session["user"]; serverUrl: string }) {
  const api = useApi();
  const org = useLoad(() => api.call("getOrg"), []);
  const [orgOverride, setOrg] = useState<Org | null>(null);
  const pages = pagesFor(user.role);
  const route = useHashRoute(pages[0]!.id);
  const page = pages.find((p) => p.id === route) ?? null;
  const current = orgOverride ?? org.data;

  // After navigating (not on the first load), focus the new page's heading so keyboard and screen-reader users land
  // on it — as soon as it exists (the org may still be loading). A layout effect: it runs right after the DOM changed.
  const shownRoute = useRef(route);
  const focusPending = useRef(false);
  useLayoutEffect(() => {
    if (route !== shownRoute.current) {
      shownRoute.current = route;
      focusPending.current = true;
    }
    const heading = focusPending.current ? document.getElementById("page-title") : null;
    if (heading) {
      heading.focus();
      focusPending.current = false;
    }
  });

  return (
    <div class="console" data-role={user.role}>
      <header class="console-top">
        <a class="skip" href="#page">
          {t("console.skip")}
        </a>
        <div class="console-brand">
          <strong>{t("console.title")}</strong>
          <span class="muted">{current?.name ?? ""}</span>
        </div>
        <div class="console-user" data-testid="console-user">
          {user.name} · {t(`role.${user.role}`)}
        </div>
      </header>
      <nav class="console-nav" aria-label={t("console.navLabel")}>
        <ul>
          {pages.map((p) => (
            <li key={p.id}>
              <a href={`#/${p.id}`} aria-current={p.id === page?.id ? "page" : undefined} data-testid={`nav-${p.id}`}>
                {t(`console.nav.${p.id as "board"}`)}
              </a>
            </li>
          ))}
        </ul>
      </nav>
      <main id="page" class="console-main" data-testid="console-main">
        {org.error ? (
          <ErrorNote error={org.error} />
        ) : !current ? (
          <Loading />
        ) : !page ? (
          <p data-testid="page-unavailable">{t("console.unavailable")}</p>
        ) : (
          <SessionContext.Provider value={{ user, org: current, serverUrl, setOrg }}>
            <page.component />
          </SessionContext.Provider>
        )}
      </main>
    </div>
  );
}
