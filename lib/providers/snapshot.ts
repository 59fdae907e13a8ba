// What the audit log keeps of a provider: everything but its credentials (only whether some
// are set), so the audit trail never holds a secret, sealed or not.
export interface ProviderRowForAudit {
  name: string;
  kind: string;
  endpoint: string;
  config: unknown;
  status: string;
  statusReason: string | null;
  cpuOvercommit: number;
  memoryOvercommit: number;
  diskOvercommit: number;
  placementPolicy: string;
  metricsIntervalSeconds?: number;
  credentialsEnc: string | null;
}

export function providerSnapshot(p: ProviderRowForAudit) {
  return {
    name: p.name,
    kind: p.kind,
    endpoint: p.endpoint,
    config: p.config,
    status: p.status,
    statusReason: p.statusReason,
    cpuOvercommit: p.cpuOvercommit,
    memoryOvercommit: p.memoryOvercommit,
    diskOvercommit: p.diskOvercommit,
    placementPolicy: p.placementPolicy,
    ...(p.metricsIntervalSeconds !== undefined ? { metricsIntervalSeconds: p.metricsIntervalSeconds } : {}),
    credentialsSet: p.credentialsEnc !== null,
  };
}
