// Provider credentials: only the kind's keys with a value are kept, sealed with AES-256-GCM
// (lib/crypto/seal.ts) and bound to the provider id, so a sealed blob copied onto another
// provider row does not open. The plaintext never leaves the server.
import type { ProviderKind } from "../generated/prisma/enums";
import { openCredentials, sealCredentials } from "../crypto/seal";
import { CREDENTIAL_FIELDS } from "./kinds";

/** The kind's credential keys that were given a (non-blank) value. */
export function typedCredentials(kind: ProviderKind, input: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const f of CREDENTIAL_FIELDS[kind]) {
    const v = input[f.key];
    if (typeof v !== "string" || v.trim() === "") continue;
    // PEM blocks keep their inner newlines; a password is kept exactly as typed.
    out[f.key] = f.multiline ? v.trim() + "\n" : f.secret ? v : v.trim();
  }
  return out;
}

export function sealProviderCredentials(providerId: string, credentials: Record<string, string>): string | null {
  return Object.keys(credentials).length ? sealCredentials(credentials, { associatedData: providerId }) : null;
}

/** The stored credentials, or null when they cannot be opened (key changed, tampered). */
export function openProviderCredentials(providerId: string, sealed: string | null): Record<string, string> | null {
  if (!sealed) return {};
  try {
    return openCredentials(sealed, { associatedData: providerId });
  } catch {
    return null;
  }
}

/** Required keys of the kind missing from `credentials`. */
export function missingRequired(kind: ProviderKind, credentials: Record<string, string>): string[] {
  return CREDENTIAL_FIELDS[kind].filter((f) => f.required && !credentials[f.key]).map((f) => f.key);
}
