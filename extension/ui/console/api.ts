import { createContext } from "preact";
import { useContext } from "preact/hooks";
import type { RouteBody, RouteQuery, RouteResponse } from "../../../shared/api";
import { sendToBackground, type ApiRoute } from "../../messages";

/**
 * The console's view of the API: every call is the background's `api` message (messages.ts), so the console has no
 * HTTP client of its own — the background checks the request against the route table, adds the paired token, checks
 * the answer against the route's schema, and a failure arrives as a BackgroundError (kind, code, details).
 */
export type ApiOptions<N extends ApiRoute> = {
  params?: Record<string, string>;
  query?: RouteQuery<N>;
  body?: RouteBody<N>;
};

export interface ConsoleApi {
  call<N extends ApiRoute>(route: N, options?: ApiOptions<N>): Promise<RouteResponse<N>>;
}

export const backgroundApi: ConsoleApi = {
  call: async (route, options = {}) =>
    (await sendToBackground({
      type: "api",
      route,
      ...(options.params ? { params: options.params } : {}),
      ...(options.query ? { query: options.query as Record<string, unknown> } : {}),
      ...(options.body !== undefined ? { body: options.body } : {}),
    })) as never,
};

export const ApiContext = createContext<ConsoleApi>(backgroundApi);

export function useApi(): ConsoleApi {
  return useContext(ApiContext);
}
