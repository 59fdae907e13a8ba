// Factories for machines and where they run (providers, hosts, snapshots). Unique rows per call.
import { reservationOf } from "../lib/machines/reservation";
import { randomUUID } from "node:crypto";
import type { Db } from "../lib/db/client";
import type { HostState, MachineState, ProviderKind } from "../lib/generated/prisma/enums";
import { makeOffering, makeTemplate } from "./factories";

const uid = () => randomUUID().slice(0, 8);

export async function makeProvider(db: Db, opts: Partial<{ kind: ProviderKind; name: string; cpuOvercommit: number }> = {}) {
  return db.provider.create({
    data: { name: opts.name ?? `Provider ${uid()}`, kind: opts.kind ?? "SIMULATOR", endpoint: "simulator://test", cpuOvercommit: opts.cpuOvercommit ?? 4 },
  });
}

export async function makeHost(
  db: Db,
  providerId: string,
  opts: Partial<{ state: HostState; vcpuTotal: number; vcpuUsed: number; memoryMbTotal: number; memoryMbUsed: number; diskSsdGbTotal: number; diskSsdGbUsed: number }> = {},
) {
  return db.host.create({
    data: {
      providerId,
      name: `host-${uid()}`,
      state: opts.state ?? "ACTIVE",
      vcpuTotal: opts.vcpuTotal ?? 32,
      vcpuUsed: opts.vcpuUsed ?? 0,
      memoryMbTotal: opts.memoryMbTotal ?? 128 * 1024,
      memoryMbUsed: opts.memoryMbUsed ?? 0,
      diskSsdGbTotal: opts.diskSsdGbTotal ?? 2000,
      diskSsdGbUsed: opts.diskSsdGbUsed ?? 0,
    },
  });
}

/** A machine already placed on a simulator host (unless `placed: false`), in the given state. */
export async function makeMachine(
  db: Db,
  opts: {
    projectId: string;
    ownerId: string;
    state?: MachineState;
    offeringId?: string;
    providerKind?: ProviderKind;
    placed?: boolean;
    leaseEndsAt?: Date | null;
    name?: string;
  },
) {
  const offering = opts.offeringId ? await db.offering.findUniqueOrThrow({ where: { id: opts.offeringId } }) : await makeOffering(db);
  const offeringId = offering.id;
  const template = await makeTemplate(db);
  let providerId: string | null = null;
  let hostId: string | null = null;
  if (opts.placed !== false) {
    const provider = await makeProvider(db, { kind: opts.providerKind });
    const host = await makeHost(db, provider.id);
    providerId = provider.id;
    hostId = host.id;
  }
  return db.machine.create({
    data: {
      projectId: opts.projectId,
      ownerId: opts.ownerId,
      offeringId,
      templateId: template.id,
      ...reservationOf(offering),
      name: opts.name ?? `vm-${uid()}`,
      state: opts.state ?? "RUNNING",
      providerId,
      hostId,
      externalRef: providerId ? `sim-${uid()}` : null,
      leaseEndsAt: opts.leaseEndsAt ?? null,
    },
  });
}

/** Rows of graphile-worker's queue (its public `jobs` view hides payloads: read the tables). */
export async function jobsFor(db: Db) {
  return db.$queryRaw<{ task_identifier: string; payload: { operationId?: string; machineId?: string }; queue_name: string | null; key: string | null }[]>`
    select t.identifier as task_identifier, j.payload, q.queue_name, j.key
      from graphile_worker._private_jobs j
      join graphile_worker._private_tasks t on t.id = j.task_id
      left join graphile_worker._private_job_queues q on q.id = j.job_queue_id
     order by j.id`;
}
