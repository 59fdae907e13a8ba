// fast-check arbitraries from the JSON Schemas of an OpenAPI 3.1 document: values the
// schema accepts (for requests that should pass validation) and values it does not (for
// requests that must be refused with a 4xx, never a 5xx). Covers the subset our document
// uses: $ref, anyOf/oneOf, enum/const, type arrays, string formats and patterns, numeric
// bounds and multipleOf, objects with required keys, arrays with bounds.
import fc from "fast-check";

export type JsonSchema = Record<string, unknown>;

export class SchemaArbitraries {
  constructor(private readonly components: Record<string, JsonSchema>) {}

  resolve(s: JsonSchema): JsonSchema {
    const ref = s.$ref;
    if (typeof ref === "string" && ref.startsWith("#/components/schemas/")) return this.resolve(this.components[ref.slice(21)] ?? {});
    return s;
  }

  /** Values valid for the schema. */
  valid(raw: unknown, depth = 0): fc.Arbitrary<unknown> {
    if (!raw || typeof raw !== "object") return fc.anything();
    const s = this.resolve(raw as JsonSchema);
    if (depth > 6) return fc.constant(null);
    if (s.const !== undefined) return fc.constant(s.const);
    if (Array.isArray(s.enum)) return fc.constantFrom(...(s.enum as unknown[]));
    const union = (s.anyOf ?? s.oneOf) as JsonSchema[] | undefined;
    if (union) return fc.oneof(...union.map((u) => this.valid(u, depth + 1)));
    if (Array.isArray(s.allOf) && s.allOf.length === 1) return this.valid(s.allOf[0], depth + 1);
    if (Array.isArray(s.type)) return fc.oneof(...(s.type as string[]).map((t) => this.valid({ ...s, type: t }, depth + 1)));
    switch (s.type) {
      case "null":
        return fc.constant(null);
      case "boolean":
        return fc.boolean();
      case "integer":
      case "number": {
        const min = typeof s.minimum === "number" ? s.minimum : typeof s.exclusiveMinimum === "number" ? s.exclusiveMinimum + (s.type === "integer" ? 1 : 1e-6) : -1_000_000;
        const max = typeof s.maximum === "number" ? s.maximum : typeof s.exclusiveMaximum === "number" ? s.exclusiveMaximum - (s.type === "integer" ? 1 : 1e-6) : 1_000_000;
        if (typeof s.multipleOf === "number") {
          const step = s.multipleOf;
          return fc.integer({ min: Math.ceil(min / step), max: Math.floor(Math.min(max, 1e9) / step) }).map((n) => n * step);
        }
        if (s.type === "integer") return fc.integer({ min: Math.ceil(Math.max(min, -(2 ** 31))), max: Math.floor(Math.min(max, 2 ** 31)) });
        return fc.double({ min, max, noNaN: true, noDefaultInfinity: true });
      }
      case "string":
        return this.string(s);
      case "array": {
        const minLength = typeof s.minItems === "number" ? s.minItems : 0;
        const maxLength = Math.max(minLength, Math.min(typeof s.maxItems === "number" ? s.maxItems : 3, 3));
        return fc.array(this.valid(s.items, depth + 1), { minLength, maxLength });
      }
      case "object": {
        const props = (s.properties ?? {}) as Record<string, JsonSchema>;
        const required = new Set((s.required as string[] | undefined) ?? []);
        const entries = Object.fromEntries(Object.entries(props).map(([k, v]) => [k, this.valid(v, depth + 1)]));
        if (!Object.keys(props).length && s.additionalProperties && typeof s.additionalProperties === "object") {
          return fc.dictionary(fc.string({ minLength: 1, maxLength: 8 }), this.valid(s.additionalProperties, depth + 1), { maxKeys: 3 });
        }
        return fc.record(entries, { requiredKeys: [...required].filter((k) => k in entries) });
      }
      default:
        return fc.jsonValue({ maxDepth: 2 });
    }
  }

  private string(s: JsonSchema): fc.Arbitrary<string> {
    const minLength = typeof s.minLength === "number" ? s.minLength : 0;
    const maxLength = Math.max(minLength, Math.min(typeof s.maxLength === "number" ? s.maxLength : 40, 64));
    switch (s.format) {
      case "uuid":
        return fc.uuid();
      case "date":
        return fc.date({ min: new Date("2000-01-01"), max: new Date("2099-12-31"), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10));
      case "date-time":
        return fc.date({ min: new Date("2000-01-01"), max: new Date("2099-12-31"), noInvalidDate: true }).map((d) => d.toISOString());
      case "email":
        return fc.emailAddress().filter((e) => e.length <= maxLength);
    }
    if (typeof s.pattern === "string") {
      return fc.stringMatching(new RegExp(s.pattern)).filter((v) => v.length >= minLength && v.length <= maxLength);
    }
    return fc.string({ minLength, maxLength, unit: "grapheme-ascii" });
  }

  /** Values of the wrong kind, or out of bounds: what a careless or hostile client sends. */
  invalid(): fc.Arbitrary<unknown> {
    return fc.oneof(
      fc.constant(null),
      fc.constant(""),
      fc.constant(-1),
      fc.constant(1e308),
      fc.constant("0.000000000000000000000000000000000000"),
      fc.constant("999999999999999.1"),
      fc.constant("../../etc/passwd"),
      fc.constant("<script>alert(1)</script>"),
      fc.constant("' OR 1=1 --"),
      fc.string({ maxLength: 300, unit: "binary" }),
      fc.integer(),
      fc.double(),
      fc.boolean(),
      fc.array(fc.jsonValue({ maxDepth: 1 }), { maxLength: 3 }),
      fc.dictionary(fc.string({ maxLength: 5 }), fc.jsonValue({ maxDepth: 1 }), { maxKeys: 3 }),
    );
  }
}
