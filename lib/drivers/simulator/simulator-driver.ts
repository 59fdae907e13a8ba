// The simulator hypervisor (like Apache CloudStack's simulator): the embedded default provider
// and the basis of large tests. Its inventory lives in PostgreSQL (SimMachine, SimSnapshot), so
// a restart keeps its machines; latency is configurable per operation; failures are injected
// through SimFault rows (TRANSIENT, PERMANENT, HANG, with a remaining count); and every
// provision that really creates a machine is counted per idempotency key (SimMachine.creations).
import { createHash } from "node:crypto";
import { Readable } from "node:stream";
import type { Db } from "../../db/client";
import { abortableSleep } from "../with-timeout";
import { simLoadConfig, simReading } from "./load-profile";
import {
  DriverError,
  type BackupExport,
  type BackupSource,
  type CallOptions,
  type Capability,
  type Driver,
  type DriverConfig,
  type DriverHostCapacity,
  type DriverMachine,
  type DriverMachineState,
  type DriverSnapshot,
  type MachineMetricsReading,
  type MachineSpec,
} from "../types";
import { SimWorkloadEngine } from "./sim-workloads";

export type SimOperation =
  | "provision"
  | "getMachine"
  | "start"
  | "stop"
  | "reboot"
  | "destroy"
  | "listMachines"
  | "getCapacity"
  | "testConnection"
  | "resize"
  | "snapshot"
  | "revertSnapshot"
  | "deleteSnapshot"
  | "migrate"
  | "exportBackup"
  | "restoreBackup"
  | "importBackup"
  | "fenceHost"
  | "recoverOn"
  | "workloadApply"
  | "workloadRestart"
  | "workloadStatus"
  | "rename"
  | "workloadLogs"
  | "workloadRemove"
  | "metrics";

export type SimFaultMode = "TRANSIENT" | "PERMANENT" | "HANG" | "AFTER_TRANSIENT" | "AFTER_PERMANENT" | "AFTER_HANG";

interface Fault {
  mode: SimFaultMode;
  message: string;
}

/** Latency of one operation: env ORQ_SIM_LATENCY_MS wins, then config.latencyMs (a number or per operation). */
export function simLatencyMs(config: Record<string, unknown>, op: SimOperation, envValue = process.env.ORQ_SIM_LATENCY_MS): number {
  if (envValue !== undefined && envValue !== "" && Number.isFinite(Number(envValue))) return Math.max(0, Number(envValue));
  const l = config.latencyMs;
  if (typeof l === "number") return Math.max(0, l);
  if (l && typeof l === "object") {
    const per = l as Record<string, unknown>;
    const v = per[op] ?? per.default;
    if (typeof v === "number") return Math.max(0, v);
  }
  return 0;
}

interface SimMachineRow {
  id: string;
  idempotencyKey: string;
  installationId: string | null;
  name: string;
  powerState: string;
  vcpu: number;
  memoryMb: number;
  diskGb: number;
  hostName: string | null;
}

const LIST_PAGE = 1000;

const toDriverMachine = (m: SimMachineRow): DriverMachine => ({
  ref: m.id,
  machineId: m.idempotencyKey,
  installationId: m.installationId,
  name: m.name,
  state: (["RUNNING", "STOPPED", "PENDING"].includes(m.powerState) ? m.powerState : "UNKNOWN") as DriverMachineState,
  vcpu: m.vcpu,
  memoryMb: m.memoryMb,
  diskGb: m.diskGb,
  hostRef: m.hostName,
  // A stable private address derived from the machine's id.
  ipAddress: `10.${parseInt(m.id.slice(0, 2), 16)}.${parseInt(m.id.slice(2, 4), 16)}.${(parseInt(m.id.slice(4, 6), 16) % 253) + 2}`,
});

async function act(fault: Fault, opts?: CallOptions): Promise<void> {
  const mode = fault.mode.replace(/^AFTER_/, "");
  if (mode === "TRANSIENT") throw new DriverError("UNAVAILABLE", fault.message, true);
  if (mode === "PERMANENT") throw new DriverError("PROVIDER", fault.message, false);
  // HANG: never answers; only the caller's deadline (the abort signal) ends the call.
  await abortableSleep(24 * 3600_000, opts?.signal);
}

const isUuid = (s: string) => /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(s);

