import { z } from "zod";
import { PairRequest, PairResponse } from "./schemas/pairing";
import { ActivityList, ActivityListQuery, PostActivitiesRequest, PostActivitiesResponse } from "./schemas/activities";
import { ProgressResponse, TeamSummaryResponse } from "./schemas/progress";
import { CreatePairingCodeRequest, DeviceTokenList, MeResponse, PairingCodeResponse } from "./schemas/auth";
import { Org, UpdateOrgRequest } from "./schemas/org";
import { CreateTeamRequest, CreateUserRequest, Team, TeamList, UpdateTeamRequest, UpdateUserRequest, User, UserList } from "./schemas/users";
import { CreateKeyCustomerRequest, KeyCustomer, KeyCustomerList, KeyCustomerQuery } from "./schemas/customers";
import {
  AlertList,
  AlertListQuery,
  AlertRowOut,
  AwardList,
  AwardListQuery,
  CompleteTaskRequest,
  FunnelQuery,
  FunnelResponse,
  LeaderboardQuery,
  LeaderboardResponse,
  TaskList,
  TaskListQuery,
  TaskOut,
} from "./schemas/insights";
import { ChannelListResponse, ChannelTestResponse, ChannelView, CreateChannelRequest, DeliveriesQuery, DeliveriesResponse, UpdateChannelRequest } from "./schemas/channels";
import {
  ApplyDecomposeRequest,
  ApplyDecomposeResponse,
  CreateTargetRequest,
  DecomposeRequest,
  DecomposeResponse,
  DeleteTargetResponse,
  Target,
  TargetList,
  TargetListQuery,
  TargetVersionList,
  UpdateTargetRequest,
  UpdateTargetResponse,
} from "./schemas/targets";
import { CsvExportQuery, CsvImportQuery, CsvText, ImportActivitiesResponse, ImportTargetsResponse } from "./schemas/csv";

/**
 * The route table: the one description of the wire contract. The worker validates
 * with these schemas, the extension's client is typed from them, and the OpenAPI
 * document is generated from them.
 */
export interface RouteSpec {
  method: "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
  /** OpenAPI style: path parameters as {name}. */
  path: string;
  auth: boolean;
  summary: string;
  /** Success status; 200 unless given. */
  status?: 200 | 201 | 204;
  body?: z.ZodType;
  query?: z.ZodType;
  response: z.ZodType;
}

export const ProgressQuery = z.strictObject({
  userId: z.string().min(1).max(64).optional(),
});

export const HealthResponse = z.object({ ok: z.literal(true), time: z.string() });
export const NoContent = z.null().describe("204 No Content");
export const UserQuery = z.strictObject({ teamId: z.string().min(1).max(64).optional(), active: z.enum(["true", "false"]).optional() });
export const TokenQuery = z.strictObject({ userId: z.string().min(1).max(64).optional() });

