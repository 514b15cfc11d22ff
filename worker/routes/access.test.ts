import { beforeAll, describe, expect, it } from "vitest";
import { api } from "../test/helpers";
import { makeFixture, type Fixture, type FixtureUser } from "../test/fixture";

/**
 * The access matrix: every route × caller role × subject (own team, other team, other org),
 * generated from one table. Expected answers follow from two rules: the route's roles
 * (else 403) and the caller's data scope (else 404 — never reveal what exists elsewhere).
 */
type Caller = "ada" | "dora" | "mia" | "max" | "rob" | "xadmin";
type Subject = "rob" | "ron" | "xrep";
const CALLERS: Caller[] = ["ada", "dora", "mia", "max", "rob", "xadmin"];
const SUBJECTS: Subject[] = ["rob", "ron", "xrep"];
const ROLE: Record<Caller, string> = { ada: "admin", dora: "director", mia: "manager", max: "manager", rob: "rep", xadmin: "admin" };

/** Who each caller may see, by the scope rules: rep self, manager team, director subtree, admin org. */
const VISIBLE: Record<Caller, Subject[]> = {
  ada: ["rob", "ron"],
  dora: ["rob", "ron"],
  mia: ["rob"],
  max: ["ron"],
  rob: ["rob"],
  xadmin: ["xrep"],
};

interface RouteCase {
  name: string;
  roles: string[];
  /** Does the answer depend on the subject being in scope? */
  scoped: boolean;
  request(f: Fixture, subject: string): { path: string; method?: string; body?: unknown };
  ok: number;
}

const ALL = ["admin", "director", "manager", "rep"];
const LEADERS = ["admin", "director", "manager"];

/** A one-rep plan for the subject's own team. */
const aclPlan = (s: string) => ({
  year: 2026,
  scope: "team",
  teamId: s.endsWith("_ron") ? "team_acl_team2" : s.endsWith("_xrep") ? "team_acl_xteam" : "team_acl_team1",
  annual: 1_200,
  reps: [s],
});

const ROUTES: RouteCase[] = [
  { name: "GET /v1/users/:id", roles: ALL, scoped: true, ok: 200, request: (_, s) => ({ path: `/v1/users/${s}` }) },
  { name: "GET /v1/progress?userId", roles: ALL, scoped: true, ok: 200, request: (_, s) => ({ path: `/v1/progress?userId=${s}` }) },
  { name: "GET /v1/tokens?userId", roles: ALL, scoped: true, ok: 200, request: (_, s) => ({ path: `/v1/tokens?userId=${s}` }) },
  { name: "POST /v1/pairing-codes", roles: LEADERS, scoped: true, ok: 201, request: (_, s) => ({ path: "/v1/pairing-codes", method: "POST", body: { userId: s } }) },
  { name: "PATCH /v1/users/:id", roles: LEADERS, scoped: true, ok: 200, request: (_, s) => ({ path: `/v1/users/${s}`, method: "PATCH", body: { seniority: "senior" } }) },
  { name: "GET /v1/org", roles: ALL, scoped: false, ok: 200, request: () => ({ path: "/v1/org" }) },
  { name: "PATCH /v1/org", roles: ["admin"], scoped: false, ok: 200, request: () => ({ path: "/v1/org", method: "PATCH", body: { holidays: ["2026-10-01"] } }) },
  { name: "GET /v1/users", roles: ALL, scoped: false, ok: 200, request: () => ({ path: "/v1/users" }) },
  { name: "GET /v1/teams", roles: ALL, scoped: false, ok: 200, request: () => ({ path: "/v1/teams" }) },
  { name: "POST /v1/teams", roles: ["admin"], scoped: false, ok: 201, request: () => ({ path: "/v1/teams", method: "POST", body: { name: "New team" } }) },
  { name: "GET /v1/team/summary", roles: LEADERS, scoped: false, ok: 200, request: () => ({ path: "/v1/team/summary" }) },
  { name: "GET /v1/me", roles: ALL, scoped: false, ok: 200, request: () => ({ path: "/v1/me" }) },
  { name: "GET /v1/alerts?userId", roles: ALL, scoped: true, ok: 200, request: (_, s) => ({ path: `/v1/alerts?userId=${s}` }) },
  { name: "GET /v1/awards?userId", roles: ALL, scoped: true, ok: 200, request: (_, s) => ({ path: `/v1/awards?userId=${s}` }) },
  // Targets and CSV: the subject is a rep; plans are for the subject's team (team_acl_team1/team2/xteam).
  { name: "GET /v1/targets?subjectId", roles: ALL, scoped: true, ok: 200, request: (_, s) => ({ path: `/v1/targets?scope=rep&subjectId=${s}` }) },
  {
    name: "POST /v1/targets",
    roles: LEADERS,
    scoped: true,
    ok: 201,
    // A fresh day per case, so one caller's success does not make the next a 409.
    request: ((n) => (_: Fixture, s: string) => ({
      path: "/v1/targets",
      method: "POST",
      body: { scope: "rep", subjectId: s, periodKey: `2031-01-${String(++n.i).padStart(2, "0")}`, amount: 1 },
    }))({ i: 0 }),
  },
  { name: "POST /v1/targets/decompose", roles: LEADERS, scoped: true, ok: 200, request: (_, s) => ({ path: "/v1/targets/decompose", method: "POST", body: aclPlan(s) }) },
  {
    name: "POST /v1/targets/decompose/apply",
    roles: LEADERS,
    scoped: true,
    ok: 200,
    request: (_, s) => ({ path: "/v1/targets/decompose/apply", method: "POST", body: { ...aclPlan(s), reason: "matrix" } }),
  },
  { name: "GET /v1/export/targets.csv?userId", roles: ALL, scoped: true, ok: 200, request: (_, s) => ({ path: `/v1/export/targets.csv?userId=${s}` }) },
  { name: "GET /v1/export/activities.csv?userId", roles: ALL, scoped: true, ok: 200, request: (_, s) => ({ path: `/v1/export/activities.csv?userId=${s}` }) },
];