export class SimulatorDriver implements Driver {
  readonly kind = "SIMULATOR" as const;
  readonly capabilities: ReadonlySet<Capability>;
  readonly workloads: SimWorkloadEngine;

  constructor(
    private readonly cfg: DriverConfig,
    private readonly db: Db,
  ) {
    this.workloads = new SimWorkloadEngine(cfg.providerId, db, (op, opts) => this.enter(op as SimOperation, opts), (fault, opts) => this.leave(fault as Fault | undefined, opts));
    this.capabilities = new Set<Capability>(["snapshots", "resize", "metrics", "migrate", "backup", "ha", "cloudInit", ...(cfg.config.liveMigrate === false ? [] : (["liveMigrate"] as const))]);
  }

  /**
   * Takes the next injected fault for `op` (if one matches): a BEFORE fault acts now; an
   * AFTER fault is returned for `leave` to act on once the call has done its work. Then the
   * configured latency.
   */
  private async enter(op: SimOperation, opts?: CallOptions): Promise<Fault | undefined> {
    if (opts?.signal?.aborted) throw opts.signal.reason;
    const faults = await this.db.$queryRaw<Fault[]>`
      update "SimFault" set remaining = remaining - 1
      where id = (
        select id from "SimFault"
        where "providerId" = ${this.cfg.providerId}::uuid and operation in (${op}, '*')
          and (remaining is null or remaining > 0)
        order by "createdAt", id
        limit 1
        for update skip locked
      )
      returning mode, message`;
    const fault = faults[0];
    if (fault && !fault.mode.startsWith("AFTER_")) await act(fault, opts);
    const ms = simLatencyMs(this.cfg.config, op);
    if (ms > 0) await abortableSleep(ms, opts?.signal);
    return fault?.mode.startsWith("AFTER_") ? fault : undefined;
  }

  /** The work is done (created, stopped, deleted...): now the AFTER fault, if any, strikes. */
  private async leave(fault: Fault | undefined, opts?: CallOptions): Promise<void> {
    if (fault) await act(fault, opts);
  }

  private async find(ref: string): Promise<SimMachineRow> {
    const m = isUuid(ref) ? await this.db.simMachine.findFirst({ where: { id: ref, providerId: this.cfg.providerId } }) : null;
    if (!m) throw new DriverError("NOT_FOUND", `The simulator has no machine ${ref}`, false);
    return m;
  }

  async provision(spec: MachineSpec, idempotencyKey: string, opts?: CallOptions): Promise<DriverMachine> {
    const after = await this.enter("provision", opts);
    // Insert-or-find in one statement: concurrent or repeated calls with one key create once.
    const created = await this.db.$queryRaw<SimMachineRow[]>`
      insert into "SimMachine" (id, "providerId", "idempotencyKey", "installationId", name, "powerState", vcpu, "memoryMb", "diskGb", "hostName", creations, "updatedAt")
      values (gen_random_uuid(), ${this.cfg.providerId}::uuid, ${idempotencyKey}, ${spec.installationId ?? null}, ${spec.name}, 'PENDING', ${spec.vcpu}, ${spec.memoryMb}, ${spec.diskGb}, ${spec.hostRef ?? null}, 1, now())
      on conflict ("providerId", "idempotencyKey") do nothing
      returning id, "idempotencyKey", "installationId", name, "powerState", vcpu, "memoryMb", "diskGb", "hostName"`;
    let m = created[0] ?? (await this.db.simMachine.findUniqueOrThrow({ where: { providerId_idempotencyKey: { providerId: this.cfg.providerId, idempotencyKey } } }));
    if (m.powerState === "PENDING") {
      // Booting takes the provision latency a second time (creating, then booting).
      const ms = simLatencyMs(this.cfg.config, "provision");
      if (ms > 0) await abortableSleep(ms, opts?.signal);
      m = await this.db.simMachine.update({ where: { id: m.id }, data: { powerState: "RUNNING" } });
    }
    await this.leave(after, opts);
    return toDriverMachine(m);
  }

  async getMachine(ref: string, opts?: CallOptions): Promise<DriverMachine> {
    await this.enter("getMachine", opts);
    return toDriverMachine(await this.find(ref));
  }

