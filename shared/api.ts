import { z } from "zod";
import { PairRequest, PairResponse } from "./schemas/pairing";
import { PostActivitiesRequest, PostActivitiesResponse } from "./schemas/activities";
import { ProgressResponse } from "./schemas/progress";

/**
 * The route table: the one description of the wire contract. The worker validates
 * with these schemas, the extension's client is typed from them, and the OpenAPI
 * document is generated from them.
 */
export interface RouteSpec {
  method: "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
  path: string;
  auth: boolean;
  summary: string;
  body?: z.ZodType;
  query?: z.ZodType;
  response: z.ZodType;
}

export const ProgressQuery = z.strictObject({
  userId: z.string().min(1).max(64).optional(),
});

export const HealthResponse = z.object({ ok: z.literal(true), time: z.string() });

export const routes = {
  health: {
    method: "GET",
    path: "/healthz",
    auth: false,
    summary: "Liveness and database reachability",
    response: HealthResponse,
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
} as const satisfies Record<string, RouteSpec>;

export type Routes = typeof routes;
export type RouteName = keyof Routes;
type Field<R, K extends string> = R extends Record<K, infer S extends z.ZodType> ? S : never;
export type RouteBody<N extends RouteName> = z.input<Field<Routes[N], "body">>;
export type RouteQuery<N extends RouteName> = z.input<Field<Routes[N], "query">>;
export type RouteResponse<N extends RouteName> = z.output<Routes[N]["response"]>;
