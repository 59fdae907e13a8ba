// Zod schemas for provider management, shared by the admin form (react-hook-form resolver),
// the server actions and the services. Messages are message keys (messages/<locale>/providers.json).
import { z } from "zod";
import type { ProviderKind } from "../generated/prisma/enums";
import { CONFIG_FIELDS, CONFIG_SCHEMAS, CREDENTIAL_FIELDS, ENDPOINT_OPTIONAL, ENDPOINT_PATTERNS, PROVIDER_KINDS } from "./kinds";

const k = (key: string) => `providers.validation.${key}`;

export const PLACEMENT_POLICIES = ["SPREAD", "PACK"] as const;

// Overcommit ratios: physical x ratio is what placement may allocate (> 0, at most 64).
const ratio = z.number({ error: k("ratioRange") }).gt(0, k("ratioRange")).max(64, k("ratioRange"));

/** The fields an administrator edits (the kind is chosen once, at creation). */
export const providerEditableFields = z.object({
  name: z.string({ error: k("nameRequired") }).trim().min(1, k("nameRequired")).max(80, k("nameTooLong")),
  endpoint: z.string({ error: k("endpointFormat") }).trim().max(500, k("endpointTooLong")),
  /** Key/value per kind; on an edit, a blank value keeps what is stored. */
  credentials: z.record(z.string(), z.string({ error: k("credentialFormat") }).max(20_000, k("credentialTooLong"))).default({}),
  /** The kind's settings, one value per field of its profile (validated per kind). */
  config: z.record(z.string(), z.unknown(), { error: k("configObject") }).default({}),
  cpuOvercommit: ratio,
  memoryOvercommit: ratio,
  diskOvercommit: ratio,
  placementPolicy: z.enum(PLACEMENT_POLICIES, { error: k("policyInvalid") }),
  /** Seconds between two metric samples of its running machines (absent: 60 on create, unchanged on edit). */
  metricsIntervalSeconds: z.int({ error: k("metricsIntervalRange") }).min(15, k("metricsIntervalRange")).max(3600, k("metricsIntervalRange")).optional(),
});
export type ProviderEditableFields = z.input<typeof providerEditableFields>;

export type ProviderFieldErrors = Record<string, string[]>;

/**
 * The form's values as the config to store: text trimmed, numbers typed in a text box turned
 * into numbers, empty fields and unticked boxes left out (the driver's default applies). Keys
 * the kind does not know are kept, for the strict schema to refuse.
 */
export function normalizeConfig(kind: ProviderKind, raw: Record<string, unknown>): Record<string, unknown> {
  const fields = new Map(CONFIG_FIELDS[kind].map((f) => [f.key, f]));
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(raw ?? {})) {
    const field = fields.get(key);
    let v = typeof value === "string" ? value.trim() : value;
    if (v === "" || v === null || v === undefined || (field?.input === "boolean" && v === false)) continue;
    if (field?.input === "number" && typeof v === "string") v = /^-?\d+(\.\d+)?$/.test(v) ? Number(v) : v;
    if (field?.input === "boolean" && v === "true") v = true;
    out[key] = v;
  }
  return out;
}

/** Stored settings as form values (numbers become the text of their box). */
export function configFormValues(config: Record<string, unknown>): Record<string, string | boolean> {
  const out: Record<string, string | boolean> = {};
  for (const [key, value] of Object.entries(config)) {
    if (typeof value === "string" || typeof value === "boolean") out[key] = value;
    else if (typeof value === "number") out[key] = String(value);
  }
  return out;
}

/** Checks the settings of `kind`: the config to store, or one message per field (`config.<key>`). */
export function parseConfig(kind: ProviderKind, raw: unknown): { ok: true; config: Record<string, unknown> } | { ok: false; errors: ProviderFieldErrors } {
  if (!raw || typeof raw !== "object" || Array.isArray(raw)) return { ok: false, errors: { config: [k("configObject")] } };
  const value = normalizeConfig(kind, raw as Record<string, unknown>);
  const parsed = CONFIG_SCHEMAS[kind].safeParse(value);
  if (parsed.success) return { ok: true, config: parsed.data };
  const errors: ProviderFieldErrors = {};
  for (const issue of parsed.error.issues) {
    if (issue.code === "unrecognized_keys") {
      for (const key of issue.keys) (errors[`config.${key}`] ??= []).push(k("configUnknownKey"));
      continue;
    }
    const key = String(issue.path[0] ?? "");
    const field = key ? `config.${key}` : "config";
    const message = key && value[key] === undefined ? k("configRequired") : issue.message.startsWith("providers.") ? issue.message : k("configInvalid");
    if (!errors[field]?.includes(message)) (errors[field] ??= []).push(message);
  }
  return { ok: false, errors };
}

/**
 * The checks that depend on the kind: endpoint form, credential keys (required ones when
 * `credentialsRequired`), and config JSON. Returns field errors (empty: valid).
 */