  private async power(op: SimOperation, ref: string, to: "RUNNING" | "STOPPED", opts?: CallOptions): Promise<void> {
    const after = await this.enter(op, opts);
    await this.reachable(await this.find(ref));
    await this.db.simMachine.update({ where: { id: ref }, data: { powerState: to } });
    await this.leave(after, opts);
  }

  start(ref: string, opts?: CallOptions) {
    return this.power("start", ref, "RUNNING", opts);
  }

  stop(ref: string, opts?: CallOptions) {
    return this.power("stop", ref, "STOPPED", opts);
  }

  async rename(ref: string, name: string, opts?: CallOptions): Promise<void> {
    const after = await this.enter("rename", opts);
    await this.find(ref);
    await this.db.simMachine.update({ where: { id: ref }, data: { name } });
    await this.leave(after, opts);
  }

  async reboot(ref: string, opts?: CallOptions): Promise<void> {
    const after = await this.enter("reboot", opts);
    const m = await this.find(ref);
    if (m.powerState !== "RUNNING") throw new DriverError("PROVIDER", "The machine is not running, so it cannot be rebooted", false);
    await this.leave(after, opts);
  }

  async destroy(ref: string, opts?: CallOptions): Promise<void> {
    const after = await this.enter("destroy", opts);
    if (isUuid(ref)) await this.db.simMachine.deleteMany({ where: { id: ref, providerId: this.cfg.providerId } });
    await this.leave(after, opts);
  }

  async listMachines(opts?: CallOptions): Promise<DriverMachine[]> {
    await this.enter("listMachines", opts);
    // Keyset pages (a provider of 10,000 machines in one result grew the worker's memory for
    // good); without the simulated disk images, which a listing never needs.
    const out: DriverMachine[] = [];
    for (let after: { createdAt: Date; id: string } | null = null; ; ) {
      const rows: (SimMachineRow & { createdAt: Date })[] = await this.db.simMachine.findMany({
        where: {
          providerId: this.cfg.providerId,
          ...(after ? { OR: [{ createdAt: { gt: after.createdAt } }, { createdAt: after.createdAt, id: { gt: after.id } }] } : {}),
        },
        select: { id: true, idempotencyKey: true, installationId: true, name: true, powerState: true, vcpu: true, memoryMb: true, diskGb: true, hostName: true, createdAt: true },
        orderBy: [{ createdAt: "asc" }, { id: "asc" }],
        take: LIST_PAGE,
      });
      for (const r of rows) out.push(toDriverMachine(r));
      if (rows.length < LIST_PAGE) return out;
      const last = rows[rows.length - 1];
      after = { createdAt: last.createdAt, id: last.id };
    }
  }

  async findByMachineId(machineId: string, opts?: CallOptions): Promise<DriverMachine | null> {
    await this.enter("listMachines", opts);
    const m = await this.db.simMachine.findFirst({ where: { providerId: this.cfg.providerId, idempotencyKey: machineId } });
    return m ? toDriverMachine(m) : null;
  }

  /** Nothing to free: the simulator's state lives in the shared database. */
  async close(): Promise<void> {}

  async getCapacity(opts?: CallOptions): Promise<DriverHostCapacity[]> {
    await this.enter("getCapacity", opts);
    const hosts = await this.db.host.findMany({ where: { providerId: this.cfg.providerId }, orderBy: { name: "asc" } });
    const down = new Set((await this.db.simHostState.findMany({ where: { providerId: this.cfg.providerId, down: true } })).map((s) => s.hostRef));
    return hosts.map((h) => ({
      ref: h.externalRef ?? h.name,
      name: h.name,
      vcpu: h.vcpuTotal,
      memoryMb: h.memoryMbTotal,
      diskGb: { SSD: h.diskSsdGbTotal, HDD: h.diskHddGbTotal },
      maintenance: h.state === "MAINTENANCE",
      healthy: !down.has(h.externalRef ?? h.name),
    }));
  }

  /** The configured synthetic load (load-profile.ts); a machine that is not running has no reading. */
  async metrics(ref: string, opts?: CallOptions): Promise<MachineMetricsReading> {
    await this.enter("metrics", opts);
    const m = await this.find(ref);
    if (m.powerState !== "RUNNING") throw new DriverError("UNSUPPORTED", `The machine ${ref} is not running`, false);
    return simReading(simLoadConfig(this.cfg.config), new Date(), m);
  }