export const routes = {
  health: {
    method: "GET",
    path: "/healthz",
    auth: false,
    summary: "Liveness and database reachability",
    response: HealthResponse,
  },
  ping: {
    method: "GET",
    path: "/ping",
    auth: false,
    summary: "No-op (no database): the baseline for benchmarks and load balancers",
    response: z.object({ ok: z.literal(true) }),
  },
  pair: {
    method: "POST",
    path: "/v1/pair",
    auth: false,
    summary: "Exchange a one-time pairing code for a device token",
    body: PairRequest,
    response: PairResponse,
  },
  postActivities: {
    method: "POST",
    status: 201,
    path: "/v1/activities",
    auth: true,
    summary: "Log one or a batch of activity events (idempotent by clientEventId)",
    body: PostActivitiesRequest,
    response: PostActivitiesResponse,
  },
  progress: {
    method: "GET",
    path: "/v1/progress",
    auth: true,
    summary: "Today's KPIs and the current period's progress for the caller (or a rep in scope)",
    query: ProgressQuery,
    response: ProgressResponse,
  },
  listActivities: { method: "GET", path: "/v1/activities", auth: true, summary: "List activities in scope (newest first, cursor paging)", query: ActivityListQuery, response: ActivityList },
  undoActivity: { method: "DELETE", status: 204, path: "/v1/activities/{clientEventId}", auth: true, summary: "Undo an own event within the org's undo window", response: NoContent },
  me: { method: "GET", path: "/v1/me", auth: true, summary: "The caller, their org and token", response: MeResponse },
  createPairingCode: { method: "POST", status: 201, path: "/v1/pairing-codes", auth: true, summary: "Create a one-time pairing code (10 min) for a user in scope", body: CreatePairingCodeRequest, response: PairingCodeResponse },
  listTokens: { method: "GET", path: "/v1/tokens", auth: true, summary: "Device tokens of a user (own, or in scope for leaders)", query: TokenQuery, response: DeviceTokenList },
  revokeToken: { method: "DELETE", status: 204, path: "/v1/tokens/{id}", auth: true, summary: "Revoke a device token", response: NoContent },
  getOrg: { method: "GET", path: "/v1/org", auth: true, summary: "The caller's org: calendar and settings", response: Org },
  updateOrg: { method: "PATCH", path: "/v1/org", auth: true, summary: "Change org settings (admin)", body: UpdateOrgRequest, response: Org },
  listUsers: { method: "GET", path: "/v1/users", auth: true, summary: "Users in scope", query: UserQuery, response: UserList },
  getUser: { method: "GET", path: "/v1/users/{id}", auth: true, summary: "One user in scope", response: User },
  createUser: { method: "POST", status: 201, path: "/v1/users", auth: true, summary: "Add a user (admin; leaders add reps to their scope)", body: CreateUserRequest, response: User },
  updateUser: { method: "PATCH", path: "/v1/users/{id}", auth: true, summary: "Change a user in scope (role: admin only)", body: UpdateUserRequest, response: User },
  listTeams: { method: "GET", path: "/v1/teams", auth: true, summary: "Teams and departments in scope", response: TeamList },
  createTeam: { method: "POST", status: 201, path: "/v1/teams", auth: true, summary: "Add a team or department (admin)", body: CreateTeamRequest, response: Team },
  updateTeam: { method: "PATCH", path: "/v1/teams/{id}", auth: true, summary: "Rename or move a team (admin)", body: UpdateTeamRequest, response: Team },
  teamSummary: { method: "GET", path: "/v1/team/summary", auth: true, summary: "Every active rep in scope: progress, pace, alert level, KPIs, streak", response: TeamSummaryResponse },
  listKeyCustomers: { method: "GET", path: "/v1/key-customers", auth: true, summary: "A rep's key customers and their silence", query: KeyCustomerQuery, response: KeyCustomerList },
  addKeyCustomer: { method: "POST", status: 201, path: "/v1/key-customers", auth: true, summary: "Add a key customer (idempotent by label)", body: CreateKeyCustomerRequest, response: KeyCustomer },
  removeKeyCustomer: { method: "DELETE", status: 204, path: "/v1/key-customers/{id}", auth: true, summary: "Remove a key customer", response: NoContent },
  leaderboard: { method: "GET", path: "/v1/leaderboard", auth: true, summary: "Ranking by % of own target, in the org's privacy mode", query: LeaderboardQuery, response: LeaderboardResponse },
  funnel: { method: "GET", path: "/v1/funnel", auth: true, summary: "Funnel stage counts and conversions", query: FunnelQuery, response: FunnelResponse },
  listAlerts: { method: "GET", path: "/v1/alerts", auth: true, summary: "Alerts in scope", query: AlertListQuery, response: AlertList },
  acknowledgeAlert: { method: "POST", path: "/v1/alerts/{id}/acknowledge", auth: true, summary: "Acknowledge an alert", response: AlertRowOut },
  resolveAlert: { method: "POST", path: "/v1/alerts/{id}/resolve", auth: true, summary: "Resolve an alert by hand (leaders)", response: AlertRowOut },
  listAwards: { method: "GET", path: "/v1/awards", auth: true, summary: "Awards in scope (tiers, champion, most improved, team PK)", query: AwardListQuery, response: AwardList },
  listTasks: { method: "GET", path: "/v1/tasks", auth: true, summary: "Coaching tasks and review items in scope", query: TaskListQuery, response: TaskList },
  completeTask: { method: "POST", path: "/v1/tasks/{id}/complete", auth: true, summary: "Complete a task with a note (leaders)", body: CompleteTaskRequest, response: TaskOut },
  openapi: { method: "GET", path: "/openapi.json", auth: false, summary: "This document", response: z.record(z.string(), z.unknown()) },
  listChannels: { method: "GET", path: "/v1/channels", auth: true, summary: "Notification channels in scope (admin: org; manager: own team). Secrets never returned", response: ChannelListResponse },
  createChannel: { method: "POST", status: 201, path: "/v1/channels", auth: true, summary: "Add a notification channel (e-mail, WeCom, DingTalk, Feishu, Slack, webhook); the secret is write-only", body: CreateChannelRequest, response: ChannelView },
  getChannel: { method: "GET", path: "/v1/channels/{id}", auth: true, summary: "One notification channel in scope", response: ChannelView },
  updateChannel: { method: "PATCH", path: "/v1/channels/{id}", auth: true, summary: "Change a channel; config is merged (null removes a key), secret: null clears it", body: UpdateChannelRequest, response: ChannelView },
  deleteChannel: { method: "DELETE", status: 204, path: "/v1/channels/{id}", auth: true, summary: "Remove a channel; its undelivered messages are marked failed", response: NoContent },
  testChannel: { method: "POST", path: "/v1/channels/{id}/test", auth: true, summary: "Send a test message now (one attempt) and return the delivery outcome", response: ChannelTestResponse },
  listChannelDeliveries: { method: "GET", path: "/v1/channels/{id}/deliveries", auth: true, summary: "The channel's delivery log: status, attempts, last error, times", query: DeliveriesQuery, response: DeliveriesResponse },
  listTargets: { method: "GET", path: "/v1/targets", auth: true, summary: "Targets in scope (reps: own, own team's, org's), filtered", query: TargetListQuery, response: TargetList },
  createTarget: { method: "POST", status: 201, path: "/v1/targets", auth: true, summary: "Set a target (admin: any; managers/directors: teams and reps in scope); version 1", body: CreateTargetRequest, response: Target },
  getTarget: { method: "GET", path: "/v1/targets/{id}", auth: true, summary: "One target in scope", response: Target },
  updateTarget: { method: "PATCH", path: "/v1/targets/{id}", auth: true, summary: "Change the amount: a new version (reason, author), 409 on a stale expectedVersion; rep targets get the re-spread of what is missing", body: UpdateTargetRequest, response: UpdateTargetResponse },
  deleteTarget: { method: "DELETE", path: "/v1/targets/{id}", auth: true, summary: "Delete a target and its versions, atomically", response: DeleteTargetResponse },
  targetVersions: { method: "GET", path: "/v1/targets/{id}/versions", auth: true, summary: "A target's version history and the version in force today", response: TargetVersionList },
  decomposeTargets: { method: "POST", path: "/v1/targets/decompose", auth: true, summary: "Preview a plan: year → quarters → months → weeks → reps' months, totals exact", body: DecomposeRequest, response: DecomposeResponse },
  applyDecomposition: { method: "POST", path: "/v1/targets/decompose/apply", auth: true, summary: "Store a plan atomically (upsert on the natural key, a version per change); idempotent", body: ApplyDecomposeRequest, response: ApplyDecomposeResponse },
  exportTargetsCsv: { method: "GET", path: "/v1/export/targets.csv", auth: true, summary: "Targets in scope as CSV (text/csv, UTF-8)", query: CsvExportQuery, response: CsvText },
  exportActivitiesCsv: { method: "GET", path: "/v1/export/activities.csv", auth: true, summary: "Activities in scope as CSV (text/csv, UTF-8)", query: CsvExportQuery, response: CsvText },
  importTargetsCsv: { method: "POST", path: "/v1/import/targets", auth: true, summary: "Import targets from CSV (text/csv body): every row checked, all or nothing; ?dryRun=1 only checks", query: CsvImportQuery, body: CsvText, response: ImportTargetsResponse },
  importActivitiesCsv: { method: "POST", path: "/v1/import/activities", auth: true, summary: "Import activities from CSV (text/csv body), idempotent by client_event_id; ?dryRun=1 only checks", query: CsvImportQuery, body: CsvText, response: ImportActivitiesResponse },
} as const satisfies Record<string, RouteSpec>;

export type Routes = typeof routes;
export type RouteName = keyof Routes;
type Field<R, K extends string> = R extends Record<K, infer S extends z.ZodType> ? S : never;
export type RouteBody<N extends RouteName> = z.input<Field<Routes[N], "body">>;
export type RouteQuery<N extends RouteName> = z.input<Field<Routes[N], "query">>;
export type RouteResponse<N extends RouteName> = z.output<Routes[N]["response"]>;
