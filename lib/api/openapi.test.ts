// The OpenAPI document states what the server enforces: every parameter described, every
// request and response with an example that its own schema accepts, 405 and 429 documented,
// the Idempotency-Key rule written down.
import { describe, expect, it } from "vitest";
import SwaggerParser from "@apidevtools/swagger-parser";
import { Ajv2020 } from "ajv/dist/2020.js";
import addFormats from "ajv-formats";
import { buildOpenApiDocument } from "./openapi";

const doc = buildOpenApiDocument();
const ajv = new Ajv2020({ strict: false, allErrors: true });
addFormats.default(ajv);
ajv.addSchema({ $id: "https://orquestra.invalid/openapi", components: doc.components }, "openapi");
const compile = (s: unknown) => ajv.compile(JSON.parse(JSON.stringify(s).replaceAll('"#/components/', '"https://orquestra.invalid/openapi#/components/')));

type Node = Record<string, unknown>;
const ops = Object.entries(doc.paths).flatMap(([path, methods]) => Object.entries(methods as Record<string, Node>).map(([m, op]) => ({ name: `${m.toUpperCase()} ${path}`, op })));

describe("OpenAPI document", () => {
  it("is valid OpenAPI 3.1", async () => {
    await SwaggerParser.validate(structuredClone(doc) as never);
  });

  it.each(ops)("$name: every parameter described, with an example its schema accepts", ({ op }) => {
    for (const p of op.parameters as Node[]) {
      if (p.$ref) continue;
      expect(typeof p.description === "string" && (p.description as string).length > 5, `${p.name} has no description`).toBe(true);
      expect(compile(p.schema)(p.example), `${p.name} example ${JSON.stringify(p.example)}`).toBe(true);
    }
  });

  it.each(ops)("$name: request and responses have examples their schemas accept", ({ op }) => {
    const body = (op.requestBody as { content: Record<string, { schema: unknown; example: unknown }> } | undefined)?.content["application/json"];
    if (body) {
      const v = compile(body.schema);
      expect(v(body.example), `request example: ${JSON.stringify(v.errors)}`).toBe(true);
    }
    for (const [status, r] of Object.entries(op.responses as Record<string, { content?: Record<string, { schema: unknown; example: unknown }> }>)) {
      const c = r.content?.["application/json"];
      if (!c) continue;
      const v = compile(c.schema);
      expect(v(c.example), `${status} example: ${JSON.stringify(v.errors)}`).toBe(true);
    }
  });

  it.each(ops)("$name: documents 401, 429 (with Retry-After) and 500", ({ op }) => {
    const responses = op.responses as Record<string, { headers?: Record<string, unknown> }>;
    expect(Object.keys(responses)).toEqual(expect.arrayContaining(["401", "429", "500"]));
    expect(responses["429"].headers).toHaveProperty("Retry-After");
  });

  it("documents 405, rate-limit headers and the Idempotency-Key rule", () => {
    expect(doc.components.responses.MethodNotAllowed.headers).toHaveProperty("Allow");
    expect(doc.components.headers).toHaveProperty("RateLimit-Remaining");
    expect(doc.components.parameters.IdempotencyKey.schema.pattern).toBe("^[\\x21-\\x7E]{1,255}$");
    expect(new RegExp(doc.components.parameters.IdempotencyKey.schema.pattern).test("has space")).toBe(false);
  });

  it("states the rules the server enforces in the schemas (patterns, formats, bounds)", () => {
    const submit = (doc.paths["/requests"] as Node).post as Node;
    const schema = ((submit.requestBody as Node).content as Record<string, { schema: Node }>)["application/json"].schema;
    const props = schema.properties as Record<string, Node>;
    expect(props.quantity).toMatchObject({ minimum: 1, maximum: 20 });
    expect(JSON.stringify(props.leaseEndsAt)).toContain('"format":"date"');
    const machines = ((doc.paths["/machines"] as Node).get as Node).parameters as Node[];
    expect(machines.find((p) => p.name === "page")?.schema).toMatchObject({ minimum: 1, maximum: 100000 });
    expect(JSON.stringify(machines.find((p) => p.name === "state")?.schema)).toContain("RUNNING");
    const ops = ((doc.paths["/machines/{machineId}/operations"] as Node).get as Node).parameters as Node[];
    expect((ops.find((p) => p.name === "cursor")?.schema as Node).pattern).toBeTruthy();
  });
});
