import { createContext } from "preact";
import { useContext } from "preact/hooks";
import type { Org } from "../../../shared/schemas/org";
import type { Role } from "../../../shared/schemas/users";
import type { OrgCalendar } from "../../../shared/domain/calendar";

/** Who is using the console, and their org (calendar and settings), for every page. */
export interface Session {
  user: { id: string; name: string; role: Role; seniority: string; teamId: string | null };
  org: Org;
  serverUrl: string;
  /** Replace the org after the settings page saved it. */
  setOrg: (org: Org) => void;
}

export const SessionContext = createContext<Session | null>(null);

export function useSession(): Session {
  const session = useContext(SessionContext);
  if (!session) throw new Error("useSession outside the console");
  return session;
}

export const LEADER_ROLES: readonly Role[] = ["manager", "director", "admin"];

export function isLeader(role: Role): boolean {
  return LEADER_ROLES.includes(role);
}

export function calendarOf(org: Org): OrgCalendar {
  return {
    timeZone: org.timeZone,
    weekStartsOn: org.weekStartsOn as OrgCalendar["weekStartsOn"],
    workingWeekdays: org.workingWeekdays,
    holidays: org.holidays,
    makeupWorkdays: org.makeupWorkdays,
  };
}
