// The stack document (apiVersion orquestra/v1, kind Stack): the one zod schema the parser, the
// services, the API and the published JSON Schema (schema.json, generated from it) share.
// Pure: no database, safe in client bundles (the editor validates with it as you type).
import { z } from "zod";
import { isDnsLabel, MAX_QUANTITY } from "../requests/names";
import { healthCheckSchema, IMAGE_RE, MAX_REPLICAS, workloadPortSchema } from "../workloads/schemas";

export const STACK_API_VERSION = "orquestra/v1";
/** A reference to a parameter, `${params.name}`, the whole value. */
const PARAM_REF = /^\$\{params\.([A-Za-z_][A-Za-z0-9_]*)\}$/;
const PARAM_REF_ANY = /\$\{params\.([A-Za-z_][A-Za-z0-9_]*)\}/g;

const dnsLabel = z
  .string()
  .min(1)
  .max(50)
  .refine(isDnsLabel, { error: "must be a DNS label: lowercase letters, digits and hyphens, not starting or ending with a hyphen" })
  .meta({ pattern: "^[a-z0-9](?:[a-z0-9-]{0,48}[a-z0-9])?$" });

const paramRef = z.string().regex(PARAM_REF, { error: "must be an integer or a parameter reference such as ${params.webCount}" });

export const parameterSchema = z.discriminatedUnion("type", [
  z.strictObject({ type: z.literal("string"), default: z.string().optional(), description: z.string().optional() }),
  z.strictObject({ type: z.literal("integer"), default: z.number().int().optional(), minimum: z.number().int().optional(), maximum: z.number().int().optional(), description: z.string().optional() }),
  z.strictObject({ type: z.literal("boolean"), default: z.boolean().optional(), description: z.string().optional() }),
]);
export type StackParameter = z.infer<typeof parameterSchema>;

export const stackMachineSchema = z
  .strictObject({
    name: dnsLabel.meta({ description: "The machine's name in the stack; with count > 1 the machines are named <name>-01, <name>-02, ..." }),
    offering: z.string().min(1).meta({ description: "The offering's name (the size and price, as in the request form)." }),
    template: z.string().min(1).meta({ description: "The template's name (the operating system image)." }),
    count: z.union([z.number().int().min(0).max(MAX_QUANTITY), paramRef]).default(1).meta({ description: `How many machines (0 to ${MAX_QUANTITY}), or a parameter reference.` }),
    placement: z
      .union([z.enum(["auto", "private"]), z.string().regex(/^provider:.+$/, { error: "placement is auto, private or provider:<provider name>" })])
      .default("auto")
      .meta({ description: "Where the machines may go: auto (the project's policy), private (private-cloud providers only) or provider:<name>." }),
    lease: z
      .union([z.iso.date(), z.string().regex(/^[1-9]\d{0,3}d$/, { error: "lease is a date (YYYY-MM-DD) or a number of days such as 30d" })])
      .optional()
      .meta({ description: "The last day of the lease: a date (YYYY-MM-DD, UTC) or days from the apply (30d); absent: no end (refused where the project has a maximum lease)." }),
    userData: z.string().max(16384).optional().meta({ description: "Cloud-init user data kept with the stack." }),
    dependsOn: z.array(dnsLabel).default([]).meta({ description: "Machines of this stack that must be running before these are created." }),
  })
  .meta({ description: "A group of identical machines." });
export type StackMachine = z.infer<typeof stackMachineSchema>;

