import "server-only";
import type { Ctx } from "../context";
import { assertCan } from "../auth/permissions";
import { notFound } from "../errors";
import type { PlacementPolicy, ProviderKind, ProviderStatus } from "../generated/prisma/enums";
import { providerIdSchema } from "./schemas";

/**
 * What the edit page shows of a provider. Its credentials are NOT part of it, sealed or not:
 * only whether some are stored.
 */
export interface ProviderDetailView {
  id: string;
  name: string;
  kind: ProviderKind;
  endpoint: string;
  /** The stored settings (no secrets: those are credentials). */
  config: Record<string, unknown>;
  credentialsSet: boolean;
  cpuOvercommit: number;
  memoryOvercommit: number;
  diskOvercommit: number;
  placementPolicy: PlacementPolicy;
  metricsIntervalSeconds: number;
  status: ProviderStatus;
  statusReason: string | null;
  lastSyncAt: string | null;
  hostCount: number;
  /** Machines not deleted on this provider: while there are any, it cannot be deleted. */
  liveMachineCount: number;
  driftedMachines: { id: string; name: string; projectName: string; state: string; driftReason: string | null; updatedAt: string }[];
  unmanagedMachines: {
    id: string;
    ref: string;
    name: string;
    state: string;
    vcpu: number | null;
    memoryMb: number | null;
    diskGb: number | null;
    hostRef: string | null;
    seenAt: string;
  }[];
}

export async function getProvider(ctx: Ctx, input: { id: string }): Promise<ProviderDetailView> {
  assertCan(ctx.actor, "provider.manage");
  const parsed = providerIdSchema.safeParse(input);
  if (!parsed.success) throw notFound("Provider");
  const p = await ctx.db.provider.findUnique({
    where: { id: parsed.data.id },
    select: {
      id: true,
      name: true,
      kind: true,
      endpoint: true,
      config: true,
      credentialsEnc: true,
      cpuOvercommit: true,
      memoryOvercommit: true,
      diskOvercommit: true,
      placementPolicy: true,
      metricsIntervalSeconds: true,
      status: true,
      statusReason: true,
      lastSyncAt: true,
      _count: { select: { hosts: true, machines: { where: { state: { not: "DELETED" } } } } },
      machines: {
        where: { drifted: true, state: { not: "DELETED" } },
        orderBy: { name: "asc" },
        take: 500,
        select: { id: true, name: true, state: true, driftReason: true, updatedAt: true, project: { select: { name: true } } },
      },
      unmanagedMachines: { orderBy: { name: "asc" }, take: 500 },
    },
  });
  if (!p) throw notFound("Provider");
  return {
    id: p.id,
    name: p.name,
    kind: p.kind,
    endpoint: p.endpoint,
    config: p.config && typeof p.config === "object" && !Array.isArray(p.config) ? (p.config as Record<string, unknown>) : {},
    credentialsSet: p.credentialsEnc !== null,
    cpuOvercommit: p.cpuOvercommit,
    memoryOvercommit: p.memoryOvercommit,
    diskOvercommit: p.diskOvercommit,
    placementPolicy: p.placementPolicy,
    metricsIntervalSeconds: p.metricsIntervalSeconds,
    status: p.status,
    statusReason: p.statusReason,
    lastSyncAt: p.lastSyncAt?.toISOString() ?? null,
    hostCount: p._count.hosts,
    liveMachineCount: p._count.machines,
    driftedMachines: p.machines.map((m) => ({
      id: m.id,
      name: m.name,
      projectName: m.project.name,
      state: m.state,
      driftReason: m.driftReason,
      updatedAt: m.updatedAt.toISOString(),
    })),
    unmanagedMachines: p.unmanagedMachines.map((u) => ({
      id: u.id,
      ref: u.ref,
      name: u.name,
      state: u.state,
      vcpu: u.vcpu,
      memoryMb: u.memoryMb,
      diskGb: u.diskGb,
      hostRef: u.hostRef,
      seenAt: u.seenAt.toISOString(),
    })),
  };
}
