// Docker Engine API driver (dockerode): container offerings on Docker or Podman's
// Docker-compatible service. The template's native reference is the image; the offering's
// vCPU and memory become NanoCpus and Memory limits; every container carries the ownership
// labels `orquestra.machine-id` and `orquestra.installation-id`, so a retried provision finds
// the container it already created and a container whose id was lost is found by its machine.
// The driver owns its HTTP agent (keep-alive connections to the engine) and closes it.
import { randomBytes } from "node:crypto";
import http from "node:http";
import https from "node:https";
import Docker from "dockerode";
import type { ContainerInfo, ContainerInspectInfo } from "dockerode";
import { streamWithCleanup } from "../backup-stream";
import { deadline, raceSignal, safeName, toDriverError, transportError } from "../call";
import {
  DriverError,
  type BackupExport,
  type BackupSource,
  type CallOptions,
  type Capability,
  type ConsoleOptions,
  type ConsoleSession,
  type Driver,
  type DriverConfig,
  type DriverHostCapacity,
  type DriverMachine,
  type MachineMetricsReading,
  type DriverMachineState,
  type MachineSpec,
} from "../types";
import { dockerProfile } from "./profile";
import { DockerWorkloadEngine } from "./docker-workloads";

export const MACHINE_ID_LABEL = "orquestra.machine-id";
export const INSTALLATION_ID_LABEL = "orquestra.installation-id";
export const IDEMPOTENCY_LABEL = "orquestra.idempotency-key";
/** On a container made from a backup: the id of the loaded backup image (marks a finished restore). */
export const RESTORED_FROM_LABEL = "orquestra.restored-from";
/** Repository of the images a backup commits (and a restore loads back). */
export const BACKUP_REPO = "localhost/orquestra-backup";

/** The labels a new container carries: ownership tags and the provision's idempotency key. */
export function ownershipLabels(spec: Pick<MachineSpec, "machineId" | "installationId">, idempotencyKey: string): Record<string, string> {
  return { [MACHINE_ID_LABEL]: spec.machineId, [INSTALLATION_ID_LABEL]: spec.installationId, [IDEMPOTENCY_LABEL]: idempotencyKey };
}

/**
 * Docker runs no cloud-init. The requester's SSH keys go into the environment variable
 * ORQ_SSH_AUTHORIZED_KEYS (one key per line) for an image whose entrypoint installs them into
 * authorized_keys and starts sshd; other images ignore it. The label lists how many were given.
 */
export const SSH_KEYS_ENV = "ORQ_SSH_AUTHORIZED_KEYS";
export const SSH_KEYS_LABEL = "orquestra.ssh-keys";

export function sshKeyEnv(keys: readonly string[] | undefined): { Env?: string[]; labels: Record<string, string> } {
  if (!keys?.length) return { labels: {} };
  return { Env: [`${SSH_KEYS_ENV}=${keys.join("\n")}`], labels: { [SSH_KEYS_LABEL]: String(keys.length) } };
}

/** The ownership tags read back from a container's labels (null: not created by Orquestra). */
export function ownershipFromLabels(labels: Record<string, string> | null | undefined): { machineId: string | null; installationId: string | null } {
  return { machineId: labels?.[MACHINE_ID_LABEL] || null, installationId: labels?.[INSTALLATION_ID_LABEL] || null };
}

export interface DockerDriverOptions {
  /** Seconds a container gets to exit after SIGTERM on stop/restart before SIGKILL. */
  stopTimeoutSeconds: number;
  /** Deadline of one API call when the caller passes no signal. */
  callTimeoutMs: number;
  /** Network mode for new containers (Docker's default bridge when absent). */
  networkMode?: string;
  /** Container storage to report for placement, when set (GB) ... */
  diskGb?: number;
  /** ... and its tier (SSD by default). */
  diskTier: "SSD" | "HDD";
}

