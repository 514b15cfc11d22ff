import type { z } from "zod";
import { routes, type RouteName, type RouteResponse, type RouteSpec, type Routes } from "../../shared/api";
import { isErrorBody } from "../../shared/errors";
import { CsvText } from "../../shared/schemas/csv";
import { HTTPError, NetworkError, SchemaError, isKnownErrorCode, parseRetryAfter } from "./errors";

/**
 * Typed API client built from the route table in shared/api.ts: `call('pair', { body })` sends the
 * route's method to its path, validates the body before it leaves and the answer when it comes back,
 * and throws typed errors (api/errors.ts). Only the background uses it.
 */

type BodyOption<N extends RouteName> = Routes[N] extends { body: infer S extends z.ZodType }
  ? { body: z.input<S> }
  : { body?: never };
type QueryOption<N extends RouteName> = Routes[N] extends { query: infer S extends z.ZodType }
  ? { query?: z.input<S> }
  : { query?: never };
/** `{id}` segments of an OpenAPI-style path, e.g. "/v1/tokens/{id}" → "id". */
export type PathParamNames<P extends string> = P extends `${string}{${infer K}}${infer Rest}` ? K | PathParamNames<Rest> : never;
type ParamsOption<N extends RouteName> = [PathParamNames<Routes[N]["path"]>] extends [never]
  ? { params?: never }
  : { params: Record<PathParamNames<Routes[N]["path"]>, string> };

export type CallOptions<N extends RouteName> = BodyOption<N> &
  QueryOption<N> &
  ParamsOption<N> & {
    /** Overrides the configured server, e.g. to pair with a server URL that is not saved yet. */
    baseUrl?: string;
    /** Overrides the configured token. */
    token?: string | null;
    signal?: AbortSignal;
  };

export interface ServerConfig {
  baseUrl: string;
  token: string | null;
}

export interface ApiClientOptions {
  /** Read on every call, so a new server URL or token applies at once. */
  server: () => ServerConfig | Promise<ServerConfig>;
  fetch?: typeof fetch;
  /** Per request; a slow answer counts as a network failure. */
  timeoutMs?: number;
}

/** Options are required exactly when the route needs a body or path parameters. */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- "{} extends T": T has no required key
export type CallArgs<N extends RouteName> = {} extends CallOptions<N> ? [options?: CallOptions<N>] : [options: CallOptions<N>];

export interface ApiClient {
  call<N extends RouteName>(name: N, ...args: CallArgs<N>): Promise<RouteResponse<N>>;
}

export const DEFAULT_TIMEOUT_MS = 15_000;

export function createApiClient(options: ApiClientOptions): ApiClient {
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;

  async function call<N extends RouteName>(name: N, ...args: CallArgs<N>): Promise<RouteResponse<N>> {
    const route: RouteSpec = routes[name];
    const opts = (args[0] ?? {}) as { body?: unknown; query?: unknown; params?: Record<string, string> } & Pick<
      CallOptions<N>,
      "baseUrl" | "token" | "signal"
    >;
    const server = await options.server();
    const baseUrl = opts.baseUrl ?? server.baseUrl;
    const token = opts.token !== undefined ? opts.token : server.token;

    const headers: Record<string, string> = { accept: "application/json" };
    if (route.auth) {
      // Answer like the server would, without a pointless round trip.
      if (!token) throw new HTTPError(401, "unauthorized", "This device is not paired.");
      headers.authorization = `Bearer ${token}`;
    }

    let body: string | undefined;
    if (route.body) {
      const parsed = route.body.safeParse(opts.body);
      if (!parsed.success) throw new SchemaError("request", `Invalid request body for ${name}`, parsed.error.issues);
      // CSV imports send the file as it is (text/csv, UTF-8); everything else is JSON.
      const csv = route.body === CsvText;
      body = csv ? (parsed.data as string) : JSON.stringify(parsed.data);
      headers["content-type"] = csv ? "text/csv; charset=utf-8" : "application/json";
    }
    const csvAnswer = route.response === CsvText;
    if (csvAnswer) headers.accept = "text/csv, application/json";

    let path = route.path;
    for (const placeholder of route.path.match(/\{(\w+)\}/g) ?? []) {
      const key = placeholder.slice(1, -1);
      const value = opts.params?.[key];
      if (!value) throw new SchemaError("request", `Missing path parameter ${key} for ${name}`, [{ path: ["params", key] }]);
      path = path.replace(placeholder, encodeURIComponent(value));
    }
    let url = joinUrl(baseUrl, path);
    if (route.query && opts.query !== undefined) {
      const parsed = route.query.safeParse(opts.query);
      if (!parsed.success) throw new SchemaError("request", `Invalid query for ${name}`, parsed.error.issues);
      const search = new URLSearchParams();
      for (const [key, value] of Object.entries(parsed.data as Record<string, unknown>)) {
        if (value !== undefined) search.set(key, String(value));
      }
      if ([...search].length > 0) url += `?${search}`;
    }

    const timeout = AbortSignal.timeout(timeoutMs);
    const signal = opts.signal ? AbortSignal.any([opts.signal, timeout]) : timeout;
    let response: Response;
    try {
      response = await (options.fetch ?? fetch)(url, {
        method: route.method,
        headers,
        body,
        signal,
        credentials: "omit",
        cache: "no-store",
      });
    } catch (error) {
      const reason = timeout.aborted ? `timed out after ${timeoutMs} ms` : "could not reach the server";
      throw new NetworkError(`${route.method} ${url}: ${reason}`, { cause: error });
    }

    let json: unknown;
    try {
      const text = await response.text();
      // 204 and other empty answers are `null` (the route table's NoContent); a CSV export is its text.
      json = csvAnswer && response.ok ? text : text === "" ? null : JSON.parse(text);
    } catch (error) {
      if (error instanceof SyntaxError) json = undefined;
      else throw new NetworkError(`${route.method} ${url}: connection lost while reading the answer`, { cause: error });
    }

    if (!response.ok) {
      // Readable cross-origin because the worker exposes it (worker/app.ts, CORS exposeHeaders).
      const retryAfterMs = parseRetryAfter(response.headers.get("retry-after"), Date.now());
      if (isErrorBody(json)) {
        const { code, message, details } = json.error;
        throw new HTTPError(response.status, isKnownErrorCode(code) ? code : `http_${response.status}`, message, details, retryAfterMs);
      }
      throw new HTTPError(response.status, `http_${response.status}`, `${response.status} ${response.statusText}`.trim(), undefined, retryAfterMs);
    }

    const parsed = route.response.safeParse(json);
    if (!parsed.success) {
      throw new SchemaError("response", `Unexpected answer from ${route.method} ${route.path}`, parsed.error.issues);
    }
    return parsed.data as RouteResponse<N>;
  }

  return { call };
}

/** Keeps a path prefix on the server URL (`https://host/api` + `/v1/pair`), unlike `new URL(path, base)`. */
export function joinUrl(baseUrl: string, path: string): string {
  return baseUrl.replace(/\/+$/, "") + path;
}
