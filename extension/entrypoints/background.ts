import "@/zod-jitless"; // first: before any schema is built (see the file)
import { createBackground } from "@/background/service";

// Thin entrypoint: everything lives in background/service.ts (tested with the fake browser).
export default defineBackground(() => {
  createBackground().start();
});
