import { execFile } from "node:child_process";
import { createHash } from "node:crypto";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { orgIdFor, parseBootstrapArgs, UsageError } from "../worker/scripts/bootstrap";
import { ROOT } from "../worker/scripts/local-d1";
import { startWorker, type WorkerHandle } from "./helpers/worker";

/**
 * npm run bootstrap: the first admin of a new org. Argument checks in-process; the real thing as the CLI a person
 * runs, against the local D1 of a running worker (wrangler dev on local workerd), then paired through the API.
 */

const TSX = join(ROOT, "node_modules/.bin/tsx");
const SCRIPT = join(ROOT, "worker/scripts/bootstrap.ts");

async function runCli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await promisify(execFile)(TSX, [SCRIPT, ...args], { cwd: ROOT, env: { ...process.env, WRANGLER_SEND_METRICS: "false" } });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code?: number; stdout?: string; stderr?: string };
    return { code: e.code ?? -1, stdout: e.stdout ?? "", stderr: e.stderr ?? "" };
  }
}

describe("bootstrap arguments", () => {
  const base = ["--org", "Acme", "--admin", "Ada", "--tz", "Asia/Shanghai"];

  it("takes the documented flags and derives the org id from the name", () => {
    expect(parseBootstrapArgs([...base, "--email", "ada@acme.test", "--lang", "zh-CN"])).toMatchObject({
      org: "Acme",
      admin: "Ada",
      email: "ada@acme.test",
      tz: "Asia/Shanghai",
      lang: "zh-CN",
      id: "org_acme",
      remote: false,
    });
    expect(parseBootstrapArgs([...base, "--id", "org_acme-cn", "--remote"])).toMatchObject({ id: "org_acme-cn", remote: true, lang: "en" });
    expect(orgIdFor("Acme Sales (East) GmbH")).toBe("org_acme_sales_east_gmbh");
    expect(orgIdFor("东方销售")).toMatch(/^org_[0-9a-f]{12}$/);
  });

  it.each<[string, string[], RegExp]>([
    ["no org", ["--admin", "Ada", "--tz", "Asia/Shanghai"], /--org: is required/],
    ["a blank admin", ["--org", "Acme", "--admin", "  ", "--tz", "Asia/Shanghai"], /--admin: must not be empty/],
    ["no timezone", ["--org", "Acme", "--admin", "Ada"], /--tz: is required/],
    ["an unknown timezone", [...base.slice(0, 4), "--tz", "Mars/Olympus"], /--tz: Unknown IANA timezone/],
    ["an unknown language", [...base, "--lang", "fr"], /--lang:/],
    ["a bad e-mail", [...base, "--email", "ada"], /--email: is not an e-mail address/],
    ["a bad org id", [...base, "--id", "Org Acme!"], /--id: 3–64 characters/],
    ["an unknown flag", [...base, "--password", "x"], /Unknown option '--password'/],
    ["--persist-to with --remote", [...base, "--remote", "--persist-to", "/tmp/x"], /--persist-to: .*local D1 only/],
  ])("refuses %s with a message naming the flag", (_, argv, message) => {
    expect(() => parseBootstrapArgs(argv)).toThrow(UsageError);
    expect(() => parseBootstrapArgs(argv)).toThrow(message);
  });
});

describe("npm run bootstrap against a running worker", () => {
  let worker: WorkerHandle;
  beforeAll(async () => {
    worker = await startWorker();
  }, 180_000);
  afterAll(async () => {
    await worker?.dispose();
  });

  const post = (path: string, body: unknown, token?: string) =>
    fetch(`${worker.url}${path}`, {
      method: "POST",
      headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify(body),
    });
  const get = (path: string, token: string) => fetch(`${worker.url}${path}`, { headers: { authorization: `Bearer ${token}` } });

  it("creates the org and its admin, prints a 10-minute code the extension pairs with, and refuses a second org with the same id", async () => {
    const args = ["--org", "Acme Test", "--admin", "Ada Admin", "--email", "ada@acme.test", "--tz", "Asia/Shanghai", "--lang", "zh-CN", "--persist-to", worker.persistTo];
    const first = await runCli(args);
    expect(first.code, first.stderr).toBe(0);
    const code = /Pairing code: ([A-Z0-9]{8})/.exec(first.stdout)?.[1];
    expect(code, first.stdout).toBeDefined();

    // Stored hashed, expiring 10 minutes after creation, in the new org.
    const [stored] = await worker.query<{ code_hash: string; ttl: number; org_id: string; role: string }>(
      "SELECT p.code_hash, p.expires_at - p.created_at AS ttl, p.org_id, u.role FROM pairing_codes p JOIN users u ON u.id = p.user_id WHERE p.org_id = 'org_acme_test'",
    );
    expect(stored).toEqual({ code_hash: createHash("sha256").update(code!).digest("hex"), ttl: 600_000, org_id: "org_acme_test", role: "admin" });

    // The extension's pairing exchange, then the admin at work.
    const paired = await post("/v1/pair", { code, deviceLabel: "bootstrap test" });
    expect(paired.status, await paired.clone().text()).toBe(200);
    const { token, user, org } = (await paired.json()) as { token: string; user: { role: string; name: string }; org: { id: string; name: string; timeZone: string; language: string } };
    expect(user).toMatchObject({ role: "admin", name: "Ada Admin" });
    expect(org).toEqual({ id: "org_acme_test", name: "Acme Test", timeZone: "Asia/Shanghai", language: "zh-CN" });
    expect((await (await get("/v1/org", token)).json()) as object).toMatchObject({ weekStartsOn: 1, workingWeekdays: [1, 2, 3, 4, 5], settings: { leaderboardPrivacy: "full" } });
    const team = await post("/v1/teams", { name: "Sales" }, token);
    expect(team.status).toBe(201);
    const rep = (await (await post("/v1/users", { name: "Rob Rep" }, token)).json()) as { id: string };
    expect((await post("/v1/pairing-codes", { userId: rep.id }, token)).status).toBe(201);

    // The code was one-time.
    expect((await post("/v1/pair", { code })).status).toBe(400);

    // Same org again: refused, nothing written.
    const count = async () => (await worker.query<{ n: number }>("SELECT (SELECT count(*) FROM orgs) + (SELECT count(*) FROM users) + (SELECT count(*) FROM pairing_codes) AS n"))[0]!.n;
    const before = await count();
    const again = await runCli(["--org", "Acme Test", "--admin", "Eve", "--tz", "Europe/Berlin", "--persist-to", worker.persistTo]);
    expect(again.code).toBe(2);
    expect(again.stderr).toContain("An org with id org_acme_test exists already");
    expect(again.stdout).not.toMatch(/Pairing code/);
    expect(await count()).toBe(before);
  }, 180_000);
});