function expected(route: RouteCase, caller: Caller, subject: Subject): number {
  if (!route.roles.includes(ROLE[caller])) return 403;
  if (route.scoped && !VISIBLE[caller].includes(subject)) return 404;
  return route.ok;
}

const cases = ROUTES.flatMap((route) =>
  CALLERS.flatMap((caller) =>
    (route.scoped ? SUBJECTS : (["rob"] as Subject[])).map((subject) => ({ route, caller, subject, status: expected(route, caller, subject) })),
  ),
);

describe("access matrix", () => {
  let f: Fixture;
  beforeAll(async () => {
    f = await makeFixture("acl");
  });

  it.each(cases.map((c) => [c.route.name, c.caller, c.route.scoped ? c.subject : "-", c.status, c] as const))(
    "%s as %s on %s → %i",
    async (_n, _c, _s, status, { route, caller, subject }) => {
      const req = route.request(f, f.id(subject as FixtureUser));
      const res = await api(req.path, {
        method: req.method ?? "GET",
        token: f.token(caller as FixtureUser),
        ...(req.body === undefined ? {} : { body: JSON.stringify(req.body) }),
      });
      const text = await res.text();
      expect(res.status, text).toBe(status);
      if (status >= 400) expect(JSON.parse(text).error.code).toBe(status === 403 ? "forbidden" : "not_found");
      // Zero leaks: no answer to a caller of the other org ever names this org's users, and vice versa.
      const foreign = caller === "xadmin" ? ["rob", "ron", "rae", "mia", "max", "dora", "ada"] : ["xrep", "xadmin"];
      for (const u of foreign) expect(text).not.toContain(f.id(u as FixtureUser));
    },
  );

  it("lists exactly the users in scope", async () => {
    const names = async (caller: FixtureUser) =>
      ((await (await api("/v1/users", { token: f.token(caller) })).json()) as { users: { name: string }[] }).users.map((u) => u.name).sort();
    expect(await names("ada")).toEqual(["ada", "dora", "max", "mia", "rae", "rob", "ron"]);
    expect(await names("dora")).toEqual(["dora", "max", "mia", "rae", "rob", "ron"]);
    expect(await names("mia")).toEqual(["mia", "rae", "rob"]);
    expect(await names("rob")).toEqual(["rob"]);
    expect(await names("xadmin")).toEqual(["xadmin", "xrep"]);
  });

  it.each([
    ["org id", { orgId: "org_acl_x", name: "x" }],
    ["id", { id: "usr_forged", name: "x" }],
    ["createdAt", { createdAt: 0, name: "x" }],
  ])("rejects mass assignment of %s", async (_, body) => {
    const res = await api("/v1/users", { method: "POST", body: JSON.stringify(body), token: f.token("ada") });
    expect(res.status).toBe(400);
  });

  it("summarises only the reps in scope", async () => {
    const names = async (caller: FixtureUser) =>
      ((await (await api("/v1/team/summary", { token: f.token(caller) })).json()) as { reps: { name: string }[] }).reps.map((r) => r.name);
    expect(await names("ada")).toEqual(["rae", "rob", "ron"]);
    expect(await names("dora")).toEqual(["rae", "rob", "ron"]);
    expect(await names("mia")).toEqual(["rae", "rob"]);
    expect(await names("max")).toEqual(["ron"]);
    expect(await names("xadmin")).toEqual(["xrep"]);
  });

  it("does not let a manager promote anyone", async () => {
    const res = await api(`/v1/users/${f.id("rob")}`, { method: "PATCH", body: JSON.stringify({ role: "admin" }), token: f.token("mia") });
    expect(res.status).toBe(403);
  });

  it("does not let a manager move a rep to a team outside their scope", async () => {
    const res = await api(`/v1/users/${f.id("rob")}`, { method: "PATCH", body: JSON.stringify({ teamId: "team_acl_team2" }), token: f.token("mia") });
    expect(res.status).toBe(400);
  });
});