  async testConnection(opts?: CallOptions): Promise<{ version?: string }> {
    await this.enter("testConnection", opts);
    return { version: "simulator-1" };
  }

  async resize(ref: string, size: { vcpu: number; memoryMb: number; diskGb?: number }, opts?: CallOptions): Promise<void> {
    const after = await this.enter("resize", opts);
    const m = await this.find(ref);
    if (size.diskGb !== undefined && size.diskGb < m.diskGb) {
      throw new DriverError("UNSUPPORTED", `A disk cannot shrink (from ${m.diskGb} GB to ${size.diskGb} GB)`, false);
    }
    await this.db.simMachine.update({
      where: { id: ref },
      data: { vcpu: size.vcpu, memoryMb: size.memoryMb, ...(size.diskGb !== undefined ? { diskGb: size.diskGb } : {}) },
    });
    await this.leave(after, opts);
  }

  async migrate(ref: string, hostRef: string, opts?: CallOptions): Promise<void> {
    const after = await this.enter("migrate", opts);
    const m = await this.find(ref);
    if (m.hostName !== hostRef) {
      await this.reachable(m);
      if (m.powerState === "RUNNING" && !this.capabilities.has("liveMigrate")) {
        throw new DriverError("UNSUPPORTED", "This simulated hypervisor cannot move a running machine: stop it first", false);
      }
      if ((await this.hostState(hostRef))?.down) throw new DriverError("UNAVAILABLE", `Simulated host ${hostRef} does not answer`);
      await this.db.simMachine.update({ where: { id: ref }, data: { hostName: hostRef } });
    }
    await this.leave(after, opts);
  }

  // --- host health and HA -------------------------------------------------------------------

  private hostState(hostRef: string | null) {
    return hostRef ? this.db.simHostState.findUnique({ where: { providerId_hostRef: { providerId: this.cfg.providerId, hostRef } } }) : Promise.resolve(null);
  }

  /** A machine on a host that is down (crashed, partitioned or fenced) cannot be reached. */
  private async reachable(m: SimMachineRow): Promise<void> {
    if ((await this.hostState(m.hostName))?.down) throw new DriverError("UNAVAILABLE", `Simulated host ${m.hostName} does not answer`);
  }

  async fenceHost(hostRef: string, opts?: CallOptions): Promise<void> {
    const after = await this.enter("fenceHost", opts);
    // Powered off through its management interface: whatever ran there is gone.
    await this.db.simHostState.upsert({
      where: { providerId_hostRef: { providerId: this.cfg.providerId, hostRef } },
      update: { down: true, fenced: true },
      create: { providerId: this.cfg.providerId, hostRef, down: true, fenced: true, mode: "CRASH" },
    });
    await this.db.simMachine.updateMany({ where: { providerId: this.cfg.providerId, ghostHost: hostRef }, data: { ghostHost: null } });
    await this.leave(after, opts);
  }

  async recoverOn(ref: string, hostRef: string, opts?: CallOptions): Promise<void> {
    const after = await this.enter("recoverOn", opts);
    const m = await this.find(ref);
    if (m.hostName !== hostRef) {
      if ((await this.hostState(hostRef))?.down) throw new DriverError("UNAVAILABLE", `Simulated host ${hostRef} does not answer`);
      const from = await this.hostState(m.hostName);
      // Started elsewhere while the old copy may still run: a host that is up, or partitioned
      // and not fenced, keeps running it (the machine now runs twice). Fencing prevents it.
      const stillRuns = m.powerState === "RUNNING" && m.hostName !== null && (!from || !from.down || (from.mode === "PARTITION" && !from.fenced));
      await this.db.simMachine.update({ where: { id: ref }, data: { hostName: hostRef, powerState: "RUNNING", ...(stillRuns ? { ghostHost: m.hostName } : {}) } });
    } else {
      await this.db.simMachine.update({ where: { id: ref }, data: { powerState: "RUNNING" } });
    }
    await this.leave(after, opts);
  }

  // --- backups ------------------------------------------------------------------------------

  /** The disk's bytes: what was written to it, else a deterministic image of imageKb KiB. */
  private async disk(ref: string): Promise<Buffer> {
    const row = await this.db.simMachine.findFirst({ where: { id: ref, providerId: this.cfg.providerId }, select: { diskData: true } });
    if (row?.diskData) return Buffer.from(row.diskData);
    const kb = typeof this.cfg.config.imageKb === "number" ? this.cfg.config.imageKb : 256;
    const out = Buffer.alloc(kb * 1024);
    let block = createHash("sha256").update(ref).digest();
    for (let off = 0; off < out.length; off += block.length) {
      block.copy(out, off);
      block = createHash("sha256").update(block).digest();
    }
    return out;
  }

