// Zod schemas for provider management, shared by the admin form (react-hook-form resolver),
// the server actions and the services. Messages are message keys (messages/<locale>/providers.json).
import { z } from "zod";
import type { ProviderKind } from "../generated/prisma/enums";
import { CONFIG_SCHEMAS, CREDENTIAL_FIELDS, ENDPOINT_OPTIONAL, ENDPOINT_PATTERNS, PROVIDER_KINDS } from "./kinds";

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
  /** The kind's config as JSON text (validated per kind). */
  configJson: z.string({ error: k("configJson") }).max(20_000, k("configTooLong")),
  cpuOvercommit: ratio,
  memoryOvercommit: ratio,
  diskOvercommit: ratio,
  placementPolicy: z.enum(PLACEMENT_POLICIES, { error: k("policyInvalid") }),
});
export type ProviderEditableFields = z.input<typeof providerEditableFields>;

export type ProviderFieldErrors = Record<string, string[]>;

/** Parses the config JSON text into an object valid for `kind`, or reports one message. */
export function parseConfigJson(kind: ProviderKind, text: string): { ok: true; config: Record<string, unknown> } | { ok: false; message: string } {
  const trimmed = text.trim();
  let value: unknown = {};
  if (trimmed !== "") {
    try {
      value = JSON.parse(trimmed);
    } catch {
      return { ok: false, message: k("configJson") };
    }
  }
  if (!value || typeof value !== "object" || Array.isArray(value)) return { ok: false, message: k("configObject") };
  const parsed = CONFIG_SCHEMAS[kind].safeParse(value);
  if (parsed.success) return { ok: true, config: parsed.data };
  const issue = parsed.error.issues[0];
  if (issue.code === "unrecognized_keys") return { ok: false, message: k("configUnknownKey") };
  return { ok: false, message: issue.message.startsWith("providers.") ? issue.message : k("configInvalid") };
}

/**
 * The checks that depend on the kind: endpoint form, credential keys (required ones when
 * `credentialsRequired`), and config JSON. Returns field errors (empty: valid).
 */
export function kindFieldErrors(
  kind: ProviderKind,
  v: { endpoint: string; credentials: Record<string, string>; configJson: string },
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
  const config = parseConfigJson(kind, v.configJson);
  if (!config.ok) add("configJson", config.message);
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
    { endpoint: typeof v.endpoint === "string" ? v.endpoint : "", credentials, configJson: typeof v.configJson === "string" ? v.configJson : "{}" },
    { credentialsRequired: credentialsRequired(v) },
  );
  if (typeof v.endpoint !== "string") delete errors.endpoint;
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

/** The edit form's schema for a provider of `kind` (same checks as the verb, minus the database). */
export function updateProviderFormSchema(kind: ProviderKind, credentialsSet: boolean) {
  return updateProviderSchema.superRefine((v, ctx) => refineKind(kind, v, ctx, (raw) => !credentialsSet || raw.clearCredentials === true), always);
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
