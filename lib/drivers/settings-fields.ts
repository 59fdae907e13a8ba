// zod fragments and credential fields several driver profiles share. Browser-safe: the
// provider form validates with them. Messages are message keys (messages/<locale>/providers.json).
import { z } from "zod";
import type { CredentialField, SettingField } from "./descriptor";

/** A message key of the providers namespace. */
export const k = (key: string) => `providers.validation.${key}`;

export const positiveSeconds = (max: number) => z.number({ error: k("configNumber") }).int(k("configNumber")).min(1, k("configNumber")).max(max, k("configNumber"));
export const callTimeoutMs = z.number({ error: k("configNumber") }).int(k("configNumber")).min(1000, k("configNumber")).max(600_000, k("configNumber"));
export const configName = z.string({ error: k("configString") }).trim().min(1, k("configString")).max(200, k("configString"));
/** A whole number of vCPUs or GB a cloud provider may use (its quota, or less). */
export const quota = z.number({ error: k("configNumber") }).int(k("configNumber")).min(0, k("configNumber")).max(10_000_000, k("configNumber"));

/** A PEM block field: the private key is the secret one. */
export const pem = (key: string): CredentialField => ({ key, required: false, secret: key === "key", multiline: true });

export const userPassword: readonly CredentialField[] = [
  { key: "username", required: true, secret: false },
  { key: "password", required: true, secret: true },
];

/** The advanced per-call deadline every real driver accepts. */
export const callTimeoutField: SettingField = { key: "callTimeoutMs", input: "number", example: "30000", section: "advanced" };
export const stopTimeoutField: SettingField = { key: "stopTimeoutSeconds", input: "number", example: "60", section: "advanced" };

/**
 * The capacity a public cloud offers placement: clouds have no hosts, so the provider's one
 * "host" per region holds what the administrator lets the portal use there (the account's vCPU
 * quota, or less).
 */
export const cloudQuotaFields: readonly SettingField[] = [
  { key: "vcpuQuota", input: "number", required: true, example: "64", section: "capacity" },
  { key: "memoryQuotaGb", input: "number", example: "512", section: "capacity" },
  { key: "ssdQuotaGb", input: "number", example: "51200", section: "capacity" },
  { key: "hddQuotaGb", input: "number", example: "0", section: "capacity" },
];
export const cloudQuotaSchema = {
  vcpuQuota: quota.min(1, k("configNumber")),
  memoryQuotaGb: quota.optional(),
  ssdQuotaGb: quota.optional(),
  hddQuotaGb: quota.optional(),
};

/** A URL the driver may call: https anywhere, plain http only on this machine (test endpoints). */
export const serviceUrl = z
  .string({ error: k("configUrl") })
  .trim()
  .regex(/^(https:\/\/[^\s/]+(\/\S*)?|http:\/\/(127\.0\.0\.1|localhost|\[::1\])(:\d+)?(\/\S*)?)$/, k("configUrl"));
