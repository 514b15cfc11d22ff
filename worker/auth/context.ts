import type { OrgCalendar } from "../../shared/domain/calendar";
import type { Role } from "../../shared/schemas/users";
import type { Seniority } from "../../shared/domain/kinds";

/** Who is calling: resolved once per request from the bearer token. */
export interface AuthContext {
  tokenId: string;
  user: {
    id: string;
    orgId: string;
    name: string;
    role: Role;
    seniority: Seniority;
    teamId: string | null;
    rampPercent: number;
    /** Local date (YYYY-MM-DD) the rep started, if set; else the rep is judged from the day the account was made. */
    hireDate: string | null;
    createdAt: number;
  };
  org: {
    id: string;
    name: string;
    language: "en" | "zh-CN" | "zh-TW";
    calendar: OrgCalendar;
    settings: Record<string, unknown>;
  };
}
