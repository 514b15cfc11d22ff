import { z } from "zod";
import { routes, type RouteName, type RouteSpec } from "../../shared/api";
import { ActivityKind, ActivitySource } from "../../shared/schemas/activities";
import type { ApiRoute, BackgroundRequest as RequestType } from "../messages";

/** The routes the `api` message may call: those that need the device token (see ApiRoute in messages.ts). */
export const API_ROUTES = (Object.keys(routes) as RouteName[]).filter((name): name is ApiRoute => routes[name].auth);

/** `{id}` placeholders of a route's path. */
export function pathParams(route: RouteSpec): string[] {
  return [...route.path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!);
}

/**
 * The generic API call, checked against the route table before anything is sent: the route exists and needs the token,
 * the path parameters are exactly the route's, the body and query pass the route's own schemas. Issues carry paths like
 * `body.name` or `params.id`, so a form can show each next to its field.
 */
const ApiMessage = z
  .strictObject({
    type: z.literal("api"),
    route: z.enum(API_ROUTES as [ApiRoute, ...ApiRoute[]]),
    params: z.record(z.string(), z.string().min(1).max(200)).optional(),
    query: z.record(z.string(), z.unknown()).optional(),
    body: z.unknown().optional(),
  })
  .superRefine((message, ctx) => {
    const route: RouteSpec = routes[message.route];
    const expected = pathParams(route);
    const given = Object.keys(message.params ?? {});
    for (const name of expected) {
      if (!given.includes(name)) ctx.addIssue({ code: "custom", path: ["params", name], message: "required" });
    }
    for (const name of given) {
      if (!expected.includes(name)) ctx.addIssue({ code: "custom", path: ["params", name], message: `not a parameter of ${route.path}` });
    }
    for (const part of ["body", "query"] as const) {
      const schema = route[part];
      const value = message[part];
      if (!schema) {
        if (value !== undefined) ctx.addIssue({ code: "custom", path: [part], message: `${message.route} takes no ${part}` });
        continue;
      }
      if (value === undefined && part === "query") continue;
      const parsed = schema.safeParse(value);
      if (!parsed.success) {
        for (const issue of parsed.error.issues) ctx.addIssue({ code: "custom", path: [part, ...issue.path], message: issue.message });
      }
    }
  });

/** Runtime check of every message the background receives (messages.ts has the types). */
export const BackgroundRequest = z.discriminatedUnion("type", [
  z.strictObject({ type: z.literal("getState") }),
  z.strictObject({ type: z.literal("sync") }),
  z.strictObject({
    type: z.literal("pair"),
    serverUrl: z.string().max(2048),
    code: z.string().max(64),
    deviceLabel: z.string().trim().min(1).max(80).optional(),
  }),
  z.strictObject({ type: z.literal("unpair") }),
  z.strictObject({
    type: z.literal("logActivity"),
    clientEventId: z.uuid().optional(),
    kind: ActivityKind,
    source: ActivitySource,
    customer: z.string().trim().min(1).max(80).optional(),
    amount: z.int().min(0).optional(),
  }),
  z.strictObject({ type: z.literal("undoActivity"), clientEventId: z.uuid() }),
  z.strictObject({ type: z.literal("insights"), refresh: z.boolean() }),
  z.strictObject({ type: z.literal("sentLog") }),
  z.strictObject({ type: z.literal("getMessages"), language: z.enum(["en", "zh-CN", "zh-TW"]) }),
  z.strictObject({ type: z.literal("overlayInject"), part: z.enum(["detector", "ui"]) }),
  z.strictObject({ type: z.literal("overlay") }),
  z.strictObject({
    type: z.literal("overlayPrefs"),
    prefs: z.strictObject({
      placement: z
        .strictObject({
          corner: z.enum(["bottom-left", "bottom-right", "top-left", "top-right"]),
          x: z.number().finite().min(0).max(10_000),
          y: z.number().finite().min(0).max(10_000),
        })
        .nullable(),
      collapsed: z.boolean(),
      attachLabel: z.boolean(),
    }),
  }),
  ApiMessage,
]);

// The schema and the protocol types must describe the same messages.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const sameShape: Same<z.infer<typeof BackgroundRequest>, RequestType> = true;
void sameShape;
