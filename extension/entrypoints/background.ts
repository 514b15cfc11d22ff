import { createBackground } from "@/background/service";

// Thin entrypoint: everything lives in background/service.ts (tested with the fake browser).
export default defineBackground(() => {
  createBackground().start();
});
