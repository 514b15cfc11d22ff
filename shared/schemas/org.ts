import { z } from "zod";
import { LocalDate } from "./common";
import { OrgSettings, OrgSettingsPatch } from "./settings";

export const LANGUAGES = ["en", "zh-CN", "zh-TW"] as const;
export const Language = z.enum(LANGUAGES);

/** An IANA timezone the runtime knows. */
export const TimeZone = z.string().min(1).max(64).refine((tz) => {
  try {
    new Intl.DateTimeFormat("en", { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}, "Unknown IANA timezone");

const Weekday = z.int().min(0).max(6);

export const Org = z.object({
  id: z.string(),
  name: z.string(),
  timeZone: z.string(),
  weekStartsOn: Weekday,
  workingWeekdays: z.array(Weekday),
  holidays: z.array(LocalDate),
  makeupWorkdays: z.array(LocalDate),
  language: Language,
  settings: OrgSettings,
});
export type Org = z.infer<typeof Org>;

export const UpdateOrgRequest = z
  .strictObject({
    name: z.string().trim().min(1).max(120),
    timeZone: TimeZone,
    weekStartsOn: Weekday,
    workingWeekdays: z.array(Weekday).max(7).refine((d) => new Set(d).size === d.length, "Duplicate weekday"),
    holidays: z.array(LocalDate).max(400),
    makeupWorkdays: z.array(LocalDate).max(100),
    language: Language,
    settings: OrgSettingsPatch,
  })
  .partial()
  .refine((v) => Object.keys(v).length > 0, "Nothing to update")
  .refine((v) => !(v.holidays && v.makeupWorkdays && v.holidays.some((d) => v.makeupWorkdays!.includes(d))), {
    message: "A day cannot be both a holiday and a make-up working day",
    path: ["makeupWorkdays"],
  });
