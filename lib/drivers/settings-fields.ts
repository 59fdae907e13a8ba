// zod fragments and credential fields several driver profiles share. Browser-safe: the
// provider form validates with them. Messages are message keys (messages/<locale>/providers.json).
import { z } from "zod";
import type { CredentialField } from "./descriptor";

/** A message key of the providers namespace. */
export const k = (key: string) => `providers.validation.${key}`;

export const positiveSeconds = (max: number) => z.number({ error: k("configNumber") }).int(k("configNumber")).min(1, k("configNumber")).max(max, k("configNumber"));
export const callTimeoutMs = z.number({ error: k("configNumber") }).int(k("configNumber")).min(1000, k("configNumber")).max(600_000, k("configNumber"));
export const configName = z.string({ error: k("configString") }).trim().min(1, k("configString")).max(200, k("configString"));

/** A PEM block field: the private key is the secret one. */
export const pem = (key: string): CredentialField => ({ key, required: false, secret: key === "key", multiline: true });

export const userPassword: readonly CredentialField[] = [
  { key: "username", required: true, secret: false },
  { key: "password", required: true, secret: true },
];
