import { sql } from "drizzle-orm";
import { index, integer, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";

/**
 * One file for the whole D1 schema. Conventions:
 * - every table holding org data has `org_id`, and every query filters on it;
 * - instants are integer epoch milliseconds (UTC); local calendar days are 'YYYY-MM-DD'
 *   text computed in the org's timezone when the row is written;
 * - money is integer minor units;
 * - rows produced by rules carry a `natural_key` unique per org, so evaluation can
 *   insert-or-ignore and stay idempotent.
 */

const now = sql`(unixepoch('subsec') * 1000)`;

export const orgs = sqliteTable("orgs", {
  id: text("id").primaryKey(),
  name: text("name").notNull(),
  timeZone: text("time_zone").notNull().default("Asia/Shanghai"),
  /** 0 = Sunday … 6 = Saturday */
  weekStartsOn: integer("week_starts_on").notNull().default(1),
  /** JSON array of weekday numbers, 0 = Sunday. */
  workingWeekdays: text("working_weekdays", { mode: "json" }).$type<number[]>().notNull().default(sql`'[1,2,3,4,5]'`),
  holidays: text("holidays", { mode: "json" }).$type<string[]>().notNull().default(sql`'[]'`),
  makeupWorkdays: text("makeup_workdays", { mode: "json" }).$type<string[]>().notNull().default(sql`'[]'`),
  language: text("language", { enum: ["en", "zh-CN", "zh-TW"] }).notNull().default("en"),
  /** Everything else configurable (KPI overrides, tiers, weights, bands, privacy, …), validated by shared/schemas. */
  settings: text("settings", { mode: "json" }).$type<Record<string, unknown>>().notNull().default(sql`'{}'`),
  /** Last local day whose close the cron has evaluated. */
  evaluatedThrough: text("evaluated_through"),
  createdAt: integer("created_at").notNull().default(now),
});

export const teams = sqliteTable(
  "teams",
  {
    id: text("id").primaryKey(),
    orgId: text("org_id").notNull().references(() => orgs.id),
    parentId: text("parent_id"),
    name: text("name").notNull(),
    kind: text("kind", { enum: ["department", "team"] }).notNull().default("team"),
    leaderId: text("leader_id"),
    createdAt: integer("created_at").notNull().default(now),
  },
  (t) => [index("teams_org_parent").on(t.orgId, t.parentId)],
);

export const users = sqliteTable(
  "users",
  {
    id: text("id").primaryKey(),
    orgId: text("org_id").notNull().references(() => orgs.id),
    teamId: text("team_id"),
    name: text("name").notNull(),
    email: text("email"),
    role: text("role", { enum: ["rep", "manager", "director", "admin"] }).notNull().default("rep"),
    seniority: text("seniority", { enum: ["junior", "mid", "senior"] }).notNull().default("mid"),
    managerId: text("manager_id"),
    hireDate: text("hire_date"),
    /** Ramp factor for new hires in percent (100 = full quota). */
    rampPercent: integer("ramp_percent").notNull().default(100),
    active: integer("active", { mode: "boolean" }).notNull().default(true),
    createdAt: integer("created_at").notNull().default(now),
  },
  (t) => [index("users_org_team").on(t.orgId, t.teamId), index("users_org_manager").on(t.orgId, t.managerId)],
);

export const deviceTokens = sqliteTable(
  "device_tokens",
  {
    id: text("id").primaryKey(),
    orgId: text("org_id").notNull().references(() => orgs.id),
    userId: text("user_id").notNull().references(() => users.id),
    /** SHA-256 of the bearer token, hex. The token itself is never stored. */
    tokenHash: text("token_hash").notNull(),
    label: text("label"),
    createdAt: integer("created_at").notNull().default(now),
    lastUsedAt: integer("last_used_at"),
    revokedAt: integer("revoked_at"),
  },
  (t) => [uniqueIndex("device_tokens_hash").on(t.tokenHash), index("device_tokens_org_user").on(t.orgId, t.userId)],
);

export const pairingCodes = sqliteTable(
  "pairing_codes",
  {
    /** SHA-256 of the code, hex: codes are credentials too. */
    codeHash: text("code_hash").primaryKey(),
    orgId: text("org_id").notNull().references(() => orgs.id),
    userId: text("user_id").notNull().references(() => users.id),
    createdBy: text("created_by"),
    expiresAt: integer("expires_at").notNull(),
    usedAt: integer("used_at"),
    /** The device token this code was exchanged for (lets the exchange be one atomic batch). */
    tokenId: text("token_id"),
    createdAt: integer("created_at").notNull().default(now),
  },
  (t) => [index("pairing_codes_org_user").on(t.orgId, t.userId)],
);

export const targets = sqliteTable(
  "targets",
  {
    id: text("id").primaryKey(),
    orgId: text("org_id").notNull().references(() => orgs.id),
    scope: text("scope", { enum: ["org", "team", "rep"] }).notNull(),
    /** org id, team id or user id, depending on scope. */
    subjectId: text("subject_id").notNull(),
    /** An activity kind or 'revenue'. */
    metric: text("metric").notNull(),
    periodKind: text("period_kind", { enum: ["year", "quarter", "month", "week", "day"] }).notNull(),
    periodKey: text("period_key").notNull(),
    periodStart: text("period_start").notNull(),
    periodEnd: text("period_end").notNull(),
    level: text("level", { enum: ["base", "stretch", "challenge"] }).notNull().default("base"),
    amount: integer("amount").notNull(),
    version: integer("version").notNull().default(1),
    createdAt: integer("created_at").notNull().default(now),
    updatedAt: integer("updated_at").notNull().default(now),
  },
  (t) => [
    uniqueIndex("targets_natural").on(t.orgId, t.scope, t.subjectId, t.metric, t.periodKind, t.periodKey, t.level),
    index("targets_org_period").on(t.orgId, t.periodKind, t.periodKey),
  ],
);

export const targetVersions = sqliteTable(
  "target_versions",
  {
    id: text("id").primaryKey(),
    orgId: text("org_id").notNull().references(() => orgs.id),
    targetId: text("target_id").notNull().references(() => targets.id),
    version: integer("version").notNull(),
    amount: integer("amount").notNull(),
    reason: text("reason").notNull(),
    authorId: text("author_id"),
    createdAt: integer("created_at").notNull().default(now),
  },
  (t) => [uniqueIndex("target_versions_target_version").on(t.orgId, t.targetId, t.version)],
);

export const activities = sqliteTable(
  "activities",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    orgId: text("org_id").notNull().references(() => orgs.id),
    userId: text("user_id").notNull().references(() => users.id),
    /** Generated by the client; the idempotency key of the write. */
    clientEventId: text("client_event_id").notNull(),
    kind: text("kind").notNull(),
    occurredAt: integer("occurred_at").notNull(),
    /** Local day of occurredAt in the org's timezone at write time. */
    day: text("day").notNull(),
    amount: integer("amount"),
    customer: text("customer"),
    source: text("source").notNull(),
    createdAt: integer("created_at").notNull().default(now),
    /** Undo is a soft delete, so a replay of the same client id stays a duplicate. */
    deletedAt: integer("deleted_at"),
  },
  (t) => [
    uniqueIndex("activities_org_client_event").on(t.orgId, t.clientEventId),
    index("activities_org_user_day").on(t.orgId, t.userId, t.day),
    index("activities_org_day_kind").on(t.orgId, t.day, t.kind),
  ],
);

