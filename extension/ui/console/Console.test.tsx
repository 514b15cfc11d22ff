// @vitest-environment happy-dom
import { beforeEach, describe, expect, test } from "vitest";
import { fakeBrowser } from "wxt/testing";
import { BackgroundError } from "../../messages";
import type { RouteResponse } from "../../../shared/api";
import { ConsoleApp, pagesFor } from "./Console";
import { PeoplePage } from "./pages/People";
import { SettingsPage } from "./pages/Settings";
import { change, click, fakeApi, mount, ORG, settle, submit, type, useEnglishMessages, type Handlers } from "./testing";

/**
 * Forms show the shared zod schemas' errors (and the API's field details) next to their field; a manager sees only
 * their team and none of the admin's controls.
 */

type Users = RouteResponse<"listUsers">["users"];
type Teams = RouteResponse<"listTeams">["teams"];

const ADMIN = { id: "usr_admin", name: "Zhou Min", role: "admin" as const, seniority: "senior", teamId: null };
const MANAGER = { id: "usr_wang", name: "Wang Fang", role: "manager" as const, seniority: "senior", teamId: "team_east" };

const user = (u: Partial<Users[number]> & Pick<Users[number], "id" | "name">): Users[number] => ({
  email: null,
  role: "rep",
  seniority: "mid",
  teamId: "team_east",
  managerId: "usr_wang",
  hireDate: null,
  rampPercent: 100,
  active: true,
  ...u,
});
const EAST: Teams = [{ id: "team_east", name: "East", kind: "team", parentId: "dept_sales", leaderId: "usr_wang" }];
const ALL_TEAMS: Teams = [{ id: "dept_sales", name: "Sales", kind: "department", parentId: null, leaderId: "usr_admin" }, ...EAST, { id: "team_west", name: "West", kind: "team", parentId: "dept_sales", leaderId: null }];
const EAST_USERS: Users = [
  user({ id: "usr_wang", name: "Wang Fang", role: "manager", seniority: "senior", managerId: "usr_admin" }),
  user({ id: "usr_li", name: "Li Lei", seniority: "junior" }),
  user({ id: "usr_chen", name: "Chen Jing" }),
];

/** What the API answers a manager of East: their team and its people only (the worker's scope rules). */
function managerHandlers(extra: Handlers = {}): Handlers {
  return {
    getOrg: () => ORG,
    listTeams: () => ({ teams: EAST }),
    listUsers: () => ({ users: EAST_USERS }),
    listChannels: () => ({ channels: [] }),
    listTargets: () => ({ targets: [] }),
    ...extra,
  };
}

beforeEach(async () => {
  fakeBrowser.reset();
  await useEnglishMessages();
  document.body.innerHTML = "";
  location.hash = "";
});

describe("forms: zod errors next to the field", () => {
  test("a new person: the shared schema's errors appear under each field, nothing is sent", async () => {
    const { api, of } = fakeApi({ listTeams: () => ({ teams: ALL_TEAMS }), listUsers: () => ({ users: EAST_USERS }) });
    const view = await mount(<PeoplePage />, api, { user: ADMIN });
    await click(view.get("add-user"));
    await type(view.get("field-rampPercent"), "150");
    await type(view.get("field-email"), "not-an-email");
    await submit(view.get("user-form").querySelector("form")!);

    expect(view.get("error-name").textContent).toBe("Required");
    expect(view.get("error-email").textContent).toBe("Not an e-mail address");
    expect(view.get("error-rampPercent").textContent).toBe("At most 100");
    const name = view.get("field-name");
    expect(name.getAttribute("aria-invalid")).toBe("true");
    expect(document.getElementById(name.getAttribute("aria-describedby")!)?.textContent).toBe("Required");
    expect(of("createUser")).toHaveLength(0);
  });

  test("the API's field details land next to the field they name", async () => {
    const { api, of } = fakeApi({
      listTeams: () => ({ teams: ALL_TEAMS }),
      listUsers: () => ({ users: EAST_USERS }),
      createUser: () => {
        throw new BackgroundError({ kind: "http", code: "validation_failed", message: "Unknown team", details: [{ path: "teamId", message: "not in your scope" }] });
      },
    });
    const view = await mount(<PeoplePage />, api, { user: ADMIN });
    await click(view.get("add-user"));
    await type(view.get("field-name"), "Zhao Lei");
    await change(view.get("field-teamId"), "team_west");
    await submit(view.get("user-form").querySelector("form")!);

    expect(of("createUser")[0]!.options.body).toMatchObject({ name: "Zhao Lei", teamId: "team_west", role: "rep" });
    expect(view.get("error-teamId").textContent).toBe("not in your scope");
    expect(view.get("error").getAttribute("data-code")).toBe("validation_failed");
    expect(view.query("error-name")).toBeNull();
  });

  test("org settings: a refinement of the schema (weights sum to 100) is shown at its field; a fixed form saves", async () => {
    let saved: unknown = null;
    const { api } = fakeApi({
      updateOrg: ({ body }) => {
        saved = body;
        return { ...ORG, settings: { ...ORG.settings, scoreWeights: { result: 80, process: 20 } } };
      },
    });
    const view = await mount(<SettingsPage />, api, { user: ADMIN });
    await type(view.get("field-settings.scoreWeights.result"), "80");
    await type(view.get("field-settings.scoreWeights.process"), "30");
    await type(view.get("field-settings.keyCustomerSilenceDays"), "0");
    await submit(view.get("settings-form"));
    expect(view.get("error-settings.scoreWeights.result").textContent).toBe("result + process must be 100");
    expect(view.get("error-settings.keyCustomerSilenceDays").textContent).toBe("At least 1");
    expect(saved).toBeNull();

    await type(view.get("field-settings.scoreWeights.process"), "20");
    await type(view.get("field-settings.keyCustomerSilenceDays"), "10");
    await type(view.get("field-settings.kpiOverrides.junior.touch"), "9");
    await submit(view.get("settings-form"));
    expect(view.query("error-settings.scoreWeights.result")).toBeNull();
    expect(view.get("settings-saved")).toBeTruthy();
    expect(saved).toMatchObject({ settings: { scoreWeights: { result: 80, process: 20 }, keyCustomerSilenceDays: 10, kpiOverrides: { junior: { touch: 9 } } } });
    // Only the cell that differs from the seed table becomes an override.
    expect((saved as { settings: { kpiOverrides: object } }).settings.kpiOverrides).toEqual({ junior: { touch: 9 } });
  });

  test("the holiday calendar toggles a working day into a holiday and a weekend into a make-up day", async () => {
    let saved: { holidays?: string[]; makeupWorkdays?: string[] } | null = null;
    const { api } = fakeApi({ updateOrg: ({ body }) => ((saved = body as typeof saved), ORG) });
    const view = await mount(<SettingsPage />, api, { user: ADMIN });
    const month = view.get("calendar-month").textContent;
    const days = [...view.get("calendar").querySelectorAll<HTMLElement>("[data-day]")];
    const working = days.find((d) => d.dataset.kind === "working")!;
    const off = days.find((d) => d.dataset.kind === "off")!;
    await click(working);
    await click(off);
    expect(working.dataset.kind).toBe("holiday");
    expect(working.getAttribute("aria-pressed")).toBe("true");
    expect(off.dataset.kind).toBe("makeup");
    expect(month).toBeTruthy();
    await submit(view.get("settings-form"));
    expect(saved!.holidays).toEqual([working.dataset.day]);
    expect(saved!.makeupWorkdays).toEqual([off.dataset.day]);
  });
});

