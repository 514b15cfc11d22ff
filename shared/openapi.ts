import { z } from "zod";
import { ErrorEnvelope } from "./schemas/common";
import { CsvText } from "./schemas/csv";
import type { RouteSpec } from "./api";

/**
 * Media types of a body or an answer: JSON, except the CSV routes (`CsvText`), whose import bodies are text/csv (or
 * text/plain, as some tools send it) in UTF-8 and whose exports are text/csv files.
 */
function mediaTypes(s: z.ZodType, direction: "request" | "response"): string[] {
  if (s !== CsvText) return ["application/json"];
  return direction === "request" ? ["text/csv", "text/plain"] : ["text/csv"];
}

/** OpenAPI 3.1 document generated from the route table and its zod schemas. */
export function openApiDocument(routes: Record<string, RouteSpec>, info: { title: string; version: string }) {
  const paths: Record<string, Record<string, unknown>> = {};
  const schema = (s: z.ZodType, io: "input" | "output") => z.toJSONSchema(s, { io, unrepresentable: "any", target: "draft-2020-12" });
  const content = (s: z.ZodType, direction: "request" | "response", io: "input" | "output") =>
    Object.fromEntries(mediaTypes(s, direction).map((type) => [type, { schema: schema(s, io) }]));
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
      ...(r.body ? { requestBody: { required: true, content: content(r.body, "request", "input") } } : {}),
      responses: {
        [String(r.status ?? 200)]:
          r.status === 204
            ? { description: "No Content" }
            : {
                description: "OK",
                ...(r.response === CsvText
                  ? { headers: { "Content-Disposition": { description: "attachment; filename=\"….csv\"", schema: { type: "string" } } } }
                  : {}),
                content: content(r.response, "response", "output"),
              },
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
