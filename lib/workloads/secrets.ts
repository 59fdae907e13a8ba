// Workload secrets: sealed with the providers' credential encryption (AES-256-GCM,
// lib/crypto/seal.ts) and bound to the workload id, so a sealed blob copied onto another
// workload does not open. Opened only in the worker, when the driver needs them; pages and the
// API show their names only.
import { openCredentials, sealCredentials } from "../crypto/seal";

export function sealWorkloadSecrets(workloadId: string, secrets: Record<string, string>): string | null {
  return Object.keys(secrets).length ? sealCredentials(secrets, { associatedData: `workload:${workloadId}` }) : null;
}

export function openWorkloadSecrets(workloadId: string, sealed: string | null): Record<string, string> {
  if (!sealed) return {};
  return openCredentials(sealed, { associatedData: `workload:${workloadId}` });
}

/** The secret names (never the values), for pages and the API. */
export function secretNames(workloadId: string, sealed: string | null): string[] {
  try {
    return Object.keys(openWorkloadSecrets(workloadId, sealed)).sort();
  } catch {
    return [];
  }
}
