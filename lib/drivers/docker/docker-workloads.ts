// Container workloads on the Docker Engine API (Docker, or Podman's compatible service): a
// workload is N containers sharing the ownership labels (workload id + installation id), one
// per replica index. `apply` converges: missing replicas are created and started, surplus ones
// removed, replicas of another image replaced one at a time (ROLLING: the new container is
// started before the old one is removed; RECREATE: the old ones go first). Container names
// carry the replica index and a digest of the image, so a retried apply finds what an earlier
// attempt created (a name conflict = adopt) and never runs two containers for one slot.
import { createHash } from "node:crypto";
import type Docker from "dockerode";
import type { ContainerInfo } from "dockerode";
import { DriverError, type CallOptions } from "../types";
import type { ReplicaState, WorkloadEngine, WorkloadLogLine, WorkloadReplica, WorkloadSpec, WorkloadStatus } from "../workload-types";

export const WORKLOAD_ID_LABEL = "orquestra.workload-id";
export const WORKLOAD_INSTALLATION_LABEL = "orquestra.installation-id";
export const WORKLOAD_REPLICA_LABEL = "orquestra.workload-replica";
export const WORKLOAD_IMAGE_LABEL = "orquestra.workload-image";
/** On the containers of a workload that belongs to a stack: the stack id (as the workload row's own label). */
export const WORKLOAD_STACK_LABEL = "orquestra.stack-id";

type Call = <T>(what: string, opts: CallOptions | undefined, fn: (abortSignal: AbortSignal) => Promise<T>, extraMs?: number) => Promise<T>;

const imageTag = (image: string) => createHash("sha256").update(image).digest("hex").slice(0, 8);

function replicaState(c: ContainerInfo): ReplicaState {
  switch (c.State) {
    case "running":
      return "RUNNING";
    case "created":
    case "restarting":
    case "configured":
      return "STARTING";
    case "exited":
    case "stopped":
    case "paused":
      return "STOPPED";
    case "dead":
      return "FAILED";
    default:
      return "UNKNOWN";
  }
}

/** Health from the list entry's Status text ("Up 3 seconds (healthy)"); null: no health check. */
function health(c: ContainerInfo): boolean | null {
  const s = c.Status ?? "";
  if (/\(unhealthy\)/.test(s)) return false;
  if (/\(healthy\)/.test(s)) return true;
  return null;
}

/** Docker's multiplexed log stream (8-byte frame headers) into text; a TTY stream is plain. */
export function demuxLogs(buf: Buffer): string {
  const out: Buffer[] = [];
  let i = 0;
  while (i + 8 <= buf.length && (buf[i] === 1 || buf[i] === 2 || buf[i] === 0) && buf[i + 1] === 0 && buf[i + 2] === 0 && buf[i + 3] === 0) {
    const len = buf.readUInt32BE(i + 4);
    out.push(buf.subarray(i + 8, i + 8 + len));
    i += 8 + len;
  }
  if (i === 0) return buf.toString("utf8");
  return Buffer.concat(out).toString("utf8");
}

export class DockerWorkloadEngine implements WorkloadEngine {
  constructor(
    private readonly docker: Docker,
    private readonly call: Call,
    private readonly options: { stopTimeoutSeconds: number; networkMode?: string },
  ) {}

  private async list(workloadId: string, opts?: CallOptions): Promise<ContainerInfo[]> {
    const list = await this.call("list", opts, (abortSignal) => this.docker.listContainers({ all: true, filters: { label: [`${WORKLOAD_ID_LABEL}=${workloadId}`] }, abortSignal }));
    if (!Array.isArray(list)) throw new DriverError("PROVIDER", "Docker answered list with malformed data", false);
    // Filter again: an engine that ignores the filter must not make us touch a stranger.
    return list.filter((c) => c?.Labels?.[WORKLOAD_ID_LABEL] === workloadId);
  }

  private containerName(spec: WorkloadSpec, index: number): string {
    return `${spec.name}-${index}-${imageTag(spec.image)}`;
  }

