import { OrgSettings } from "../shared/schemas/settings";

/** Org settings as stored (JSON) → complete settings with defaults. Stored values were validated on write. */
export function orgSettings(stored: Record<string, unknown>): OrgSettings {
  const parsed = OrgSettings.safeParse(stored);
  return parsed.success ? parsed.data : OrgSettings.parse({});
}
