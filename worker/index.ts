import { createApp } from "./app";
import { consumeEvaluations, runScheduled, type EvalMessage, type OrgSummary } from "./cron/run";
import type { Env } from "./env";

const app = createApp();

export default {
  fetch: app.fetch,
  /** Cron trigger (wrangler.toml [triggers]): evaluate every org, then deliver due notifications. */
  async scheduled(controller, env, _ctx) {
    const summary = await runScheduled(env, controller.scheduledTime);
    const sum = (pick: (o: OrgSummary) => number) => summary.orgs.reduce((n, o) => n + pick(o), 0);
    console.log(
      JSON.stringify({
        event: "cron.run",
        ...summary,
        orgs: summary.orgs.length,
        failed: summary.orgs.filter((o) => o.error).length,
        statements: { read: sum((o) => o.statements.read), write: sum((o) => o.statements.write) },
        rows: { alerts: sum((o) => o.alerts), tasks: sum((o) => o.tasks), awards: sum((o) => o.awards), messages: sum((o) => o.messages) },
      }),
    );
  },
  /** EVAL_QUEUE consumer: the cron's per-org fan-out. */
  async queue(batch, env) {
    const results = await consumeEvaluations(batch as MessageBatch<EvalMessage>, env);
    console.log(JSON.stringify({ event: "cron.queue", orgs: results.length, failed: results.filter((o) => o.error).length }));
  },
} satisfies ExportedHandler<Env, EvalMessage>;
