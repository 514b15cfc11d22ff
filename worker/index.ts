import { createApp } from "./app";
import type { Env } from "./env";

const app = createApp();

export default {
  fetch: app.fetch,
  /**
   * Cron trigger (wrangler.toml [triggers]). The evaluation of alerts, tiers and
   * notifications lands with the cron issue; until then a run only records itself.
   */
  async scheduled(controller, _env, _ctx) {
    console.log("scheduled run", controller.cron, new Date(controller.scheduledTime).toISOString());
  },
} satisfies ExportedHandler<Env>;