/** Provider states into Orquestra's (Docker's State.Status values). */
export function mapDockerState(status: string | undefined): DriverMachineState {
  switch (status) {
    case "running":
      return "RUNNING";
    case "paused":
      return "PAUSED";
    case "created":
    case "exited":
    case "stopped": // Podman
    case "configured": // Podman
      return "STOPPED";
    case "restarting":
    case "removing":
    case "stopping": // Podman
      return "PENDING";
    case "dead":
      return "ERROR";
    default:
      return "UNKNOWN";
  }
}

/** Endpoint forms: unix:///path/docker.sock, /path/docker.sock, tcp://host:port, http(s)://host:port. */
export function dockerConnection(endpoint: string, credentials: Record<string, string>): Docker.DockerOptions {
  const e = endpoint.trim();
  if (e.startsWith("unix://")) return { socketPath: e.slice("unix://".length) };
  if (e.startsWith("/")) return { socketPath: e };
  return tcpConnection(endpoint, e, credentials);
}

function tcpConnection(endpoint: string, e: string, credentials: Record<string, string>): Docker.DockerOptions {
  const m = /^(tcp|http|https):\/\/([^/:]+|\[[^\]]+\]):(\d+)\/?$/.exec(e);
  if (!m) throw new DriverError("PROVIDER", `unsupported Docker endpoint "${endpoint}" (use unix:///path or tcp://host:port)`, false);
  const tls = m[1] === "https" || Boolean(credentials.cert);
  return {
    protocol: tls ? "https" : "http",
    host: m[2].replace(/^\[|\]$/g, ""),
    port: Number(m[3]),
    ...(credentials.ca ? { ca: credentials.ca } : {}),
    ...(credentials.cert ? { cert: credentials.cert } : {}),
    ...(credentials.key ? { key: credentials.key } : {}),
  };
}

/** dockerode accepts options (abortSignal) on info/version; its type definitions do not say so. */
const withOptions = <R>(fn: () => Promise<R>) => fn as unknown as (opts: { abortSignal: AbortSignal }) => Promise<R>;

type DockerodeError = Error & { statusCode?: number; json?: unknown; reason?: string };

function apiMessage(err: DockerodeError): string {
  const json = err.json as { message?: unknown } | string | undefined;
  if (json && typeof json === "object" && typeof json.message === "string") return json.message;
  if (typeof json === "string" && json.length < 300) return json;
  return err.reason ?? err.message;
}

const num = (v: unknown): number => (typeof v === "number" && Number.isFinite(v) && v >= 0 ? v : 0);

/** Docker's (and Podman's) stats document as a reading; blkio and networks may be null on Podman. */
export function dockerStatsReading(stats: unknown, malformed: () => Error): MachineMetricsReading {
  if (!stats || typeof stats !== "object") throw malformed();
  const s = stats as {
    read?: string;
    cpu_stats?: { cpu_usage?: { total_usage?: number }; online_cpus?: number };
    memory_stats?: { usage?: number; limit?: number; stats?: { cache?: number; inactive_file?: number } };
    blkio_stats?: { io_service_bytes_recursive?: { op?: string; value?: number }[] | null };
    networks?: Record<string, { rx_bytes?: number; tx_bytes?: number }> | null;
  };
  if (!s.cpu_stats || typeof s.cpu_stats.cpu_usage?.total_usage !== "number" || !s.memory_stats) throw malformed();
  let diskReadBytes = 0;
  let diskWriteBytes = 0;
  for (const e of s.blkio_stats?.io_service_bytes_recursive ?? []) {
    const op = String(e?.op ?? "").toLowerCase();
    if (op === "read") diskReadBytes += num(e.value);
    if (op === "write") diskWriteBytes += num(e.value);
  }
  let netInBytes = 0;
  let netOutBytes = 0;
  for (const n of Object.values(s.networks ?? {})) {
    netInBytes += num(n?.rx_bytes);
    netOutBytes += num(n?.tx_bytes);
  }
  // Page cache is not "used" (as `docker stats` shows it).
  const cache = num(s.memory_stats.stats?.inactive_file ?? s.memory_stats.stats?.cache);
  const limit = num(s.memory_stats.limit);
  const at = s.read && !Number.isNaN(Date.parse(s.read)) && Date.parse(s.read) > 0 ? new Date(s.read) : new Date();
  return {
    at,
    cpuTimeNs: num(s.cpu_stats.cpu_usage.total_usage),
    memoryUsedBytes: Math.max(0, num(s.memory_stats.usage) - cache),
    // An unlimited container reports the host's memory (or a huge number): not a total.
    memoryTotalBytes: limit > 0 && limit < 2 ** 52 ? limit : undefined,
    diskReadBytes,
    diskWriteBytes,
    netInBytes,
    netOutBytes,
  };
}