export const stackWorkloadSchema = z
  .strictObject({
    name: dnsLabel.max(40).meta({ description: "The workload's name in the project (a container workload: replicas of one image)." }),
    image: z
      .string()
      .min(1)
      .max(255)
      .refine((s) => IMAGE_RE.test(s) || /\$\{params\.[A-Za-z_][A-Za-z0-9_]*\}/.test(s), { error: "not an image reference (for example localhost/busybox:latest)" })
      .meta({ description: "The container image ([registry/]name[:tag|@digest], may use ${params.<name>}); a change rolls the workload out." }),
    command: z.array(z.string().min(1).max(1024)).max(50).optional().meta({ description: "The container's command (replaces the image's); a change replaces the workload." }),
    replicas: z.union([z.number().int().min(1).max(MAX_REPLICAS), paramRef]).default(1).meta({ description: `How many replicas (1 to ${MAX_REPLICAS}), or a parameter reference; a change scales in place.` }),
    offering: z.string().min(1).meta({ description: "The offering whose vCPU, memory and price are each replica's limits." }),
    placement: z
      .union([z.literal("auto"), z.string().regex(/^provider:.+$/, { error: "placement is auto or provider:<provider name>" })])
      .default("auto")
      .meta({ description: "auto (the first provider the project may use that runs workloads) or provider:<name>." }),
    ports: z.array(workloadPortSchema).max(10).default([]).meta({ description: "Container ports to publish." }),
    env: z.record(z.string().regex(/^[A-Za-z_][A-Za-z0-9_]{0,127}$/), z.string().max(4096)).default({}).meta({ description: "Environment variables (text may use ${params.<name>}); a change replaces the workload." }),
    healthCheck: healthCheckSchema.optional().meta({ description: "A command run in each replica; failing replicas are restarted." }),
    dependsOn: z.array(dnsLabel).default([]).meta({ description: "Machines or workloads of this stack that must be running before this one is created." }),
  })
  .meta({ description: "A container workload: replicas of one image with per-replica limits from an offering." });
export type StackWorkload = z.infer<typeof stackWorkloadSchema>;

export const stackDocumentSchema = z
  .strictObject({
    apiVersion: z.literal(STACK_API_VERSION),
    kind: z.literal("Stack"),
    metadata: z.strictObject({
      name: dnsLabel.meta({ description: "The stack's name, unique in its project." }),
      project: z.string().min(1).meta({ description: "The project's slug." }),
      description: z.string().max(2000).optional(),
    }),
    parameters: z.record(z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/), parameterSchema).default({}).meta({ description: "Typed parameters with defaults, referred to as ${params.<name>}." }),
    machines: z.array(stackMachineSchema).default([]),
    workloads: z.array(stackWorkloadSchema).default([]).meta({ description: "Container workloads (on a provider that runs them: Docker, Kubernetes, the simulator)." }),
    outputs: z
      .record(z.string().regex(/^[A-Za-z_][A-Za-z0-9_-]*$/), z.string())
      .default({})
      .meta({ description: "Values shown after apply: text with ${machines.<name>.ip}, ${machines.<name>.ips}, ${machines.<name>.names} or ${params.<name>}." }),
    healing: z.enum(["auto", "report"]).default("report").meta({ description: "auto: the reconcile converges drift back; report: it only reports it." }),
  })
  .superRefine((doc, ctx) => {
    const names = new Set<string>();
    doc.machines.forEach((m, i) => {
      if (names.has(m.name)) ctx.addIssue({ code: "custom", path: ["machines", i, "name"], message: `duplicate machine name "${m.name}"` });
      names.add(m.name);
    });
    const machineNames = new Set(names);
    doc.workloads.forEach((w, i) => {
      if (names.has(w.name)) ctx.addIssue({ code: "custom", path: ["workloads", i, "name"], message: `duplicate name "${w.name}" (machines and workloads share the names of a stack)` });
      names.add(w.name);
    });
    const integerRef = (value: unknown, path: (string | number)[]) => {
      const ref = typeof value === "string" ? PARAM_REF.exec(value)?.[1] : undefined;
      if (ref === undefined) return;
      const p = doc.parameters[ref];
      if (!p) ctx.addIssue({ code: "custom", path, message: `unknown parameter "${ref}"` });
      else if (p.type !== "integer") ctx.addIssue({ code: "custom", path, message: `parameter "${ref}" is not an integer` });
    };
    doc.machines.forEach((m, i) => {
      m.dependsOn.forEach((d, j) => {
        if (!names.has(d)) ctx.addIssue({ code: "custom", path: ["machines", i, "dependsOn", j], message: `unknown machine "${d}"` });
        else if (!machineNames.has(d)) ctx.addIssue({ code: "custom", path: ["machines", i, "dependsOn", j], message: `"${d}" is a workload: machines depend on machines only` });
        if (d === m.name) ctx.addIssue({ code: "custom", path: ["machines", i, "dependsOn", j], message: "a machine cannot depend on itself" });
      });
      integerRef(m.count, ["machines", i, "count"]);
    });
    doc.workloads.forEach((w, i) => {
      w.dependsOn.forEach((d, j) => {
        if (!names.has(d)) ctx.addIssue({ code: "custom", path: ["workloads", i, "dependsOn", j], message: `unknown machine or workload "${d}"` });
        if (d === w.name) ctx.addIssue({ code: "custom", path: ["workloads", i, "dependsOn", j], message: "a workload cannot depend on itself" });
      });
      integerRef(w.replicas, ["workloads", i, "replicas"]);
    });
    const cycle = dependencyCycle([...doc.machines, ...doc.workloads]);
    if (cycle) ctx.addIssue({ code: "custom", path: ["machines"], message: `dependsOn has a cycle: ${cycle.join(" -> ")}` });
    for (const [key, text] of Object.entries(doc.outputs)) {
      for (const m of text.matchAll(/\$\{([^}]*)\}/g)) {
        const expr = m[1]!;
        const mm = /^machines\.([a-z0-9-]+)\.(ip|ips|names|name)$/.exec(expr);
        const pm = /^params\.([A-Za-z_][A-Za-z0-9_]*)$/.exec(expr);
        if (mm && !names.has(mm[1]!)) ctx.addIssue({ code: "custom", path: ["outputs", key], message: `unknown machine "${mm[1]}"` });
        else if (pm && !doc.parameters[pm[1]!]) ctx.addIssue({ code: "custom", path: ["outputs", key], message: `unknown parameter "${pm[1]}"` });
        else if (!mm && !pm) ctx.addIssue({ code: "custom", path: ["outputs", key], message: `unknown expression "\${${expr}}"` });
      }
    }
  })
  .meta({ title: "Orquestra stack", description: "The machines and container workloads of one project, declared as code (apiVersion orquestra/v1, kind Stack)." });
