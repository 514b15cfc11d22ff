import { z } from "zod";
import { ErrorEnvelope } from "./schemas/common";
import type { RouteSpec } from "./api";

/** OpenAPI 3.1 document generated from the route table and its zod schemas. */
export function openApiDocument(routes: Record<string, RouteSpec>, info: { title: string; version: string }) {
  const paths: Record<string, Record<string, unknown>> = {};
  const schema = (s: z.ZodType, io: "input" | "output") => z.toJSONSchema(s, { io, unrepresentable: "any", target: "draft-2020-12" });
  const errorResponse = { description: "Error", content: { "application/json": { schema: schema(ErrorEnvelope, "output") } } };
  for (const [operationId, r] of Object.entries(routes)) {
    const parameters: unknown[] = [...r.path.matchAll(/\{(\w+)\}/g)].map((m) => ({ name: m[1], in: "path", required: true, schema: { type: "string" } }));
    if (r.query) {
      const q = schema(r.query, "input") as { properties?: Record<string, unknown>; required?: string[] };
      for (const [name, s] of Object.entries(q.properties ?? {})) parameters.push({ name, in: "query", required: q.required?.includes(name) ?? false, schema: s });
    }
    paths[r.path] ??= {};
    paths[r.path]![r.method.toLowerCase()] = {
      operationId,
      summary: r.summary,
      ...(r.auth ? { security: [{ deviceToken: [] }] } : {}),
      ...(parameters.length ? { parameters } : {}),
      ...(r.body ? { requestBody: { required: true, content: { "application/json": { schema: schema(r.body, "input") } } } } : {}),
      responses: {
        [String(r.status ?? 200)]:
          r.status === 204
            ? { description: "No Content" }
            : { description: "OK", content: { "application/json": { schema: schema(r.response, "output") } } },
        "4XX": errorResponse,
      },
    };
  }
  return {
    openapi: "3.1.0",
    info,
    components: { securitySchemes: { deviceToken: { type: "http", scheme: "bearer", description: "Device token from POST /v1/pair" } } },
    paths,
  };
}