export const alerts = sqliteTable(
  "alerts",
  {
    id: text("id").primaryKey(),
    orgId: text("org_id").notNull().references(() => orgs.id),
    userId: text("user_id").notNull().references(() => users.id),
    level: text("level", { enum: ["yellow", "orange", "red"] }).notNull(),
    rule: text("rule").notNull(),
    naturalKey: text("natural_key").notNull(),
    status: text("status", { enum: ["open", "acknowledged", "resolved"] }).notNull().default("open"),
    details: text("details", { mode: "json" }).$type<Record<string, unknown>>().notNull().default(sql`'{}'`),
    openedAt: integer("opened_at").notNull(),
    acknowledgedAt: integer("acknowledged_at"),
    resolvedAt: integer("resolved_at"),
  },
  (t) => [uniqueIndex("alerts_natural").on(t.orgId, t.naturalKey), index("alerts_org_user_status").on(t.orgId, t.userId, t.status)],
);

export const coachingTasks = sqliteTable(
  "coaching_tasks",
  {
    id: text("id").primaryKey(),
    orgId: text("org_id").notNull().references(() => orgs.id),
    /** The rep the task is about. */
    userId: text("user_id").notNull().references(() => users.id),
    /** The manager who owns the task. */
    assigneeId: text("assignee_id"),
    alertId: text("alert_id"),
    kind: text("kind", { enum: ["coaching", "review"] }).notNull(),
    naturalKey: text("natural_key").notNull(),
    dueDay: text("due_day"),
    status: text("status", { enum: ["open", "done"] }).notNull().default("open"),
    note: text("note"),
    createdAt: integer("created_at").notNull().default(now),
    completedAt: integer("completed_at"),
  },
  (t) => [uniqueIndex("coaching_tasks_natural").on(t.orgId, t.naturalKey), index("coaching_tasks_org_assignee").on(t.orgId, t.assigneeId, t.status)],
);