export type StackDocument = z.infer<typeof stackDocumentSchema>;

/** The first dependency cycle found (names, the first repeated at the end), or null. */
export function dependencyCycle(machines: readonly { name: string; dependsOn: readonly string[] }[]): string[] | null {
  const deps = new Map(machines.map((m) => [m.name, m.dependsOn]));
  const state = new Map<string, 1 | 2>();
  const path: string[] = [];
  const visit = (n: string): string[] | null => {
    if (state.get(n) === 2) return null;
    if (state.get(n) === 1) return [...path.slice(path.indexOf(n)), n];
    state.set(n, 1);
    path.push(n);
    for (const d of deps.get(n) ?? []) {
      if (!deps.has(d)) continue;
      const c = visit(d);
      if (c) return c;
    }
    path.pop();
    state.set(n, 2);
    return null;
  };
  for (const m of machines) {
    const c = visit(m.name);
    if (c) return c;
  }
  return null;
}

/** Waves of machine names: each wave depends only on earlier ones (runs in parallel inside). */
export function dependencyWaves(machines: readonly { name: string; dependsOn: readonly string[] }[]): string[][] {
  const done = new Set<string>();
  const waves: string[][] = [];
  let left = [...machines];
  while (left.length) {
    const wave = left.filter((m) => m.dependsOn.every((d) => done.has(d) || !machines.some((x) => x.name === d)));
    if (!wave.length) throw new Error("dependency cycle");
    waves.push(wave.map((m) => m.name));
    wave.forEach((m) => done.add(m.name));
    left = left.filter((m) => !done.has(m.name));
  }
  return waves;
}

export type ParamValues = Record<string, string | number | boolean>;

/** Parameter values: the defaults, overridden by `given`; a missing required one is an error. */
export function resolveParameters(doc: StackDocument, given: Record<string, unknown> = {}): { values: ParamValues; errors: string[] } {
  const values: ParamValues = {};
  const errors: string[] = [];
  for (const [name, p] of Object.entries(doc.parameters)) {
    const raw = given[name] ?? p.default;
    if (raw === undefined) {
      errors.push(`parameter "${name}" has no value and no default`);
      continue;
    }
    if (p.type === "integer") {
      const n = typeof raw === "string" && /^-?\d+$/.test(raw) ? Number(raw) : raw;
      if (typeof n !== "number" || !Number.isInteger(n)) errors.push(`parameter "${name}" must be an integer`);
      else if ((p.minimum !== undefined && n < p.minimum) || (p.maximum !== undefined && n > p.maximum)) errors.push(`parameter "${name}" is out of range`);
      else values[name] = n;
    } else if (p.type === "boolean") {
      const b = raw === "true" ? true : raw === "false" ? false : raw;
      if (typeof b !== "boolean") errors.push(`parameter "${name}" must be true or false`);
      else values[name] = b;
    } else {
      if (typeof raw !== "string") errors.push(`parameter "${name}" must be text`);
      else values[name] = raw;
    }
  }
  return { values, errors };
}