  async exportBackup(ref: string, opts?: CallOptions): Promise<BackupExport> {
    const after = await this.enter("exportBackup", opts);
    const m = await this.find(ref);
    await this.reachable(m);
    const data = await this.disk(ref);
    const header = Buffer.from(JSON.stringify({ format: "sim-image", v: 1, name: m.name, vcpu: m.vcpu, memoryMb: m.memoryMb, diskGb: m.diskGb, bytes: data.length }) + "\n");
    await this.leave(after, opts);
    // In 64 KiB chunks, as a real export streams.
    const chunks = function* () {
      yield header;
      for (let off = 0; off < data.length; off += 65536) yield data.subarray(off, off + 65536);
    };
    return { format: "sim-image", stream: Readable.from(chunks(), { objectMode: false }) };
  }

  /** Reads a sim-image back: the header line, then exactly the bytes it announces. */
  private async readImage(source: BackupSource, signal?: AbortSignal): Promise<Buffer> {
    if (source.format !== "sim-image") throw new DriverError("UNSUPPORTED", `The simulator cannot restore a ${source.format} backup`, false);
    const parts: Buffer[] = [];
    for await (const chunk of source.open() as AsyncIterable<Buffer>) {
      if (signal?.aborted) throw signal.reason;
      parts.push(Buffer.from(chunk));
    }
    const all = Buffer.concat(parts);
    const nl = all.indexOf(10);
    const header = nl > 0 ? (JSON.parse(all.subarray(0, nl).toString("utf8")) as { format?: string; bytes?: number }) : null;
    const data = all.subarray(nl + 1);
    if (!header || header.format !== "sim-image" || header.bytes !== data.length) throw new DriverError("PROVIDER", "The backup is not a complete simulator image", false);
    return data;
  }

  async restoreBackup(ref: string, source: BackupSource, opts?: CallOptions): Promise<{ ref: string }> {
    const after = await this.enter("restoreBackup", opts);
    const m = await this.find(ref);
    await this.reachable(m);
    const data = await this.readImage(source, opts?.signal);
    await this.db.simMachine.update({ where: { id: ref }, data: { diskData: new Uint8Array(data) } });
    await this.leave(after, opts);
    return { ref };
  }

  async importBackup(spec: MachineSpec, source: BackupSource, idempotencyKey: string, opts?: CallOptions): Promise<DriverMachine> {
    const data = await this.readImage(source, opts?.signal);
    const m = await this.provision(spec, idempotencyKey, opts);
    await this.db.simMachine.update({ where: { id: m.ref }, data: { diskData: new Uint8Array(data) } });
    return m;
  }

  async snapshot(ref: string, name: string, opts?: CallOptions): Promise<DriverSnapshot> {
    const after = await this.enter("snapshot", opts);
    await this.find(ref);
    // Idempotent by name: a retried call returns the snapshot the first call made.
    const s = await this.db.simSnapshot.upsert({
      where: { machineId_name: { machineId: ref, name } },
      update: {},
      create: { machineId: ref, name },
    });
    await this.leave(after, opts);
    return { ref: s.id, name: s.name, createdAt: s.createdAt };
  }

  async revertSnapshot(ref: string, snapshotRef: string, opts?: CallOptions): Promise<void> {
    await this.enter("revertSnapshot", opts);
    await this.find(ref);
    const s = isUuid(snapshotRef) ? await this.db.simSnapshot.findFirst({ where: { id: snapshotRef, machineId: ref } }) : null;
    if (!s) throw new DriverError("NOT_FOUND", `The simulator has no snapshot ${snapshotRef} of this machine`, false);
  }

  async deleteSnapshot(ref: string, snapshotRef: string, opts?: CallOptions): Promise<void> {
    const after = await this.enter("deleteSnapshot", opts);
    if (isUuid(snapshotRef) && isUuid(ref)) await this.db.simSnapshot.deleteMany({ where: { id: snapshotRef, machineId: ref } });
    await this.leave(after, opts);
  }
}
