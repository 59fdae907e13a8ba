// What each provider kind needs, as the provider form, the server actions and the services
// read it: credential fields, endpoint form, config JSON. Derived from the driver profiles
// (lib/drivers/<kind>/profile.ts, listed in lib/drivers/profiles.ts), never repeated here.
// Pure data and zod schemas (no database, no driver code): the admin form imports it.
import type { z } from "zod";
import type { ProviderKind } from "../generated/prisma/enums";
import type { CredentialField, DriverProfile, DriverSettings, SettingField } from "../drivers/descriptor";
import { DRIVER_PROFILES } from "../drivers/profiles";

export type { CredentialField, SettingField } from "../drivers/descriptor";

/** Every kind, in the order the form lists them. */
export const PROVIDER_KINDS = Object.keys(DRIVER_PROFILES) as [ProviderKind, ...ProviderKind[]];

const table = <T>(pick: (s: DriverSettings) => T): Record<ProviderKind, T> =>
  Object.fromEntries(PROVIDER_KINDS.map((kind) => [kind, pick(DRIVER_PROFILES[kind].settings)])) as Record<ProviderKind, T>;

/** Credential fields per kind, sealed together as one JSON map. */
export const CREDENTIAL_FIELDS: Record<ProviderKind, readonly CredentialField[]> = table((s) => s.credentials);

/** Kinds whose endpoint may be empty. */
export const ENDPOINT_OPTIONAL: ReadonlySet<ProviderKind> = new Set(PROVIDER_KINDS.filter((kind) => DRIVER_PROFILES[kind].settings.endpoint.optional));

/** Endpoint forms each kind accepts (the driver refuses anything else at run time too). */
export const ENDPOINT_PATTERNS: Record<ProviderKind, RegExp> = table((s) => s.endpoint.pattern);

/** The config JSON per kind: strict objects, so a typo ("storagepool") is refused. */
export const CONFIG_SCHEMAS: Record<ProviderKind, z.ZodType<Record<string, unknown>>> = table((s) => s.config.schema);

/** The provider form's setting fields per kind (one per config key). */
export const CONFIG_FIELDS: Record<ProviderKind, readonly SettingField[]> = table((s) => s.config.fields);

const profileTable = <T>(pick: (p: DriverProfile) => T): Record<ProviderKind, T> =>
  Object.fromEntries(PROVIDER_KINDS.map((kind) => [kind, pick(DRIVER_PROFILES[kind])])) as Record<ProviderKind, T>;

/** Private cloud or public cloud, per kind (the request form's "private only" target). */
export const KIND_CLOUD: Record<ProviderKind, "private" | "public"> = profileTable((p) => p.cloud);

/** Kinds that sell fixed shapes: an offering needs the provider's size before it can be served. */
export const MAPPED_SIZING_KINDS: readonly ProviderKind[] = PROVIDER_KINDS.filter((kind) => DRIVER_PROFILES[kind].sizing === "mapped");

/** What a template's ref looks like on each kind (placeholder of the templates page). */
export const TEMPLATE_REF_EXAMPLES: Record<ProviderKind, string> = profileTable((p) => p.templateRefExample);

/** Endpoint placeholder per kind. */
export const ENDPOINT_EXAMPLES: Record<ProviderKind, string> = table((s) => s.endpoint.example);