  private async create(spec: WorkloadSpec, index: number, opts?: CallOptions): Promise<string> {
    const name = this.containerName(spec, index);
    const healthcheck = spec.healthCheck
      ? { Test: ["CMD", ...spec.healthCheck.command], Interval: spec.healthCheck.intervalSeconds * 1e9, Retries: spec.healthCheck.retries, Timeout: 5e9 }
      : undefined;
    try {
      await this.call("create", opts, (abortSignal) =>
        this.docker.createContainer({
          name,
          Image: spec.image,
          ...(spec.command ? { Cmd: spec.command } : {}),
          Hostname: name.slice(0, 63),
          Env: Object.entries(spec.env).map(([k, v]) => `${k}=${v}`),
          Labels: {
            [WORKLOAD_ID_LABEL]: spec.workloadId,
            [WORKLOAD_INSTALLATION_LABEL]: spec.installationId,
            [WORKLOAD_REPLICA_LABEL]: String(index),
            [WORKLOAD_IMAGE_LABEL]: spec.image,
            "orquestra.project-id": spec.projectId,
            ...(spec.stackId ? { [WORKLOAD_STACK_LABEL]: spec.stackId } : {}),
          },
          ExposedPorts: Object.fromEntries(spec.ports.map((p) => [`${p.containerPort}/${p.protocol.toLowerCase()}`, {}])),
          ...(healthcheck ? { Healthcheck: healthcheck } : {}),
          HostConfig: {
            NanoCpus: Math.round(spec.vcpu * 1e9),
            Memory: spec.memoryMb * 1024 * 1024,
            RestartPolicy: { Name: "unless-stopped" },
            ...(this.options.networkMode ? { NetworkMode: this.options.networkMode } : {}),
          },
          abortSignal,
        }),
      );
    } catch (err) {
      // Created by an earlier attempt (name conflict): adopt it.
      if (!(err instanceof DriverError && err.message.startsWith("Docker conflict"))) {
        if (err instanceof DriverError && err.code === "NOT_FOUND") throw new DriverError("NOT_FOUND", `image "${spec.image}" is not on this Docker host`, false);
        throw err;
      }
    }
    await this.call("start", opts, (abortSignal) => this.docker.getContainer(name).start({ abortSignal }));
    return name;
  }

  private async removeContainer(id: string, opts?: CallOptions): Promise<void> {
    try {
      await this.call("remove", opts, (abortSignal) => this.docker.getContainer(id).remove({ force: true, v: true, abortSignal }), this.options.stopTimeoutSeconds * 1000);
    } catch (err) {
      if (err instanceof DriverError && err.code === "NOT_FOUND") return;
      throw err;
    }
  }

  /** Waits until the container runs (and is not unhealthy); a replica that exits fails the rollout. */
  private async waitRunning(name: string, opts?: CallOptions): Promise<void> {
    for (let i = 0; i < 60; i++) {
      const info = await this.call("inspect", opts, (abortSignal) => this.docker.getContainer(name).inspect({ abortSignal }));
      const st = info.State?.Status;
      if (st === "running" && info.State?.Health?.Status !== "unhealthy") return;
      if (st === "exited" || st === "dead") {
        throw new DriverError("PROVIDER", `replica ${name} exited (code ${info.State?.ExitCode ?? "?"}) right after it started`, false);
      }
      await new Promise((r) => setTimeout(r, 250));
    }
    throw new DriverError("TIMEOUT", `replica ${name} did not start`, true);
  }

  async apply(spec: WorkloadSpec, opts?: CallOptions): Promise<WorkloadStatus> {
    const current = await this.list(spec.workloadId, opts);
    const indexOf = (c: ContainerInfo) => Number(c.Labels?.[WORKLOAD_REPLICA_LABEL] ?? -1);
    const isCurrent = (c: ContainerInfo) => c.Labels?.[WORKLOAD_IMAGE_LABEL] === spec.image;

    // Surplus replicas first (a scale down frees its resources before anything starts).
    for (const c of current.filter((c) => indexOf(c) >= spec.replicas || indexOf(c) < 0)) await this.removeContainer(c.Id, opts);

    if (spec.updateStrategy === "RECREATE") {
      for (const c of current.filter((c) => indexOf(c) >= 0 && indexOf(c) < spec.replicas && !isCurrent(c))) await this.removeContainer(c.Id, opts);
    }
    for (let i = 0; i < spec.replicas; i++) {
      const slot = current.filter((c) => indexOf(c) === i);
      const fresh = slot.find(isCurrent);
      if (fresh) {
        if (fresh.State !== "running") await this.call("start", opts, (abortSignal) => this.docker.getContainer(fresh.Id).start({ abortSignal }));
      } else {
        // Rolling: the new replica runs before the old one of this slot goes.
        const name = await this.create(spec, i, opts);
        await this.waitRunning(name, opts);
      }
      for (const old of slot.filter((c) => !isCurrent(c))) await this.removeContainer(old.Id, opts);
    }
    return (await this.status(spec, opts)) ?? { ref: spec.name, desired: 0, running: 0, ready: 0, updated: 0, image: spec.image, replicas: [] };
  }

