/**
 * Imported first by the entrypoints that bundle zod (background, console). Extension pages and the background run
 * under MV3's content security policy, which forbids eval. zod 4 probes `new Function("")` when it builds its first
 * object schema (for its JIT fast path); the throw is caught, but the browser still reports the CSP violation as an
 * error of the add-on (Firefox's about:debugging console, test/e2e/firefox.e2e.test.ts). `jitless` skips the probe;
 * parsing stays the same, only without generated code.
 */
import { config } from "zod";

config({ jitless: true });
