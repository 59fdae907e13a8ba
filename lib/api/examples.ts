// Examples for the OpenAPI document, derived from a JSON Schema when an operation gives none:
// realistic values chosen by the property's name ("name" -> "web-01", "email" -> an
// address), its format and its bounds. A test validates every example in the document
// against its schema, so a derived example that breaks a rule fails the build, not a reader.
type JsonSchema = Record<string, unknown>;

const BY_NAME: Record<string, unknown> = {
  name: "web-01",
  names: ["web-01", "web-02"],
  slug: "web-platform",
  email: "ada@example.com",
  actorEmail: "ada@example.com",
  description: "General-purpose machines for web services.",
  osName: "Ubuntu",
  osVersion: "24.04",
  justification: "Load tests for the spring release.",
  reason: "Needed until the migration is finished.",
  message: "injected fault",
  endpoint: "https://vcenter.example.com/sdk",
  config: { datacenter: "DC0", cluster: "DC0_C0", datastore: "LocalDS_0" },
  currency: "USD",
  ref: "ubuntu-24.04-template",
  confirmName: "web-01",
  prefix: "orq_1a2b3c4d",
  secret: "orq_1a2b3c4d_3q2-7wAbCdEfGhIjKlMnOpQrStUvWxYz0123456789ABC",
  action: "request.submit",
  targetType: "Request",
  ipAddress: "192.0.2.10",
  userAgent: "Mozilla/5.0 (X11; Linux x86_64)",
  hostName: "esx-01",
  monthlyPrice: "45.00",
  monthlyBudget: "5000.00",
  autoApproveBelow: "100.00",
  leaseEndsAt: "2026-12-31",
  expiresOn: "2026-12-31",
  newEndDate: "2026-12-31",
  password: "correct horse battery staple",
  currentPassword: "correct horse battery staple",
  newPassword: "a much longer passphrase 2026",
  cursor: "1767225600000.3f6c1c1e-8a51-4c3e-9d6b-0c5a7b2e9f10",
  nextCursor: "1767225600000.3f6c1c1e-8a51-4c3e-9d6b-0c5a7b2e9f10",
  after: "1767225600000.4211",
  before: "1767225600000.4230",
  olderCursor: "1767225600000.4211",
  newerCursor: "1767225600000.4230",
};

const FORMATS: Record<string, unknown> = {
  uuid: "3f6c1c1e-8a51-4c3e-9d6b-0c5a7b2e9f10",
  "date-time": "2026-03-01T12:00:00.000Z",
  date: "2026-03-31",
  email: "ada@example.com",
  uri: "https://example.com/",
};

function resolve(node: JsonSchema, components: Record<string, JsonSchema>): JsonSchema {
  const ref = node.$ref;
  if (typeof ref === "string" && ref.startsWith("#/components/schemas/")) return components[ref.slice(21)] ?? {};
  return node;
}

function fits(value: unknown, s: JsonSchema): boolean {
  if (typeof value === "string") {
    if (typeof s.minLength === "number" && value.length < s.minLength) return false;
    if (typeof s.maxLength === "number" && value.length > s.maxLength) return false;
    if (typeof s.pattern === "string" && !new RegExp(s.pattern, "u").test(value)) return false;
    if (Array.isArray(s.enum) && !s.enum.includes(value)) return false;
    return s.type === undefined || s.type === "string" || (Array.isArray(s.type) && s.type.includes("string"));
  }
  if (Array.isArray(value)) return s.type === "array";
  return false;
}

export function exampleFor(raw: unknown, components: Record<string, JsonSchema>, propName?: string, depth = 0): unknown {
  if (!raw || typeof raw !== "object" || depth > 12) return null;
  const s = resolve(raw as JsonSchema, components);
  if (s.example !== undefined) return s.example;
  if (Array.isArray(s.examples) && s.examples.length) return s.examples[0];
  if (s.const !== undefined) return s.const;
  if (Array.isArray(s.enum)) return s.enum[0];
  if (s.default !== undefined && s.default !== null) return s.default;
  const union = (s.anyOf ?? s.oneOf) as JsonSchema[] | undefined;
  if (union) {
    // Prefer a non-null, non-empty branch.
    const pick = union.find((u) => resolve(u, components).type !== "null" && resolve(u, components).const !== "") ?? union[0];
    return exampleFor(pick, components, propName, depth + 1);
  }
  if (Array.isArray(s.allOf) && s.allOf.length) return exampleFor(s.allOf[0], components, propName, depth + 1);
  const type = Array.isArray(s.type) ? (s.type.find((t) => t !== "null") ?? s.type[0]) : s.type;
  if (propName && propName in BY_NAME && fits(BY_NAME[propName], { ...s, type })) return BY_NAME[propName];
  switch (type) {
    case "object": {
      const out: Record<string, unknown> = {};
      const props = (s.properties ?? {}) as Record<string, unknown>;
      for (const [k, v] of Object.entries(props)) out[k] = exampleFor(v, components, k, depth + 1);
      if (!Object.keys(props).length && s.additionalProperties && typeof s.additionalProperties === "object") {
        // A record: every key of an enum of keys, else one key of the right form.
        const names = (s.propertyNames ?? {}) as JsonSchema;
        const keys = Array.isArray(names.enum) ? (names.enum as string[]) : [names.format === "uuid" ? (FORMATS.uuid as string) : "key"];
        for (const k of keys) out[k] = exampleFor(s.additionalProperties, components, undefined, depth + 1);
      }
      return out;
    }
    case "array": {
      const item = exampleFor(s.items, components, propName?.replace(/s$/, ""), depth + 1);
      const min = typeof s.minItems === "number" ? s.minItems : 1;
      return Array.from({ length: Math.max(1, min) }, () => item);
    }
    case "integer":
    case "number": {
      const min = typeof s.minimum === "number" ? s.minimum : typeof s.exclusiveMinimum === "number" ? s.exclusiveMinimum + 1 : undefined;
      const max = typeof s.maximum === "number" ? s.maximum : undefined;
      let v = /cents/i.test(propName ?? "") ? 4500 : /memory/i.test(propName ?? "") ? 4096 : /disk/i.test(propName ?? "") ? 40 : 2;
      if (min !== undefined && v < min) v = min;
      if (max !== undefined && v > max) v = max;
      return v;
    }
    case "boolean":
      return propName === "disabled" || propName === "archived" ? false : true;
    case "null":
      return null;
    case "string": {
      if (typeof s.format === "string" && s.format in FORMATS) return FORMATS[s.format];
      const len = typeof s.minLength === "number" ? s.minLength : 0;
      const base = "example";
      return base.length >= len ? base.slice(0, typeof s.maxLength === "number" ? s.maxLength : base.length) : base.padEnd(len, "x");
    }
    default:
      return null;
  }
}