export interface ResolvedMachine {
  name: string;
  offering: string;
  template: string;
  count: number;
  placement: string;
  lease: string | null;
  userData: string | null;
  dependsOn: string[];
}

/** The machine groups with parameters substituted (count as a number, text interpolated). */
export function resolveMachines(doc: StackDocument, values: ParamValues): ResolvedMachine[] {
  const sub = (s: string) => s.replace(PARAM_REF_ANY, (_, n: string) => String(values[n] ?? ""));
  return doc.machines.map((m) => {
    const ref = typeof m.count === "string" ? PARAM_REF.exec(m.count)?.[1] : undefined;
    const count = typeof m.count === "number" ? m.count : Number(values[ref ?? ""] ?? 0);
    return {
      name: m.name,
      offering: sub(m.offering),
      template: sub(m.template),
      count: Math.max(0, Math.min(MAX_QUANTITY, count)),
      placement: m.placement,
      lease: m.lease ?? null,
      userData: m.userData !== undefined ? sub(m.userData) : null,
      dependsOn: m.dependsOn,
    };
  });
}

export interface ResolvedWorkload {
  name: string;
  image: string;
  command: string[] | null;
  replicas: number;
  offering: string;
  placement: string;
  ports: { containerPort: number; protocol: "TCP" | "UDP" }[];
  env: Record<string, string>;
  healthCheck: { command: string[]; intervalSeconds: number; retries: number } | null;
  dependsOn: string[];
}

/** The workloads with parameters substituted (replicas as a number, text interpolated). */
export function resolveWorkloads(doc: StackDocument, values: ParamValues): ResolvedWorkload[] {
  const sub = (s: string) => s.replace(PARAM_REF_ANY, (_, n: string) => String(values[n] ?? ""));
  return doc.workloads.map((w) => {
    const ref = typeof w.replicas === "string" ? PARAM_REF.exec(w.replicas)?.[1] : undefined;
    const replicas = typeof w.replicas === "number" ? w.replicas : Number(values[ref ?? ""] ?? 1);
    return {
      name: w.name,
      image: sub(w.image),
      command: w.command ?? null,
      replicas: Math.max(1, Math.min(MAX_REPLICAS, replicas)),
      offering: sub(w.offering),
      placement: w.placement,
      ports: w.ports,
      env: Object.fromEntries(Object.entries(w.env).map(([k, v]) => [k, sub(v)])),
      healthCheck: w.healthCheck ?? null,
      dependsOn: w.dependsOn,
    };
  });
}

/** Output values from the machines that run: `${machines.web.ips}` is a comma-separated list. */
export function evaluateOutputs(
  doc: StackDocument,
  values: ParamValues,
  machines: readonly { group: string; name: string; ipAddress: string | null }[],
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, text] of Object.entries(doc.outputs)) {
    out[key] = text.replace(/\$\{([^}]*)\}/g, (_, expr: string) => {
      const mm = /^machines\.([a-z0-9-]+)\.(ip|ips|names|name)$/.exec(expr);
      if (mm) {
        const group = machines.filter((m) => m.group === mm[1]).sort((a, b) => a.name.localeCompare(b.name));
        if (mm[2] === "ip") return group[0]?.ipAddress ?? "";
        if (mm[2] === "name") return group[0]?.name ?? "";
        if (mm[2] === "ips") return group.map((m) => m.ipAddress ?? "").filter(Boolean).join(",");
        return group.map((m) => m.name).join(",");
      }
      const pm = /^params\.(.+)$/.exec(expr);
      return pm ? String(values[pm[1]!] ?? "") : "";
    });
  }
  return out;
}

/** The published JSON Schema (draft 2020-12) of the document, as editors read it. */
export function stackJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(stackDocumentSchema, { io: "input", unrepresentable: "any" }) as Record<string, unknown>;
  return { $id: "https://orquestra.example/api/v1/stacks/schema.json", ...schema };
}

/** A lease of the document as the request form's date: YYYY-MM-DD as is, `30d` from today (UTC). */
export function leaseDate(lease: string | undefined, now: Date): string | undefined {
  if (!lease) return undefined;
  const days = /^(\d+)d$/.exec(lease)?.[1];
  if (!days) return lease;
  return new Date(now.getTime() + Number(days) * 86_400_000).toISOString().slice(0, 10);
}