export const awards = sqliteTable(
  "awards",
  {
    id: text("id").primaryKey(),
    orgId: text("org_id").notNull().references(() => orgs.id),
    userId: text("user_id"),
    teamId: text("team_id"),
    kind: text("kind", { enum: ["tier", "champion", "most_improved", "team_pk"] }).notNull(),
    periodKey: text("period_key").notNull(),
    tier: integer("tier"),
    naturalKey: text("natural_key").notNull(),
    details: text("details", { mode: "json" }).$type<Record<string, unknown>>().notNull().default(sql`'{}'`),
    createdAt: integer("created_at").notNull().default(now),
  },
  (t) => [uniqueIndex("awards_natural").on(t.orgId, t.naturalKey), index("awards_org_user").on(t.orgId, t.userId)],
);

export const keyCustomers = sqliteTable(
  "key_customers",
  {
    id: text("id").primaryKey(),
    orgId: text("org_id").notNull().references(() => orgs.id),
    userId: text("user_id").notNull().references(() => users.id),
    label: text("label").notNull(),
    lastResponseAt: integer("last_response_at"),
    createdAt: integer("created_at").notNull().default(now),
  },
  (t) => [uniqueIndex("key_customers_org_user_label").on(t.orgId, t.userId, t.label)],
);

export const notificationChannels = sqliteTable(
  "notification_channels",
  {
    id: text("id").primaryKey(),
    orgId: text("org_id").notNull().references(() => orgs.id),
    teamId: text("team_id"),
    kind: text("kind", { enum: ["email", "wecom", "dingtalk", "feishu", "slack", "webhook"] }).notNull(),
    name: text("name").notNull(),
    /** Non-secret settings (URL, recipients). */
    config: text("config", { mode: "json" }).$type<Record<string, unknown>>().notNull().default(sql`'{}'`),
    /** Signing secret or API key: write-only, never returned by the API. */
    secret: text("secret"),
    enabled: integer("enabled", { mode: "boolean" }).notNull().default(true),
    createdAt: integer("created_at").notNull().default(now),
  },
  (t) => [index("notification_channels_org").on(t.orgId)],
);

export const notificationOutbox = sqliteTable(
  "notification_outbox",
  {
    id: text("id").primaryKey(),
    orgId: text("org_id").notNull().references(() => orgs.id),
    channelId: text("channel_id").notNull(),
    dedupKey: text("dedup_key").notNull(),
    payload: text("payload", { mode: "json" }).$type<Record<string, unknown>>().notNull(),
    status: text("status", { enum: ["pending", "sent", "failed"] }).notNull().default("pending"),
    attempts: integer("attempts").notNull().default(0),
    nextAttemptAt: integer("next_attempt_at").notNull(),
    lastError: text("last_error"),
    sentAt: integer("sent_at"),
    createdAt: integer("created_at").notNull().default(now),
  },
  (t) => [
    uniqueIndex("notification_outbox_dedup").on(t.orgId, t.dedupKey),
    index("notification_outbox_due").on(t.status, t.nextAttemptAt),
    index("notification_outbox_org_channel_created").on(t.orgId, t.channelId, t.createdAt),
  ],
);
