import { deliverDue, type DeliveryReport, type NotifyEnv } from "../notify/outbox";
import { loadOrgFacts, loadOrgRow, loadOrgRows, READ_STATEMENTS } from "./load";
import { planOrg, type OrgRow } from "./plan";
import { writeBatches, writeStatements } from "./write";

/**
 * The scheduled side: every 15 minutes (wrangler.toml [triggers]) the cron evaluates every org (./plan.ts), then
 * delivers due notifications from the outbox.
 *
 * Inline or fanned out. Up to CRON_INLINE_ORGS orgs (default 25) are evaluated inside the scheduled invocation, one
 * after the other: two round trips each on a normal day (READ_STATEMENTS reads in one batch, then the org's writes in
 * batches of ≤ 100 statements — see ./write.ts). Above that, the
 * run sends one Queue message per org ({ orgId, scheduledTime }) to EVAL_QUEUE and each consumer invocation evaluates
 * its batch of orgs. Limits this respects (Workers paid plan): 1000 D1 queries and 1000 subrequests per invocation, 30 s
 * CPU per scheduled / queue invocation; an org costs 2 round trips and ≈ 10 + ⌈rows / 10⌉ statements, and the planning
 * is linear in reps × days in the window.
 *
 * Failures are per org: one org that fails (bad data, a D1 error) is logged and retried by the next run (its
 * evaluated_through did not move), the others go on. Delivery runs after evaluation and never throws, so a dead
 * webhook never blocks evaluation.
 */
export const DEFAULT_INLINE_ORGS = 25;
/** Queue.sendBatch takes at most 100 messages. */
const QUEUE_BATCH = 100;

export interface EvalMessage {
  orgId: string;
  scheduledTime: number;
}

export interface CronEnv extends NotifyEnv {
  DB: D1Database;
  EVAL_QUEUE?: Queue<EvalMessage>;
  /** Orgs evaluated inline before the run fans out through EVAL_QUEUE. */
  CRON_INLINE_ORGS?: string;
}

export interface OrgSummary {
  orgId: string;
  days: string[];
  alerts: number;
  raises: number;
  resolutions: number;
  tasks: number;
  awards: number;
  messages: number;
  statements: { read: number; write: number };
  error?: string;
}

export interface RunSummary {
  scheduledTime: string;
  mode: "inline" | "queue";
  orgs: OrgSummary[];
  queued: number;
  delivery: Pick<DeliveryReport, "claimed" | "sent" | "retrying" | "failed"> | null;
}

/** Evaluates one org at `now` and writes the result in one batch. */
export async function evaluateOrg(env: CronEnv, org: OrgRow, now: number): Promise<OrgSummary> {
  const facts = await loadOrgFacts(env.DB, org, now);
  const plan = planOrg(facts, now);
  const statements = await writeStatements(env.DB, plan, now);
  for (const batch of writeBatches(statements)) await env.DB.batch(batch);
  return {
    orgId: org.id,
    days: plan.days,
    alerts: plan.alerts.length,
    raises: plan.raises.length,
    resolutions: plan.resolutions.length,
    tasks: plan.tasks.length,
    awards: plan.awards.length,
    messages: plan.outbox.length,
    statements: { read: READ_STATEMENTS, write: statements.length },
  };
}

async function evaluateSafely(env: CronEnv, org: OrgRow, now: number): Promise<OrgSummary> {
  try {
    return await evaluateOrg(env, org, now);
  } catch (err) {
    const error = err instanceof Error ? err.message : String(err);
    console.error(JSON.stringify({ event: "cron.org_failed", orgId: org.id, error }));
    return { orgId: org.id, days: [], alerts: 0, raises: 0, resolutions: 0, tasks: 0, awards: 0, messages: 0, statements: { read: 0, write: 0 }, error };
  }
}

async function deliver(env: CronEnv, now: number): Promise<RunSummary["delivery"]> {
  const report = await deliverDue(env, now);
  if (report.error) console.error(JSON.stringify({ event: "cron.delivery_failed", error: report.error }));
  return { claimed: report.claimed, sent: report.sent, retrying: report.retrying, failed: report.failed };
}

/** The scheduled handler's work for one slot. `scheduledTime` is the run's clock for every row it writes. */
export async function runScheduled(env: CronEnv, scheduledTime: number): Promise<RunSummary> {
  const orgs = await loadOrgRows(env.DB);
  const inlineLimit = Number.parseInt(env.CRON_INLINE_ORGS ?? "", 10);
  const limit = Number.isFinite(inlineLimit) && inlineLimit >= 0 ? inlineLimit : DEFAULT_INLINE_ORGS;
  const summary: RunSummary = { scheduledTime: new Date(scheduledTime).toISOString(), mode: "inline", orgs: [], queued: 0, delivery: null };
  if (orgs.length > limit && env.EVAL_QUEUE) {
    summary.mode = "queue";
    for (let i = 0; i < orgs.length; i += QUEUE_BATCH) {
      await env.EVAL_QUEUE.sendBatch(orgs.slice(i, i + QUEUE_BATCH).map((o) => ({ body: { orgId: o.id, scheduledTime } })));
    }
    summary.queued = orgs.length;
  } else {
    for (const org of orgs) summary.orgs.push(await evaluateSafely(env, org, scheduledTime));
  }
  summary.delivery = await deliver(env, scheduledTime);
  return summary;
}

/** Queue consumer: one message per org; a failed org is retried by the queue (then by the next run). */
export async function consumeEvaluations(batch: MessageBatch<EvalMessage>, env: CronEnv): Promise<OrgSummary[]> {
  const out: OrgSummary[] = [];
  let latest = 0;
  for (const message of batch.messages) {
    const { orgId, scheduledTime } = message.body;
    const org = await loadOrgRow(env.DB, orgId);
    if (!org) {
      message.ack(); // the org was deleted since the run
      continue;
    }
    const result = await evaluateSafely(env, org, scheduledTime);
    out.push(result);
    if (result.error) message.retry();
    else message.ack();
    latest = Math.max(latest, scheduledTime);
  }
  if (latest > 0) await deliver(env, latest);
  return out;
}
