/**
 * npm start: the whole product locally, offline.
 * 1. apply migrations to the local D1 and seed the demo org if empty;
 * 2. build the extension into .output/chrome-mv3;
 * 3. run the worker on local workerd at 127.0.0.1:8787 until Ctrl-C.
 */
import { execFile } from "node:child_process";
import { join } from "node:path";
import { promisify } from "node:util";
import { migrateLocal, OFFLINE_ENV, printCodes, ROOT, seedLocal } from "./local-d1";
import { startDevServer } from "./dev-server";

const PORT = Number(process.env.PORT ?? 8787);

console.log("• Applying migrations to the local D1 …");
await migrateLocal();
const { seeded, codes } = await seedLocal();
console.log(seeded ? "• Seeded the demo org (Acme Sales, Asia/Shanghai, zh-CN)." : "• Demo org already present.");

console.log("• Building the extension …");
await promisify(execFile)(join(ROOT, "node_modules/.bin/wxt"), ["build"], { cwd: ROOT, env: OFFLINE_ENV });

console.log(`• Starting the worker on local workerd at http://127.0.0.1:${PORT} …`);
const server = await startDevServer({ port: PORT, inheritOutput: true, testScheduled: true });

console.log(`
Ready.
  API:        ${server.url}  (try ${server.url}/healthz)
  Extension:  ${join(ROOT, ".output/chrome-mv3")}
              chrome://extensions → Developer mode → Load unpacked → pick that folder.
              Then open the extension's options, keep the server URL ${server.url}, and pair.`);
printCodes(codes);
console.log("\n`npm run cron` (in another terminal) runs the 15-minute cron now. Ctrl-C stops the worker.");

const shutdown = async () => {
  await server.stop();
  process.exit(0);
};
process.on("SIGINT", shutdown);
process.on("SIGTERM", shutdown);
server.child.on("exit", (code) => process.exit(code ?? 1));
