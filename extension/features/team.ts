import type { TeamSummaryResponse } from "../../shared/schemas/progress";

/**
 * The manager view's table and team PK (DOMAIN.md "Incentives"), as pure functions of the team summary.
 */
export type TeamRow = TeamSummaryResponse["reps"][number];
export const TEAM_COLUMNS = ["name", "completion", "alert", "today", "streak", "lastActivity"] as const;
export type TeamColumn = (typeof TEAM_COLUMNS)[number];
export type SortDirection = "ascending" | "descending";

const ALERT_RANK = { yellow: 1, orange: 2, red: 3 } as const;

/** How many of today's KPIs reached their minimum. */
export function kpisMet(row: Pick<TeamRow, "today">): number {
  return row.today.kpis.filter((k) => k.count >= k.minimum).length;
}

/** Positive: consecutive days meeting the KPIs; negative: below. */
export function streakValue(row: Pick<TeamRow, "streak">): number {
  return row.streak.meets > 0 ? row.streak.meets : -row.streak.below;
}

function key(row: TeamRow, column: TeamColumn): number | string {
  switch (column) {
    case "name":
      return row.name;
    case "completion":
      return row.period.target > 0 ? row.period.completion : -1;
    case "alert":
      return row.alertLevel ? ALERT_RANK[row.alertLevel] : 0;
    case "today":
      return kpisMet(row);
    case "streak":
      return streakValue(row);
    case "lastActivity":
      return row.lastActivityAt ? Date.parse(row.lastActivityAt) : -Infinity;
  }
}

/** The first click on a column sorts the way a manager looks first: worst first (red alerts on top), names A→Z. */
export function defaultDirection(column: TeamColumn): SortDirection {
  return column === "alert" ? "descending" : "ascending";
}

/** Stable: ties keep name order. */
export function sortReps(rows: readonly TeamRow[], column: TeamColumn, direction: SortDirection, locale = "en"): TeamRow[] {
  const collator = new Intl.Collator(locale);
  const sign = direction === "ascending" ? 1 : -1;
  return [...rows].sort((a, b) => {
    const ka = key(a, column);
    const kb = key(b, column);
    const order = typeof ka === "string" && typeof kb === "string" ? collator.compare(ka, kb) : (ka as number) - (kb as number);
    return sign * order || collator.compare(a.name, b.name) || a.userId.localeCompare(b.userId);
  });
}

export interface TeamStanding {
  teamId: string;
  name: string;
  reps: number;
  /** Mean completion of the team's reps that have a target (fair across team sizes). */
  completion: number;
}

/** Team PK: teams ranked by their reps' average completion; reps without a target are left out. */
export function teamPk(rows: readonly TeamRow[], teams: readonly { id: string; name: string }[]): TeamStanding[] {
  const byTeam = new Map<string, number[]>();
  for (const row of rows) {
    if (!row.teamId || row.period.target <= 0) continue;
    byTeam.set(row.teamId, [...(byTeam.get(row.teamId) ?? []), row.period.completion]);
  }
  const names = new Map(teams.map((t) => [t.id, t.name]));
  return [...byTeam.entries()]
    .map(([teamId, completions]) => ({
      teamId,
      name: names.get(teamId) ?? teamId,
      reps: completions.length,
      completion: completions.reduce((sum, c) => sum + c, 0) / completions.length,
    }))
    .sort((a, b) => b.completion - a.completion || a.name.localeCompare(b.name));
}