export class DockerDriver implements Driver {
  readonly kind = "DOCKER" as const;
  readonly capabilities: ReadonlySet<Capability> = new Set<Capability>(dockerProfile.capabilities);
  private readonly docker: Docker;
  private readonly agent: http.Agent;
  private readonly options: DockerDriverOptions;
  /** Container workloads with replicas (issue 13): N containers sharing ownership labels. */
  readonly workloads: DockerWorkloadEngine;

  constructor(config: DriverConfig) {
    const connection = dockerConnection(config.endpoint, config.credentials);
    // Our own agent (not Node's global one): its keep-alive sockets are ours to close.
    this.agent = connection.protocol === "https" ? new https.Agent({ keepAlive: true }) : new http.Agent({ keepAlive: true });
    // docker-modem passes `agent` to every request; dockerode's type definitions omit it.
    this.docker = new Docker({ ...connection, agent: this.agent } as Docker.DockerOptions);
    const c = config.config;
    this.options = {
      stopTimeoutSeconds: typeof c.stopTimeoutSeconds === "number" ? c.stopTimeoutSeconds : 10,
      callTimeoutMs: typeof c.callTimeoutMs === "number" ? c.callTimeoutMs : 30_000,
      networkMode: typeof c.networkMode === "string" ? c.networkMode : undefined,
      diskGb: typeof c.diskGb === "number" && c.diskGb > 0 ? c.diskGb : undefined,
      diskTier: c.diskTier === "HDD" ? "HDD" : "SSD",
    };
    this.workloads = new DockerWorkloadEngine(this.docker, (what, opts, fn, extraMs) => this.call(what, opts, fn, extraMs), this.options);
  }

  /**
   * A shell in the running container (capability "console"): an exec with a TTY, its
   * hijacked connection carrying the terminal's bytes both ways. bash when the image has it,
   * else sh.
   */
  async openConsole(ref: string, opts?: ConsoleOptions): Promise<ConsoleSession> {
    const container = this.docker.getContainer(ref);
    const exec = await this.call("exec", opts, () =>
      container.exec({
        Cmd: ["/bin/sh", "-c", "if command -v bash >/dev/null 2>&1; then exec bash; else exec sh; fi"],
        AttachStdin: true,
        AttachStdout: true,
        AttachStderr: true,
        Tty: true,
        Env: ["TERM=xterm-256color"],
      }),
    );
    const stream = await this.call("exec start", opts, () => exec.start({ hijack: true, stdin: true, Tty: true }));
    const resize = async (cols: number, rows: number) => {
      const w = Math.max(1, Math.min(1000, Math.floor(cols)));
      const h = Math.max(1, Math.min(1000, Math.floor(rows)));
      // The exec may be gone (the shell exited); a failed resize is not worth an error.
      await exec.resize({ w, h }).catch(() => undefined);
    };
    if (opts?.cols && opts.rows) await resize(opts.cols, opts.rows);
    let closed = false;
    return {
      kind: "shell",
      output: stream,
      write: (data) => {
        if (!closed && stream.writable) stream.write(data);
      },
      resize,
      close: async () => {
        if (closed) return;
        closed = true;
        stream.destroy();
      },
    };
  }

  /** Closes the engine connections (in-flight calls, if any, are cut). */
  async close(): Promise<void> {
    this.agent.destroy();
  }

  /** Runs one API call under a deadline and maps its failure into a DriverError. */
  private async call<T>(what: string, opts: CallOptions | undefined, fn: (abortSignal: AbortSignal) => Promise<T>, extraMs = 0): Promise<T> {
    const signal = deadline(opts, this.options.callTimeoutMs + extraMs);
    try {
      return await raceSignal(fn(signal), signal, `Docker ${what}`);
    } catch (err) {
      // 304: already started / already stopped. The wanted state holds; not an error.
      if ((err as DockerodeError)?.statusCode === 304) return undefined as T;
      throw this.mapError(err, what, signal);
    }
  }

