import { buildPairingCodes } from "../db/seed";
import { api, json, runSql } from "./helpers";

/**
 * An org with a department tree for scope tests:
 *
 *   dept (director Dora)
 *   ├── team1 (manager Mia) — reps Rob, Rae
 *   └── team2 (manager Max) — rep Ron
 *   admin Ada (no team)
 *
 * plus another org with an admin and a rep. Every user gets a device token.
 */
export const ROLES_FIXTURE = {
  ada: { role: "admin", team: null, manager: null },
  dora: { role: "director", team: "dept", manager: "ada" },
  mia: { role: "manager", team: "team1", manager: "dora" },
  max: { role: "manager", team: "team2", manager: "dora" },
  rob: { role: "rep", team: "team1", manager: "mia" },
  rae: { role: "rep", team: "team1", manager: "mia" },
  ron: { role: "rep", team: "team2", manager: "max" },
} as const;
export type FixtureUser = keyof typeof ROLES_FIXTURE | "xadmin" | "xrep";

export interface Fixture {
  orgId: string;
  otherOrgId: string;
  id(user: FixtureUser): string;
  token(user: FixtureUser): string;
}

export async function makeFixture(prefix: string, now = Date.now()): Promise<Fixture> {
  const orgId = `org_${prefix}`;
  const otherOrgId = `org_${prefix}_x`;
  const id = (u: FixtureUser) => `usr_${prefix}_${u}`;
  const team = (t: string) => `team_${prefix}_${t}`;
  const s: string[] = [
    `INSERT INTO orgs (id, name, time_zone, language, created_at) VALUES ('${orgId}', 'Fixture ${prefix}', 'Asia/Shanghai', 'en', ${now})`,
    `INSERT INTO orgs (id, name, time_zone, language, created_at) VALUES ('${otherOrgId}', 'Other ${prefix}', 'Europe/Berlin', 'en', ${now})`,
    `INSERT INTO teams (id, org_id, parent_id, name, kind, leader_id) VALUES ('${team("dept")}', '${orgId}', NULL, 'Dept', 'department', '${id("dora")}')`,
    `INSERT INTO teams (id, org_id, parent_id, name, kind, leader_id) VALUES ('${team("team1")}', '${orgId}', '${team("dept")}', 'Team 1', 'team', '${id("mia")}')`,
    `INSERT INTO teams (id, org_id, parent_id, name, kind, leader_id) VALUES ('${team("team2")}', '${orgId}', '${team("dept")}', 'Team 2', 'team', '${id("max")}')`,
    `INSERT INTO teams (id, org_id, parent_id, name, kind) VALUES ('${team("xteam")}', '${otherOrgId}', NULL, 'X team', 'team')`,
  ];
  for (const [name, u] of Object.entries(ROLES_FIXTURE)) {
    s.push(
      `INSERT INTO users (id, org_id, team_id, name, role, seniority, manager_id, created_at) VALUES ('${id(name as FixtureUser)}', '${orgId}', ${
        u.team ? `'${team(u.team)}'` : "NULL"
      }, '${name}', '${u.role}', 'mid', ${u.manager ? `'${id(u.manager)}'` : "NULL"}, ${now})`,
    );
  }
  s.push(`INSERT INTO users (id, org_id, team_id, name, role, seniority, created_at) VALUES ('${id("xadmin")}', '${otherOrgId}', NULL, 'xadmin', 'admin', 'mid', ${now})`);
  s.push(`INSERT INTO users (id, org_id, team_id, name, role, seniority, created_at) VALUES ('${id("xrep")}', '${otherOrgId}', '${team("xteam")}', 'xrep', 'rep', 'mid', ${now})`);
  await runSql(s);

  const all: FixtureUser[] = [...(Object.keys(ROLES_FIXTURE) as FixtureUser[]), "xadmin", "xrep"];
  const tokens = new Map<FixtureUser, string>();
  for (const u of all) {
    const { statements, codes } = await buildPairingCodes(now, [{ id: id(u), name: u, role: "rep" }], u.startsWith("x") ? otherOrgId : orgId);
    await runSql(statements);
    const res = await api("/v1/pair", { method: "POST", body: JSON.stringify({ code: codes[0]!.code }), now });
    if (res.status !== 200) throw new Error(`fixture pairing failed for ${u}: ${await res.text()}`);
    tokens.set(u, (await json<{ token: string }>(res)).token);
  }
  return { orgId, otherOrgId, id, token: (u) => tokens.get(u)! };
}
