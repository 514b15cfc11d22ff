import { describe, expect, it } from "vitest";
import { routes } from "./api";
import { openApiDocument } from "./openapi";
import { CsvText } from "./schemas/csv";

type Operation = {
  requestBody?: { content: Record<string, { schema: unknown }> };
  responses: Record<string, { content?: Record<string, { schema: unknown }>; headers?: Record<string, unknown> }>;
};

const doc = openApiDocument(routes, { title: "t", version: "1" });
const operation = (path: string, method: string) => (doc.paths[path] as Record<string, Operation>)[method.toLowerCase()]!;
const entries = Object.entries(routes).map(([name, r]) => ({ name, ...r, op: operation(r.path, r.method) }));

describe("OpenAPI media types", () => {
  it("documents the CSV routes with their real content types", () => {
    const exported = operation("/v1/export/targets.csv", "GET").responses["200"]!.content!;
    expect(Object.keys(exported)).toEqual(["text/csv"]);
    expect(exported["text/csv"]!.schema).toMatchObject({ type: "string" });
    expect(operation("/v1/export/activities.csv", "GET").responses["200"]!.headers).toHaveProperty("Content-Disposition");
    for (const path of ["/v1/import/targets", "/v1/import/activities"]) {
      const op = operation(path, "POST");
      expect(Object.keys(op.requestBody!.content).sort()).toEqual(["text/csv", "text/plain"]);
      // The import's answer is a JSON report.
      expect(Object.keys(op.responses["200"]!.content!)).toEqual(["application/json"]);
    }
  });

  it.each(entries.map((e) => [e.name, e] as const))("%s: CSV where the route table says CsvText, JSON everywhere else", (_, route) => {
    const bodyTypes = route.op.requestBody && Object.keys(route.op.requestBody.content);
    const body = "body" in route ? route.body : undefined;
    if (body === undefined) expect(bodyTypes).toBeUndefined();
    else expect(bodyTypes).toEqual(body === CsvText ? ["text/csv", "text/plain"] : ["application/json"]);
    const ok = route.op.responses[String("status" in route ? route.status : 200)]!;
    if ("status" in route && route.status === 204) expect(ok.content).toBeUndefined();
    else expect(Object.keys(ok.content!)).toEqual([route.response === CsvText ? "text/csv" : "application/json"]);
    expect(Object.keys(route.op.responses["4XX"]!.content!)).toEqual(["application/json"]);
  });
});
