// Short, readable type descriptions of JSON Schema nodes for the API reference page
// ("string (uuid)", "integer 1–20", "array of string", "SSD | HDD").
type Node = Record<string, unknown>;

export function resolveRef(node: Node, schemas: Record<string, Node>): Node {
  const ref = node.$ref;
  if (typeof ref === "string" && ref.startsWith("#/components/schemas/")) return schemas[ref.slice("#/components/schemas/".length)] ?? node;
  return node;
}

export function typeText(raw: Node | undefined, schemas: Record<string, Node>): string {
  if (!raw) return "any";
  const node = resolveRef(raw, schemas);
  if (typeof raw.$ref === "string") return raw.$ref.split("/").pop()!;
  if (Array.isArray(node.enum)) return node.enum.map(String).join(" | ");
  if (node.const !== undefined) return JSON.stringify(node.const);
  const union = (node.anyOf ?? node.oneOf) as Node[] | undefined;
  if (union) return union.map((n) => typeText(n, schemas)).join(" | ");
  const type = node.type;
  if (type === "array") return `array of ${typeText(node.items as Node | undefined, schemas)}`;
  if (type === "object") return "object";
  if (typeof type !== "string") return "any";
  const bits: string[] = [];
  if (typeof node.format === "string") bits.push(node.format);
  const min = node.minimum ?? node.minLength;
  const max = node.maximum ?? node.maxLength;
  if (min !== undefined && max !== undefined) bits.push(`${min}–${max}`);
  else if (min !== undefined) bits.push(`min ${min}`);
  else if (max !== undefined) bits.push(`max ${max}`);
  if (node.default !== undefined) bits.push(`default ${JSON.stringify(node.default)}`);
  return bits.length ? `${type} (${bits.join(", ")})` : type;
}

export interface FieldRow {
  name: string;
  type: string;
  required: boolean;
  description?: string;
}

/** Top-level properties of an object schema. */
export function fieldRows(raw: Node | undefined, schemas: Record<string, Node>): FieldRow[] {
  if (!raw) return [];
  const node = resolveRef(raw, schemas);
  const props = (node.properties ?? {}) as Record<string, Node>;
  const required = new Set((node.required as string[] | undefined) ?? []);
  return Object.entries(props).map(([name, p]) => ({
    name,
    type: typeText(p, schemas),
    required: required.has(name),
    description: typeof p.description === "string" ? p.description : undefined,
  }));
}