  async restart(spec: WorkloadSpec, _generation: string, opts?: CallOptions): Promise<WorkloadStatus> {
    // One replica at a time, each back to running before the next goes down.
    const current = (await this.list(spec.workloadId, opts)).sort((a, b) => Number(a.Labels?.[WORKLOAD_REPLICA_LABEL]) - Number(b.Labels?.[WORKLOAD_REPLICA_LABEL]));
    for (const c of current) {
      await this.call("restart", opts, (abortSignal) => this.docker.getContainer(c.Id).restart({ t: this.options.stopTimeoutSeconds, abortSignal }), this.options.stopTimeoutSeconds * 1000);
      await this.waitRunning(c.Id, opts);
    }
    return (await this.status(spec, opts))!;
  }

  async status(spec: Pick<WorkloadSpec, "workloadId" | "name">, opts?: CallOptions): Promise<WorkloadStatus | null> {
    const list = await this.list(spec.workloadId, opts);
    if (!list.length) return null;
    const byIndex = [...list].sort((a, b) => Number(a.Labels?.[WORKLOAD_REPLICA_LABEL]) - Number(b.Labels?.[WORKLOAD_REPLICA_LABEL]));
    const replicas: WorkloadReplica[] = byIndex.map((c) => ({
      ref: c.Id,
      name: (c.Names?.[0] ?? c.Id).replace(/^\//, ""),
      image: c.Labels?.[WORKLOAD_IMAGE_LABEL] ?? c.Image,
      state: replicaState(c),
      healthy: health(c),
    }));
    const images = [...new Set(replicas.map((r) => r.image))];
    const newest = byIndex.length ? (byIndex[byIndex.length - 1].Labels?.[WORKLOAD_IMAGE_LABEL] ?? null) : null;
    const running = replicas.filter((r) => r.state === "RUNNING").length;
    return {
      ref: spec.name,
      desired: new Set(byIndex.map((c) => c.Labels?.[WORKLOAD_REPLICA_LABEL])).size,
      running,
      ready: replicas.filter((r) => r.state === "RUNNING" && r.healthy !== false).length,
      updated: replicas.filter((r) => r.image === newest).length,
      image: images.length === 1 ? images[0] : newest,
      replicas,
      storage: await this.storage(images[0], opts).catch(() => undefined),
    };
  }

  /** The engine's storage driver (overlay here) and how many image layers the replicas share. */
  private async storage(image: string | undefined, opts?: CallOptions): Promise<WorkloadStatus["storage"]> {
    const info = (await this.call("info", opts, () => this.docker.info())) as { Driver?: string };
    const layers = image ? ((await this.call("image inspect", opts, () => this.docker.getImage(image).inspect())) as { RootFS?: { Layers?: string[] } }).RootFS?.Layers?.length : undefined;
    return { driver: info?.Driver, sharedLayers: layers };
  }

  async logs(spec: Pick<WorkloadSpec, "workloadId">, tail: number, opts?: CallOptions): Promise<WorkloadLogLine[]> {
    const list = await this.list(spec.workloadId, opts);
    const out: WorkloadLogLine[] = [];
    for (const c of list) {
      const name = (c.Names?.[0] ?? c.Id).replace(/^\//, "");
      const raw = await this.call("logs", opts, (abortSignal) =>
        this.docker.getContainer(c.Id).logs({ stdout: true, stderr: true, tail, follow: false, abortSignal } as Docker.ContainerLogsOptions & { follow: false }),
      );
      const text = Buffer.isBuffer(raw) ? demuxLogs(raw) : String(raw ?? "");
      for (const line of text.split("\n")) if (line.length) out.push({ replica: name, line });
    }
    return out;
  }

  async remove(spec: Pick<WorkloadSpec, "workloadId" | "installationId">, opts?: CallOptions): Promise<void> {
    const list = await this.list(spec.workloadId, opts);
    // Another installation's containers (sharing the engine) are never ours to remove.
    for (const c of list.filter((c) => !c.Labels?.[WORKLOAD_INSTALLATION_LABEL] || c.Labels[WORKLOAD_INSTALLATION_LABEL] === spec.installationId)) {
      await this.removeContainer(c.Id, opts);
    }
  }

  async listOwned(installationId: string, opts?: CallOptions): Promise<string[]> {
    const list = await this.call("list", opts, (abortSignal) =>
      this.docker.listContainers({ all: true, filters: { label: [`${WORKLOAD_INSTALLATION_LABEL}=${installationId}`, WORKLOAD_ID_LABEL] }, abortSignal }),
    );
    return [...new Set((list ?? []).map((c) => c.Labels?.[WORKLOAD_ID_LABEL]).filter((x): x is string => !!x))];
  }
}