  private mapError(err: unknown, what: string, signal: AbortSignal): DriverError {
    const t = transportError(err, `Docker endpoint (${what})`, signal);
    if (t) return t;
    const e = err as DockerodeError;
    const status = e?.statusCode;
    if (status === 401 || status === 403) return new DriverError("AUTH", `Docker refused the credentials (${what})`, false);
    if (status === 404) {
      // A missing object is a JSON error with a message; a route the engine does not have
      // (Podman 4.3 has no /containers/{id}/update) is a bare "Not Found" body.
      const json = e.json as { message?: unknown } | undefined;
      if (!json || typeof json !== "object" || typeof json.message !== "string") {
        return new DriverError("UNSUPPORTED", `this Docker endpoint does not support ${what}`, false);
      }
      return new DriverError("NOT_FOUND", `Docker: ${json.message}`, false);
    }
    if (status === 409) return new DriverError("PROVIDER", `Docker conflict: ${apiMessage(e)}`, true);
    if (status !== undefined && status >= 500) {
      const msg = apiMessage(e);
      // The daemon out of memory/disk is a capacity problem, not a bug.
      if (/no space|cannot allocate|out of memory/i.test(msg)) return new DriverError("CAPACITY", `Docker: ${msg}`, false);
      return new DriverError("PROVIDER", `Docker ${what} failed: ${msg}`, true);
    }
    if (err instanceof SyntaxError) return new DriverError("PROVIDER", `Docker answered ${what} with malformed data`, false);
    return toDriverError(err, `Docker ${what}`, signal);
  }

  private malformed(what: string): DriverError {
    return new DriverError("PROVIDER", `Docker answered ${what} with malformed data`, false);
  }

