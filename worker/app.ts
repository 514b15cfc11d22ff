import { Hono } from "hono";
import { bodyLimit } from "hono/body-limit";
import { cors } from "hono/cors";
import { HealthResponse, routes } from "../shared/api";
import { openApiDocument } from "../shared/openapi";
import { countingD1 } from "./d1-stats";
import { newD1Stats, serverTiming } from "./server-timing";
import type { AppEnv } from "./env";
import { ApiError, errorResponse } from "./errors";
import { activitiesRoute } from "./routes/activities";
import { channels } from "./routes/channels";
import { me, pairingCodes, tokens } from "./routes/auth";
import { alertsRoute, tasksRoute } from "./routes/alerts";
import { awardsRoute } from "./routes/awards";
import { customersRoute } from "./routes/customers";
import { insightsRoute } from "./routes/insights";
import { org } from "./routes/org";
import { pairing } from "./routes/pairing";
import { teamsRoute, usersRoute } from "./routes/people";
import { progressRoute, teamRoute } from "./routes/progress";
import { targetsRoute } from "./routes/targets";
import { exportRoute, importRoute } from "./routes/csv";

/** Largest request body, bytes: a full batch of 500 events is about 120 KB. */
export const MAX_BODY_BYTES = 256 * 1024;

/** X-Debug-Now values outside [2000, 2100) are ignored. */
export const DEBUG_CLOCK_RANGE = { from: Date.UTC(2000, 0, 1), to: Date.UTC(2100, 0, 1) };

export function allowedOrigins(value: string | undefined): string[] {
  return (value ?? "")
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
}

export function createApp() {
  const app = new Hono<AppEnv>();

  // Measured D1 work per request (see d1-stats.ts), only where the deployment asks for it.
  app.use("*", async (c, next) => {
    if (c.env.SERVER_TIMING !== "1") return next();
    const stats = newD1Stats();
    c.env = { ...c.env, DB: countingD1(c.env.DB, stats) };
    await next();
    c.res.headers.append("Server-Timing", serverTiming(stats));
  });

  app.use("*", async (c, next) => {
    // The request's clock. Tests and demos may move it, only where explicitly allowed, and only within the years the
    // calendar rules handle (an instant in year 275760 is a valid Date, not a valid org day).
    const debugNow = c.env.ALLOW_TIME_TRAVEL === "1" ? c.req.header("x-debug-now") : undefined;
    const parsed = debugNow ? Date.parse(debugNow) : NaN;
    c.set("now", parsed >= DEBUG_CLOCK_RANGE.from && parsed < DEBUG_CLOCK_RANGE.to ? parsed : Date.now());
    await next();
  });

  app.use(
    "*",
    cors({
      origin: (origin, c) => (allowedOrigins(c.env.ALLOWED_ORIGINS).includes(origin) ? origin : null),
      allowHeaders: ["Authorization", "Content-Type", "X-Debug-Now"],
      allowMethods: ["GET", "POST", "PUT", "PATCH", "DELETE"],
      // The extension backs off for as long as a 429 asks; without this its fetch could not read the header.
      exposeHeaders: ["Retry-After"],
      maxAge: 600,
    }),
  );

  app.use(
    "/v1/*",
    bodyLimit({
      maxSize: MAX_BODY_BYTES,
      onError: () => {
        throw new ApiError("payload_too_large", `Request body exceeds ${MAX_BODY_BYTES} bytes`);
      },
    }),
  );

  // No I/O at all: the baseline the benchmarks compare the real routes with.
  app.get("/ping", (c) => c.json({ ok: true }));

  app.get("/healthz", async (c) => {
    await c.env.DB.prepare("SELECT 1").first();
    return c.json(HealthResponse.parse({ ok: true, time: new Date(c.var.now).toISOString() }));
  });

  let openApi: unknown;
  app.get("/openapi.json", (c) => c.json((openApi ??= openApiDocument(routes, { title: "Target HUD API", version: "1" }))));

  app.route("/v1/pair", pairing);
  app.route("/v1/me", me);
  app.route("/v1/pairing-codes", pairingCodes);
  app.route("/v1/tokens", tokens);
  app.route("/v1/org", org);
  app.route("/v1/users", usersRoute);
  app.route("/v1/teams", teamsRoute);
  app.route("/v1/activities", activitiesRoute);
  app.route("/v1/progress", progressRoute);
  app.route("/v1/team", teamRoute);
  app.route("/v1/key-customers", customersRoute);
  app.route("/v1", insightsRoute);
  app.route("/v1/alerts", alertsRoute);
  app.route("/v1/tasks", tasksRoute);
  app.route("/v1/awards", awardsRoute);
  app.route("/v1/channels", channels);
  app.route("/v1/targets", targetsRoute);
  app.route("/v1/export", exportRoute);
  app.route("/v1/import", importRoute);

  app.notFound(() => {
    throw new ApiError("not_found", "No such route");
  });
  app.onError((err, c) => errorResponse(c, err));
  return app;
}
