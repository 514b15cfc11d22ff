import { eq } from "drizzle-orm";
import { Hono } from "hono";
import { validateCalendar } from "../../shared/domain/calendar";
import { Org, UpdateOrgRequest } from "../../shared/schemas/org";
import { OrgSettings, type OrgSettingsPatch } from "../../shared/schemas/settings";
import { requireAuth } from "../auth/middleware";
import { requireRole } from "../auth/roles";
import { db as makeDb, type Db } from "../db/client";
import { orgs } from "../db/schema";
import type { AppEnv } from "../env";
import { ApiError } from "../errors";
import { orgSettings } from "../settings";
import { readBody } from "../validate";

/**
 * The settings an org has set, key by key (a stored value that no longer validates is dropped, i.e. back to its
 * default). Only these are stored: a setting left at its default follows the default.
 */
function explicitSettings(stored: Record<string, unknown>): OrgSettingsPatch {
  const kept: Record<string, unknown> = {};
  for (const [key, field] of Object.entries(OrgSettings.shape)) {
    if (!(key in stored)) continue;
    const parsed = field.unwrap().safeParse(stored[key]);
    if (parsed.success) kept[key] = parsed.data;
  }
  return kept as OrgSettingsPatch;
}

async function loadOrg(db: Db, orgId: string) {
  const row = await db.select().from(orgs).where(eq(orgs.id, orgId)).get();
  if (!row) throw new ApiError("not_found", "No such org");
  return { row, org: orgOut(row) };
}

function orgOut(row: typeof orgs.$inferSelect) {
  return Org.parse({
    id: row.id,
    name: row.name,
    timeZone: row.timeZone,
    weekStartsOn: row.weekStartsOn,
    workingWeekdays: row.workingWeekdays,
    holidays: row.holidays,
    makeupWorkdays: row.makeupWorkdays,
    language: row.language,
    settings: orgSettings(row.settings),
  });
}

/** The caller's org: everyone reads it (the extension needs the calendar), admins change it. */
export const org = new Hono<AppEnv>()
  .use(requireAuth)
  .get("/", async (c) => c.json((await loadOrg(makeDb(c.env.DB), c.var.auth.org.id)).org))
  .patch("/", requireRole("admin"), async (c) => {
    const body = await readBody(c, UpdateOrgRequest);
    const db = makeDb(c.env.DB);
    const { row, org: current } = await loadOrg(db, c.var.auth.org.id);
    const settings = { ...explicitSettings(row.settings), ...body.settings };
    const next = { ...current, ...body, settings: OrgSettings.parse(settings) };
    const problems = validateCalendar({
      timeZone: next.timeZone,
      weekStartsOn: next.weekStartsOn as 0,
      workingWeekdays: next.workingWeekdays,
      holidays: next.holidays,
      makeupWorkdays: next.makeupWorkdays,
    });
    if (problems.length) throw new ApiError("validation_failed", "Calendar is invalid", problems.map((message) => ({ path: "", message })));
    if (next.holidays.some((d) => next.makeupWorkdays.includes(d)))
      throw new ApiError("validation_failed", "A day cannot be both a holiday and a make-up working day", [{ path: "makeupWorkdays", message: "overlaps holidays" }]);
    if (next.settings.colourBands.red > next.settings.colourBands.yellow)
      throw new ApiError("validation_failed", "The red band must end before the yellow band", [{ path: "settings.colourBands", message: "red ≤ yellow" }]);
    await db
      .update(orgs)
      .set({
        name: next.name,
        timeZone: next.timeZone,
        weekStartsOn: next.weekStartsOn,
        workingWeekdays: next.workingWeekdays,
        holidays: [...new Set(next.holidays)].sort(),
        makeupWorkdays: [...new Set(next.makeupWorkdays)].sort(),
        language: next.language,
        settings,
      })
      .where(eq(orgs.id, c.var.auth.org.id));
    return c.json((await loadOrg(db, c.var.auth.org.id)).org);
  });