describe("scope: a manager sees only their team", () => {
  test("no org settings page, and the route to it says so", async () => {
    expect(pagesFor("manager").map((p) => p.id)).not.toContain("settings");
    expect(pagesFor("admin").map((p) => p.id)).toContain("settings");
    location.hash = "#/settings";
    const { api } = fakeApi(managerHandlers());
    const view = await mount(<ConsoleApp user={MANAGER} serverUrl="http://127.0.0.1:8787" />, api);
    expect(view.query("nav-settings")).toBeNull();
    expect(view.get("page-unavailable")).toBeTruthy();
  });

  test("teams and people: only the team's people, no team editing, reps only", async () => {
    location.hash = "#/people";
    const { api } = fakeApi(managerHandlers());
    const view = await mount(<ConsoleApp user={MANAGER} serverUrl="http://127.0.0.1:8787" />, api);
    const tree = view.get("team-tree").textContent!;
    expect(tree).toContain("East");
    expect(tree).not.toContain("West");
    expect(view.query("add-team")).toBeNull();
    expect(view.get("user-list").querySelectorAll("tbody tr")).toHaveLength(3);
    // The manager cannot edit themself, only their reps.
    expect(view.query("edit-Wang Fang")).toBeNull();
    expect(view.query("edit-Li Lei")).not.toBeNull();

    await click(view.get("add-user"));
    expect(view.query("field-role")).toBeNull(); // reps only: the API refuses other roles
    const teams = [...view.get("field-teamId").querySelectorAll("option")].map((o) => o.value);
    expect(teams).toEqual(["team_east"]); // no "no team", no other team
  });

  test("targets: plans only for their own team", async () => {
    location.hash = "#/targets";
    let asked: unknown = null;
    const { api } = fakeApi(
      managerHandlers({
        decomposeTargets: ({ body }) => {
          asked = body;
          throw new BackgroundError({ kind: "http", code: "forbidden", message: "no" });
        },
      }),
    );
    const view = await mount(<ConsoleApp user={MANAGER} serverUrl="http://127.0.0.1:8787" />, api);
    const scopes = [...view.get("field-scope").querySelectorAll("option")].map((o) => o.value);
    expect(scopes).toEqual(["team"]);
    expect((view.get("field-teamId") as HTMLSelectElement).value).toBe("team_east");
    await type(view.get("field-lastYearActual"), "1000000");
    await click(view.get("plan-preview"));
    await settle();
    expect(asked).toMatchObject({ scope: "team", teamId: "team_east" });
    expect(view.get("error").textContent).toBe("Your role cannot do this.");
  });

  test("channels: a manager's channel belongs to their team (no org-wide choice)", async () => {
    location.hash = "#/channels";
    const { api } = fakeApi(managerHandlers());
    const view = await mount(<ConsoleApp user={MANAGER} serverUrl="http://127.0.0.1:8787" />, api);
    await click(view.get("add-channel"));
    expect(view.query("field-teamId")).toBeNull();
  });

  test("the same pages for an admin show the admin's controls", async () => {
    location.hash = "#/people";
    const { api } = fakeApi({ getOrg: () => ORG, listTeams: () => ({ teams: ALL_TEAMS }), listUsers: () => ({ users: EAST_USERS }) });
    const view = await mount(<ConsoleApp user={ADMIN} serverUrl="http://127.0.0.1:8787" />, api);
    expect(view.get("nav-settings")).toBeTruthy();
    expect(view.get("add-team")).toBeTruthy();
    expect(view.get("team-tree").textContent).toContain("West");
    await click(view.get("add-user"));
    expect(view.get("field-role")).toBeTruthy();
  });
});