export function kindFieldErrors(
  kind: ProviderKind,
  v: { endpoint: string; credentials: Record<string, string>; config: unknown },
  opts: { credentialsRequired: boolean },
): ProviderFieldErrors {
  const errors: ProviderFieldErrors = {};
  const add = (field: string, message: string) => (errors[field] ??= []).push(message);
  const endpoint = v.endpoint.trim();
  if (endpoint === "") {
    if (!ENDPOINT_OPTIONAL.has(kind)) add("endpoint", k("endpointRequired"));
  } else if (!ENDPOINT_PATTERNS[kind].test(endpoint)) {
    add("endpoint", k(`endpointFormat${kind}`));
  }
  const fields = CREDENTIAL_FIELDS[kind];
  const allowed = new Set(fields.map((f) => f.key));
  for (const key of Object.keys(v.credentials)) {
    if (!allowed.has(key) && v.credentials[key].trim() !== "") add(`credentials.${key}`, k("credentialUnknown"));
  }
  if (opts.credentialsRequired) {
    for (const f of fields) if (f.required && !(v.credentials[f.key] ?? "").trim()) add(`credentials.${f.key}`, k("credentialRequired"));
  }
  const config = parseConfig(kind, v.config ?? {});
  if (!config.ok) for (const [field, messages] of Object.entries(config.errors)) for (const m of messages) add(field, m);
  return errors;
}

/**
 * The kind-dependent checks, run even when other fields failed (so the form shows every
 * problem at once): reads the raw values defensively and skips what the base schema reports.
 */
function refineKind(kind: unknown, raw: unknown, ctx: z.RefinementCtx, credentialsRequired: (v: Record<string, unknown>) => boolean) {
  if (!(PROVIDER_KINDS as readonly unknown[]).includes(kind) || !raw || typeof raw !== "object") return;
  const v = raw as Record<string, unknown>;
  const credentials: Record<string, string> = {};
  if (v.credentials && typeof v.credentials === "object") {
    for (const [key, value] of Object.entries(v.credentials)) if (typeof value === "string") credentials[key] = value;
  }
  const errors = kindFieldErrors(
    kind as ProviderKind,
    { endpoint: typeof v.endpoint === "string" ? v.endpoint : "", credentials, config: v.config ?? {} },
    { credentialsRequired: credentialsRequired(v) },
  );
  if (typeof v.endpoint !== "string") delete errors.endpoint;
  // Not an object: the base schema says so already.
  if (!v.config || typeof v.config !== "object" || Array.isArray(v.config)) delete errors.config;
  for (const [field, messages] of Object.entries(errors)) {
    for (const message of messages) ctx.addIssue({ code: "custom", message, path: field.split(".") });
  }
}

const always = { when: () => true };

export const createProviderSchema = providerEditableFields
  .extend({ kind: z.enum(PROVIDER_KINDS, { error: k("kindInvalid") }) })
  .superRefine((v, ctx) => refineKind(v?.kind, v, ctx, () => true), always);
export type CreateProviderInput = z.input<typeof createProviderSchema>;

/** The server-side edit schema; kind-dependent checks need the stored kind (the verb does them). */
export const updateProviderSchema = providerEditableFields.extend({
  id: z.uuid(),
  /** Forget the stored credentials (e.g. a Docker endpoint that no longer uses TLS). */
  clearCredentials: z.boolean().default(false),
});
export type UpdateProviderInput = z.input<typeof updateProviderSchema>;

/**
 * The edit form's schema for a provider of `kind` (same checks as the verb, minus the database).
 * Without `id`: the form's values do not carry it (the page adds it to what it sends), and an
 * error on a field the form does not show would block every save with nothing marked.
 */
export function updateProviderFormSchema(kind: ProviderKind, credentialsSet: boolean) {
  return updateProviderSchema.omit({ id: true }).superRefine((v, ctx) => refineKind(kind, v, ctx, (raw) => !credentialsSet || raw.clearCredentials === true), always);
}

export const providerIdSchema = z.object({ id: z.uuid() });

export const setProviderEnabledSchema = z.object({ id: z.uuid(), enabled: z.boolean() });

export const importUnmanagedSchema = z.object({
  unmanagedId: z.uuid(),
  projectId: z.uuid({ error: k("projectRequired") }),
  ownerId: z.uuid({ error: k("ownerRequired") }),
  offeringId: z.uuid({ error: k("offeringRequired") }),
  templateId: z.uuid({ error: k("templateRequired") }),
});
export type ImportUnmanagedInput = z.infer<typeof importUnmanagedSchema>;

/** An offering's size on a provider that sells shapes: an EC2 instance type, an Azure VM size. */
export const sizeRef = z
  .string({ error: k("sizeRefFormat") })
  .trim()
  .max(100, k("sizeRefFormat"))
  .regex(/^([A-Za-z0-9][\w.\-]*)?$/, k("sizeRefFormat"));

export const setOfferingSizesSchema = z.object({
  providerId: z.uuid(),
  /** One row per offering shown; an empty ref removes the mapping (the provider stops serving it). */
  refs: z.array(z.object({ offeringId: z.uuid(), ref: sizeRef })).max(1000),
});
export type SetOfferingSizesInput = z.infer<typeof setOfferingSizesSchema>;