  private toMachine(info: ContainerInspectInfo): DriverMachine {
    if (!info || typeof info !== "object" || typeof info.Id !== "string" || !info.State) throw this.malformed("inspect");
    const host = info.HostConfig ?? ({} as ContainerInspectInfo["HostConfig"]);
    const networks = info.NetworkSettings?.Networks ?? {};
    const legacyIp = (info.NetworkSettings as { IPAddress?: string } | undefined)?.IPAddress;
    const ip = legacyIp || Object.values(networks).find((n) => n?.IPAddress)?.IPAddress || null;
    return {
      ref: info.Id,
      ...ownershipFromLabels(info.Config?.Labels),
      name: (info.Name ?? "").replace(/^\//, ""),
      state: mapDockerState(info.State.Status),
      vcpu: host.NanoCpus ? host.NanoCpus / 1e9 : undefined,
      memoryMb: host.Memory ? Math.round(host.Memory / (1024 * 1024)) : undefined,
      ipAddress: ip,
    };
  }

  private fromListEntry(c: ContainerInfo): DriverMachine {
    if (!c || typeof c.Id !== "string") throw this.malformed("list");
    return {
      ref: c.Id,
      ...ownershipFromLabels(c.Labels),
      name: (c.Names?.[0] ?? c.Id).replace(/^\//, ""),
      state: mapDockerState(c.State),
    };
  }

  private async findContainerByMachineId(machineId: string, opts?: CallOptions): Promise<ContainerInfo | undefined> {
    const list = await this.call("list", opts, (abortSignal) =>
      this.docker.listContainers({ all: true, filters: { label: [`${MACHINE_ID_LABEL}=${machineId}`] }, abortSignal }),
    );
    if (!Array.isArray(list)) throw this.malformed("list");
    // Filter again: an engine that ignores the filter must not make us adopt a stranger.
    return list.find((c) => c?.Labels?.[MACHINE_ID_LABEL] === machineId);
  }

  async provision(spec: MachineSpec, idempotencyKey: string, opts?: CallOptions): Promise<DriverMachine> {
    return this.createOrAdopt(spec, idempotencyKey, {}, opts);
  }

  private async createOrAdopt(spec: MachineSpec, idempotencyKey: string, extraLabels: Record<string, string>, opts?: CallOptions): Promise<DriverMachine> {
    let existing = await this.findContainerByMachineId(spec.machineId, opts);
    const keys = sshKeyEnv(spec.sshKeys);
    if (!existing) {
      try {
        await this.call("create", opts, (abortSignal) =>
          this.docker.createContainer({
            name: safeName(spec.name, spec.machineId),
            Image: spec.templateRef,
            Hostname: safeName(spec.name, spec.machineId),
            Labels: { ...extraLabels, ...keys.labels, ...ownershipLabels(spec, idempotencyKey) },
            ...(keys.Env ? { Env: keys.Env } : {}),
            HostConfig: {
              NanoCpus: Math.round(spec.vcpu * 1e9),
              Memory: spec.memoryMb * 1024 * 1024,
              ...(this.options.networkMode ? { NetworkMode: this.options.networkMode } : {}),
            },
            abortSignal,
          }),
        );
      } catch (err) {
        // A concurrent attempt created it first (name conflict): adopt that one.
        if (!(err instanceof DriverError && err.message.startsWith("Docker conflict"))) {
          if (err instanceof DriverError && err.code === "NOT_FOUND") {
            throw new DriverError("NOT_FOUND", `image "${spec.templateRef}" is not on this Docker host`, false);
          }
          throw err;
        }
      }
      existing = await this.findContainerByMachineId(spec.machineId, opts);
      if (!existing) throw new DriverError("PROVIDER", "Docker created the container but does not list it", true);
    }
    if (mapDockerState(existing.State) !== "RUNNING") await this.start(existing.Id, opts);
    return this.getMachine(existing.Id, opts);
  }

  async getMachine(ref: string, opts?: CallOptions): Promise<DriverMachine> {
    const info = await this.call("inspect", opts, (abortSignal) => this.docker.getContainer(ref).inspect({ abortSignal }));
    return this.toMachine(info);
  }

  async start(ref: string, opts?: CallOptions): Promise<void> {
    // 304 (already running) is not an error for dockerode.
    await this.call("start", opts, (abortSignal) => this.docker.getContainer(ref).start({ abortSignal }));
  }

  async stop(ref: string, opts?: CallOptions): Promise<void> {
    const t = this.options.stopTimeoutSeconds;
    await this.call("stop", opts, (abortSignal) => this.docker.getContainer(ref).stop({ t, abortSignal }), t * 1000);
  }

  async reboot(ref: string, opts?: CallOptions): Promise<void> {
    const t = this.options.stopTimeoutSeconds;
    await this.call("restart", opts, (abortSignal) => this.docker.getContainer(ref).restart({ t, abortSignal }), t * 1000);
  }

  async destroy(ref: string, opts?: CallOptions): Promise<void> {
    try {
      const info = await this.call("inspect", opts, (abortSignal) => this.docker.getContainer(ref).inspect({ abortSignal }));
      await this.call("remove", opts, (abortSignal) => this.docker.getContainer(ref).remove({ force: true, v: true, abortSignal }));
      // A container restored from a backup runs on the loaded backup image: nothing else uses it.
      const restoredFrom = info?.Config?.Labels?.[RESTORED_FROM_LABEL];
      if (restoredFrom) await this.removeImageQuietly(restoredFrom.split("@")[0]);
    } catch (err) {
      if (err instanceof DriverError && err.code === "NOT_FOUND") return; // already gone
      throw err;
    }
  }

  async resize(ref: string, size: { vcpu: number; memoryMb: number; diskGb?: number }, opts?: CallOptions): Promise<void> {
    const memory = size.memoryMb * 1024 * 1024;
    await this.call("update", opts, (abortSignal) =>
      this.docker.getContainer(ref).update({ NanoCpus: Math.round(size.vcpu * 1e9), Memory: memory, MemorySwap: memory * 2, abortSignal }),
    );
  }

  /** One stats reading (GET /containers/{id}/stats?stream=false): cumulative counters. */
  async metrics(ref: string, opts?: CallOptions): Promise<MachineMetricsReading> {
    const stats = (await this.call("stats", opts, (abortSignal) =>
      this.docker.getContainer(ref).stats({ stream: false, abortSignal } as { stream: false }),
    )) as unknown;
    return dockerStatsReading(stats, () => this.malformed("stats"));
  }

  async findByMachineId(machineId: string, opts?: CallOptions): Promise<DriverMachine | null> {
    const found = await this.findContainerByMachineId(machineId, opts);
    if (!found) return null;
    try {
      return await this.getMachine(found.Id, opts);
    } catch (err) {
      if (err instanceof DriverError && err.code === "NOT_FOUND") return null; // removed meanwhile
      throw err;
    }
  }

  async listMachines(opts?: CallOptions): Promise<DriverMachine[]> {
    const list = await this.call("list", opts, (abortSignal) => this.docker.listContainers({ all: true, abortSignal }));
    if (!Array.isArray(list)) throw this.malformed("list");
    return list.map((c) => this.fromListEntry(c));
  }

  async getCapacity(opts?: CallOptions): Promise<DriverHostCapacity[]> {
    const info = await this.call("info", opts, (abortSignal) => withOptions(this.docker.info.bind(this.docker))({ abortSignal }));
    if (!info || typeof info !== "object" || typeof info.NCPU !== "number" || typeof info.MemTotal !== "number") throw this.malformed("info");
    // The Engine API reports no size for the container storage: take the configured size,
    // else Podman's own figure for its graph root; without either the host offers no disk
    // and placement will not use it (set config.diskGb then).
    const disk = this.options.diskGb ?? (await this.podmanStorageGb(opts));
    return [
      {
        ref: String(info.ID || info.Name),
        name: String(info.Name || info.ID),
        vcpu: info.NCPU,
        memoryMb: Math.floor(info.MemTotal / (1024 * 1024)),
        diskGb: disk ? { [this.options.diskTier]: disk } : {},
      },
    ];
  }

  /** Size of Podman's container storage in GB (GET /v4.0.0/libpod/info: the libpod API wants a version prefix), or undefined elsewhere. */
  private async podmanStorageGb(opts?: CallOptions): Promise<number | undefined> {
    try {
      const info = await this.call("libpod info", opts, (abortSignal) =>
        new Promise<unknown>((resolve, reject) =>
          this.docker.modem.dial({ path: "/v4.0.0/libpod/info", method: "GET", statusCodes: { 200: true }, options: {}, abortSignal } as never, (err: unknown, data: unknown) =>
            err ? reject(err) : resolve(data),
          ),
        ),
      );
      const bytes = (info as { store?: { graphRootAllocated?: unknown } } | undefined)?.store?.graphRootAllocated;
      return typeof bytes === "number" && bytes > 0 ? Math.floor(bytes / 1024 ** 3) : undefined;
    } catch {
      return undefined; // not Podman, or no such figure: the configured size decides
    }
  }

  // --- backups (capability "backup") ----------------------------------------------------------
  // Export: `docker commit` (the container paused for the commit: a consistent file system)
  // into BACKUP_REPO, then `docker save` of that image streamed out ("docker-image-tar"); the
  // committed image is removed once the stream ends or fails. Restore: `docker load`, then the
  // container is recreated from the loaded image with the same name, labels and limits.

  /** Removes an image; one already gone or still used by a container is left alone. */
  private async removeImageQuietly(image: string): Promise<void> {
    try {
      await this.call("image remove", undefined, (abortSignal) => this.docker.getImage(image).remove({ abortSignal } as object));
    } catch {
      // gone already, or in use (409): nothing to clean
    }
  }

  /** Images left by an earlier export of this container that failed before its cleanup ran. */
  private async sweepStaleExports(containerId: string, opts?: CallOptions): Promise<void> {
    const images = await this.call("image list", opts, (abortSignal) => this.docker.listImages({ filters: { reference: [BACKUP_REPO] }, abortSignal } as Docker.ListImagesOptions));
    const prefix = `${BACKUP_REPO}:export-${containerId.slice(0, 12)}-`;
    for (const img of Array.isArray(images) ? images : []) {
      if ((img.RepoTags ?? []).some((t) => t.startsWith(prefix))) await this.removeImageQuietly(img.Id);
    }
  }

  async exportBackup(ref: string, opts?: CallOptions): Promise<BackupExport> {
    const info = await this.call("inspect", opts, (abortSignal) => this.docker.getContainer(ref).inspect({ abortSignal }));
    if (!info || typeof info.Id !== "string") throw this.malformed("inspect");
    await this.sweepStaleExports(info.Id, opts);
    const tag = `export-${info.Id.slice(0, 12)}-${Date.now().toString(36)}${randomBytes(3).toString("hex")}`;
    const image = `${BACKUP_REPO}:${tag}`;
    const cleanup = () => this.removeImageQuietly(image);
    try {
      await this.call(
        "commit",
        opts,
        (abortSignal) => this.docker.getContainer(info.Id).commit({ repo: BACKUP_REPO, tag, pause: true, comment: "Orquestra backup", abortSignal }),
        10 * 60_000,
      );
      const stream = await this.call("save", opts, () =>
        new Promise<NodeJS.ReadableStream>((resolve, reject) =>
          this.docker.modem.dial(
            { path: `/images/${encodeURIComponent(image)}/get`, method: "GET", isStream: true, statusCodes: { 200: true, 404: "no such image", 500: "server error" }, options: {}, abortSignal: opts?.signal } as never,
            (err: unknown, data: unknown) => (err ? reject(err) : resolve(data as NodeJS.ReadableStream)),
          ),
        ),
      );
      return { format: "docker-image-tar", stream: streamWithCleanup(stream, cleanup) };
    } catch (err) {
      // Committed, then the save failed (or the commit was cut short after the engine took it).
      await cleanup();
      throw err;
    }
  }

  /** `docker load` of a backup; answers the loaded image's id. */
  private async loadBackup(source: BackupSource, opts?: CallOptions): Promise<{ id: string; labels: Record<string, string> }> {
    if (source.format !== "docker-image-tar") throw new DriverError("UNSUPPORTED", `a Docker host cannot restore a "${source.format}" backup`, false);
    const out = await this.call(
      "load",
      opts,
      async (abortSignal) => {
        const res = await this.docker.loadImage(source.open(), { abortSignal, quiet: true });
        let text = "";
        for await (const chunk of res as AsyncIterable<Buffer>) text += chunk.toString("utf8");
        return text;
      },
      10 * 60_000,
    );
    const errorLine = /"error(?:Detail)?"\s*:\s*"([^"]+)"/.exec(out ?? "");
    if (errorLine) throw new DriverError("PROVIDER", `Docker load failed: ${errorLine[1]}`, false);
    const loaded = /Loaded image(?:\(s\))?(?: ID)?:\s*([^\s"\\]+)/.exec(out ?? "");
    if (!loaded) throw new DriverError("PROVIDER", "Docker load did not say which image it loaded", false);
    const img = await this.call("image inspect", opts, (abortSignal) => this.docker.getImage(loaded[1]).inspect({ abortSignal } as Docker.ListImagesOptions));
    if (!img || typeof img.Id !== "string") throw this.malformed("image inspect");
    return { id: img.Id, labels: img.Config?.Labels ?? {} };
  }

  private async inspectOrNull(ref: string, opts?: CallOptions): Promise<ContainerInspectInfo | null> {
    try {
      return await this.call("inspect", opts, (abortSignal) => this.docker.getContainer(ref).inspect({ abortSignal }));
    } catch (err) {
      if (err instanceof DriverError && err.code === "NOT_FOUND") return null;
      throw err;
    }
  }

  /**
   * Recreates the machine's container from the backup: a new container (same labels, limits,
   * hostname; marked with the loaded image) is created next to the old one, the old one is
   * removed, the new one takes the old name and starts. A retry finds the marked container and
   * only finishes the remaining steps: never two containers of one machine at the end.
   */
  async restoreBackup(ref: string, source: BackupSource, opts?: CallOptions): Promise<{ ref: string }> {
    const image = await this.loadBackup(source, opts);
    const current = await this.inspectOrNull(ref, opts);
    const machineId = current?.Config?.Labels?.[MACHINE_ID_LABEL] || image.labels[MACHINE_ID_LABEL];
    if (!machineId) throw new DriverError("NOT_FOUND", `Docker: container ${ref} is gone and the backup names no machine`, false);
    const list = async () =>
      (await this.call("list", opts, (abortSignal) => this.docker.listContainers({ all: true, filters: { label: [`${MACHINE_ID_LABEL}=${machineId}`] }, abortSignal }))).filter(
        (c) => c?.Labels?.[MACHINE_ID_LABEL] === machineId,
      );
    // The marker names the backup image AND the container it replaces: a retry (with the old
    // ref, gone or not) finds its own work; restoring the same backup again later is a new restore.
    const marker = `${image.id}@${current?.Id ?? ref}`;
    let containers = await list();
    let restored = containers.find((c) => c.Labels?.[RESTORED_FROM_LABEL] === marker);
    const template = current ?? (containers.find((c) => c !== restored) ? await this.inspectOrNull(containers.find((c) => c !== restored)!.Id, opts) : null);
    const name = template ? (template.Name ?? "").replace(/^\//, "") : restored?.Labels?.["orquestra.name"];
    if (!restored) {
      if (!template || !name) throw new DriverError("NOT_FOUND", `Docker: no container of machine ${machineId} to restore`, false);
      const host = template.HostConfig ?? ({} as ContainerInspectInfo["HostConfig"]);
      try {
        await this.call("create", opts, (abortSignal) =>
          this.docker.createContainer({
            name: safeName(`${name}-restore`, image.id.replace(/^sha256:/, "").slice(0, 12)),
            Image: image.id,
            Hostname: template.Config?.Hostname,
            Labels: { ...(template.Config?.Labels ?? {}), [RESTORED_FROM_LABEL]: marker, "orquestra.name": name },
            HostConfig: {
              ...(host.NanoCpus ? { NanoCpus: host.NanoCpus } : {}),
              ...(host.Memory ? { Memory: host.Memory } : {}),
              ...(this.options.networkMode ? { NetworkMode: this.options.networkMode } : {}),
            },
            abortSignal,
          }),
        );
      } catch (err) {
        if (!(err instanceof DriverError && err.message.startsWith("Docker conflict"))) throw err; // else: a concurrent attempt made it
      }
      containers = await list();
      restored = containers.find((c) => c.Labels?.[RESTORED_FROM_LABEL] === marker);
      if (!restored) throw new DriverError("PROVIDER", "Docker created the restored container but does not list it", true);
    }
    for (const c of containers.filter((c) => c.Id !== restored!.Id)) {
      await this.destroy(c.Id, opts);
    }
    if (name && (restored.Names?.[0] ?? "").replace(/^\//, "") !== name) {
      await this.call("rename", opts, (abortSignal) => this.docker.getContainer(restored!.Id).rename({ name, abortSignal }));
    }
    await this.start(restored.Id, opts);
    return { ref: restored.Id };
  }

  /** A new machine from a backup: the loaded image is its template (provision's idempotency by machine id). */
  async importBackup(spec: MachineSpec, source: BackupSource, idempotencyKey: string, opts?: CallOptions): Promise<DriverMachine> {
    const existing = await this.findContainerByMachineId(spec.machineId, opts);
    if (existing) return this.provision(spec, idempotencyKey, opts);
    const image = await this.loadBackup(source, opts);
    return this.createOrAdopt({ ...spec, templateRef: image.id }, idempotencyKey, { [RESTORED_FROM_LABEL]: image.id }, opts);
  }

  async testConnection(opts?: CallOptions): Promise<{ version?: string }> {
    const v = await this.call("version", opts, (abortSignal) => withOptions(this.docker.version.bind(this.docker))({ abortSignal }));
    if (!v || typeof v !== "object" || typeof v.Version !== "string") throw this.malformed("version");
    return { version: `${v.Components?.[0]?.Name ?? "Docker Engine"} ${v.Version} (API ${v.ApiVersion})` };
  }
}
