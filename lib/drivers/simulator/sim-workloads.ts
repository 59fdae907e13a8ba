// The simulator's workload engine: the demo runs containerised apps with replicas without any
// container engine. State lives in PostgreSQL (SimWorkload), so it survives restarts; faults
// and latency come from the simulator's own SimFault rows and latency settings (operation
// names workloadApply, workloadRestart, workloadStatus, workloadLogs, workloadRemove).
import type { Db, Prisma } from "../../db/client";
import type { CallOptions } from "../types";
import type { WorkloadEngine, WorkloadLogLine, WorkloadSpec, WorkloadStatus } from "../workload-types";

type Enter = (op: string, opts?: CallOptions) => Promise<unknown>;
type Leave = (fault: unknown, opts?: CallOptions) => Promise<void>;

interface Row {
  workloadId: string;
  name: string;
  image: string;
  replicas: number;
  generation: number;
  events: Prisma.JsonValue;
}

const MAX_EVENTS = 200;

export class SimWorkloadEngine implements WorkloadEngine {
  constructor(
    private readonly providerId: string,
    private readonly db: Db,
    private readonly enter: Enter,
    private readonly leave: Leave,
  ) {}

  private toStatus(r: Row): WorkloadStatus {
    const replicas = Array.from({ length: r.replicas }, (_, i) => ({
      ref: `${r.name}-g${r.generation}-${i + 1}`,
      name: `${r.name}-${i + 1}`,
      image: r.image,
      state: "RUNNING" as const,
      healthy: true,
    }));
    return { ref: r.name, desired: r.replicas, running: r.replicas, ready: r.replicas, updated: r.replicas, image: r.image, replicas };
  }

  private events(r: Row | null): string[] {
    return Array.isArray(r?.events) ? (r.events as string[]) : [];
  }

  private async find(workloadId: string): Promise<Row | null> {
    return this.db.simWorkload.findUnique({ where: { providerId_workloadId: { providerId: this.providerId, workloadId } } });
  }

  private async write(spec: WorkloadSpec, change: (prev: Row | null) => { generation: number; lines: string[] }): Promise<Row> {
    return this.db.$transaction(async (tx) => {
      // Serialise concurrent applies of one workload on its row.
      await tx.$executeRaw`select pg_advisory_xact_lock(hashtext(${`simwl:${this.providerId}:${spec.workloadId}`}))`;
      const prev = await tx.simWorkload.findUnique({ where: { providerId_workloadId: { providerId: this.providerId, workloadId: spec.workloadId } } });
      const { generation, lines } = change(prev);
      const stamp = new Date().toISOString();
      const events = [...this.events(prev), ...lines.map((l) => `${stamp} ${l}`)].slice(-MAX_EVENTS);
      return tx.simWorkload.upsert({
        where: { providerId_workloadId: { providerId: this.providerId, workloadId: spec.workloadId } },
        create: { providerId: this.providerId, workloadId: spec.workloadId, installationId: spec.installationId, name: spec.name, image: spec.image, replicas: spec.replicas, generation, events },
        update: { image: spec.image, replicas: spec.replicas, generation, events },
      });
    });
  }

  async apply(spec: WorkloadSpec, opts?: CallOptions): Promise<WorkloadStatus> {
    const after = await this.enter("workloadApply", opts);
    const row = await this.write(spec, (prev) => {
      if (!prev) return { generation: 1, lines: Array.from({ length: spec.replicas }, (_, i) => `${spec.name}-${i + 1}: started ${spec.image}`) };
      const lines: string[] = [];
      let generation = prev.generation;
      if (prev.image !== spec.image) {
        generation += 1;
        for (let i = 0; i < Math.min(prev.replicas, spec.replicas); i++) lines.push(`${spec.name}-${i + 1}: replaced ${prev.image} with ${spec.image}`);
      }
      for (let i = prev.replicas; i < spec.replicas; i++) lines.push(`${spec.name}-${i + 1}: started ${spec.image}`);
      for (let i = spec.replicas; i < prev.replicas; i++) lines.push(`${spec.name}-${i + 1}: stopped and removed`);
      return { generation, lines };
    });
    await this.leave(after, opts);
    return this.toStatus(row);
  }

  async restart(spec: WorkloadSpec, generation: string, opts?: CallOptions): Promise<WorkloadStatus> {
    const after = await this.enter("workloadRestart", opts);
    const row = await this.write(spec, (prev) => {
      // The same restart (its operation id) replaces the replicas once.
      const done = this.events(prev).some((l) => l.endsWith(`restart ${generation}`));
      return done ? { generation: prev!.generation, lines: [] } : { generation: (prev?.generation ?? 0) + 1, lines: [`${spec.name}: restart ${generation}`] };
    });
    await this.leave(after, opts);
    return this.toStatus(row);
  }

  async status(spec: Pick<WorkloadSpec, "workloadId">, opts?: CallOptions): Promise<WorkloadStatus | null> {
    await this.enter("workloadStatus", opts);
    const r = await this.find(spec.workloadId);
    return r ? this.toStatus(r) : null;
  }

  async logs(spec: Pick<WorkloadSpec, "workloadId">, tail: number, opts?: CallOptions): Promise<WorkloadLogLine[]> {
    await this.enter("workloadLogs", opts);
    const r = await this.find(spec.workloadId);
    return this.events(r)
      .slice(-tail)
      .map((line) => ({ replica: line.split(" ")[1]?.replace(/:$/, "") ?? "", line }));
  }

  async remove(spec: Pick<WorkloadSpec, "workloadId" | "installationId">, opts?: CallOptions): Promise<void> {
    const after = await this.enter("workloadRemove", opts);
    await this.db.simWorkload.deleteMany({ where: { providerId: this.providerId, workloadId: spec.workloadId, OR: [{ installationId: spec.installationId }, { installationId: null }] } });
    await this.leave(after, opts);
  }

  async listOwned(installationId: string): Promise<string[]> {
    const rows = await this.db.simWorkload.findMany({ where: { providerId: this.providerId, installationId }, select: { workloadId: true } });
    return rows.map((r) => r.workloadId);
  }
}
