// LXD driver: system containers over LXD's REST API, on its unix socket (or HTTPS with a
// trusted client certificate). The template's native reference is a local image alias;
// the offering becomes limits.cpu, limits.memory and the root disk size; the instance
// carries the ownership keys `user.orquestra.machine-id` and `user.orquestra.installation-id`
// so a retried provision finds it, and so does a lookup by machine id when its name was lost.
// Snapshots are named after the requested name, so asking twice finds the first one. Background
// operations are followed to completion through /1.0/operations/<id>/wait.
import { createHash, randomBytes } from "node:crypto";
import { PassThrough } from "node:stream";
import { Agent, request } from "undici";
import WebSocket from "ws";
import { streamWithCleanup } from "../backup-stream";
import { deadline, safeName, snapshotName, toDriverError, transportError } from "../call";
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
  type DriverMachineState,
  type DriverSnapshot,
  type MachineMetricsReading,
  type MachineSpec,
} from "../types";
import { lxdProfile } from "./profile";

export const MACHINE_ID_KEY = "user.orquestra.machine-id";
export const INSTALLATION_ID_KEY = "user.orquestra.installation-id";
export const IDEMPOTENCY_KEY = "user.orquestra.idempotency-key";

/** The ownership tags in an instance's config (null: not created by Orquestra). */
export function ownershipOf(config: Record<string, string> | null | undefined): { machineId: string | null; installationId: string | null } {
  return { machineId: config?.[MACHINE_ID_KEY] || null, installationId: config?.[INSTALLATION_ID_KEY] || null };
}

/** LXD instance status into Orquestra's. */
export function mapLxdState(status: string | undefined): DriverMachineState {
  switch (status) {
    case "Running":
      return "RUNNING";
    case "Stopped":
      return "STOPPED";
    case "Frozen":
      return "PAUSED";
    case "Starting":
    case "Stopping":
    case "Freezing":
    case "Thawing":
    case "Aborting":
    case "Restarting":
      return "PENDING";
    case "Error":
    case "Broken":
      return "ERROR";
    default:
      return "UNKNOWN";
  }
}

/** "64MiB", "2GiB", "1GB", "512MB" -> MiB. */
export function parseLxdSize(value: string | undefined): number | undefined {
  if (!value) return undefined;
  const m = /^(\d+(?:\.\d+)?)\s*(B|kB|KB|MB|GB|TB|KiB|MiB|GiB|TiB)?$/.exec(value.trim());
  if (!m) return undefined;
  const n = Number(m[1]);
  const unit = m[2] ?? "B";
  const bytes: Record<string, number> = {
    B: 1,
    kB: 1e3,
    KB: 1e3,
    MB: 1e6,
    GB: 1e9,
    TB: 1e12,
    KiB: 1024,
    MiB: 1024 ** 2,
    GiB: 1024 ** 3,
    TiB: 1024 ** 4,
  };
  return Math.round((n * bytes[unit]) / 1024 ** 2);
}

/**
 * Where LXD reads cloud-init user data: `cloud-init.user-data` on servers with the "cloud_init"
 * API extension (LXD 5.0+), the older `user.user-data` before that.
 */
export type CloudInitKey = "cloud-init.user-data" | "user.user-data";

/** The instance body LXD gets for a spec (pure, unit-tested). */
export function instanceBody(spec: MachineSpec, idempotencyKey: string, pool: string, cloudInitKey: CloudInitKey = "cloud-init.user-data") {
  return {
    name: safeName(spec.name, spec.machineId),
    type: "container",
    source: { type: "image", alias: spec.templateRef },
    config: {
      "limits.cpu": String(spec.vcpu),
      "limits.memory": `${spec.memoryMb}MiB`,
      [MACHINE_ID_KEY]: spec.machineId,
      [INSTALLATION_ID_KEY]: spec.installationId,
      [IDEMPOTENCY_KEY]: idempotencyKey,
      ...(spec.userData ? { [cloudInitKey]: spec.userData } : {}),
    },
    devices: { root: { type: "disk", path: "/", pool, size: `${spec.diskGb}GiB` } },
  };
}

interface LxdEnvelope<T> {
  type: "sync" | "async" | "error";
  status_code?: number;
  error_code?: number;
  error?: string;
  operation?: string;
  metadata: T;
}

interface LxdInstance {
  name: string;
  status: string;
  config?: Record<string, string>;
  expanded_config?: Record<string, string>;
  expanded_devices?: Record<string, Record<string, string>>;
  location?: string;
  state?: { network?: Record<string, { addresses?: { family: string; address: string; scope: string }[] }> } | null;
}

interface LxdSnapshot {
  name: string;
  created_at?: string;
}

interface LxdOperation {
  id: string;
  status: string;
  status_code: number;
  err: string;
  metadata?: Record<string, unknown> | null;
}

interface LxdStateDoc {
  cpu?: { usage?: number };
  memory?: { usage?: number; total?: number };
  network?: Record<string, { counters?: { bytes_received?: number; bytes_sent?: number } }> | null;
}

const n0 = (v: unknown) => (typeof v === "number" && Number.isFinite(v) && v >= 0 ? v : 0);

export function lxdStateReading(st: LxdStateDoc, at: Date): MachineMetricsReading {
  if (!st || typeof st !== "object" || typeof st.cpu?.usage !== "number") throw new DriverError("PROVIDER", "LXD answered the instance state without CPU usage", false);
  let netInBytes = 0;
  let netOutBytes = 0;
  for (const [name, nic] of Object.entries(st.network ?? {})) {
    if (name === "lo") continue;
    netInBytes += n0(nic?.counters?.bytes_received);
    netOutBytes += n0(nic?.counters?.bytes_sent);
  }
  const total = n0(st.memory?.total);
  return { at, cpuTimeNs: st.cpu.usage, memoryUsedBytes: n0(st.memory?.usage), memoryTotalBytes: total > 0 ? total : undefined, diskReadBytes: 0, diskWriteBytes: 0, netInBytes, netOutBytes };
}

/** Start of the marker the console's shell command prints when the shell exits (an OSC sequence terminals ignore). */
const EXIT_MARKER_PREFIX = "\x1b]7770;orq-exit;";

/**
 * Takes the console's output chunk by chunk and answers what to pass on: the exit marker
 * (ESC ] 7770;orq-exit;<nonce>;<status> BEL) is taken out, `onExit` gets the status, and what
 * follows it is dropped (the session ends). A marker split across chunks is held back until whole.
 */
export function exitMarkerScanner(nonce: string, onExit: (status: number) => void): (chunk: Buffer) => Buffer {
  const prefix = Buffer.from(`${EXIT_MARKER_PREFIX}${nonce};`, "latin1");
  let held = Buffer.alloc(0);
  let done = false;
  return (chunk) => {
    if (done) return Buffer.alloc(0);
    const buf = Buffer.concat([held, chunk]);
    held = Buffer.alloc(0);
    const at = buf.indexOf(prefix);
    if (at >= 0) {
      const end = buf.indexOf(0x07, at + prefix.length);
      const digits = buf.subarray(at + prefix.length, end < 0 ? buf.length : end).toString("latin1");
      if (end >= 0 && /^\d{1,3}$/.test(digits)) {
        done = true;
        onExit(Number(digits));
        return buf.subarray(0, at);
      }
      if (end < 0 && /^\d{0,3}$/.test(digits)) {
        held = buf.subarray(at);
        return buf.subarray(0, at);
      }
      return buf; // not a marker after all
    }
    // The end of the chunk may be the start of a marker: hold it back.
    for (let k = Math.min(prefix.length - 1, buf.length); k > 0; k--) {
      if (buf.subarray(buf.length - k).equals(prefix.subarray(0, k))) {
        held = buf.subarray(buf.length - k);
        return buf.subarray(0, buf.length - k);
      }
    }
    return buf;
  };
}

export class LxdDriver implements Driver {
  readonly kind = "LXD" as const;
  readonly capabilities: ReadonlySet<Capability> = new Set<Capability>(lxdProfile.capabilities);
  private readonly agent: Agent;
  private readonly origin: string;
  /** How the console's WebSockets reach LXD (the same socket or TLS identity as the REST calls). */
  private readonly wsTarget: { socketPath: string } | { origin: string; tls: { cert?: string; key?: string; ca?: string; rejectUnauthorized: boolean } };
  private readonly pool: string;
  private readonly stopTimeoutSeconds: number;
  private readonly callTimeoutMs: number;

  constructor(config: DriverConfig) {
    const e = config.endpoint.trim();
    const socketPath = e.startsWith("unix://") ? e.slice("unix://".length) : e.startsWith("/") ? e : undefined;
    if (socketPath) {
      this.agent = new Agent({ connect: { socketPath } });
      this.origin = "http://lxd";
      this.wsTarget = { socketPath };
    } else if (/^https:\/\//.test(e)) {
      const c = config.credentials;
      this.agent = new Agent({ connect: { cert: c.cert, key: c.key, ca: c.ca, rejectUnauthorized: Boolean(c.ca) } });
      this.origin = e.replace(/\/+$/, "");
      this.wsTarget = { origin: this.origin.replace(/^https:/, "wss:"), tls: { cert: c.cert, key: c.key, ca: c.ca, rejectUnauthorized: Boolean(c.ca) } };
    } else {
      throw new DriverError("PROVIDER", `unsupported LXD endpoint "${config.endpoint}" (use unix:///path or https://host:8443)`, false);
    }
    const c = config.config;
    this.pool = typeof c.storagePool === "string" ? c.storagePool : "default";
    this.stopTimeoutSeconds = typeof c.stopTimeoutSeconds === "number" ? c.stopTimeoutSeconds : 20;
    this.callTimeoutMs = typeof c.callTimeoutMs === "number" ? c.callTimeoutMs : 60_000;
  }

  /** Clean-ups of failed backup exports still running (see exportBackup). */
  private readonly pendingCleanups = new Set<Promise<void>>();

  /** Closes the connections to LXD (in-flight calls, if any, are cut; a failed export's clean-up gets up to 30 s). */
  async close(): Promise<void> {
    if (this.pendingCleanups.size) await Promise.race([Promise.all(this.pendingCleanups), new Promise((r) => setTimeout(r, 30_000).unref())]);
    await this.agent.destroy();
  }

  /**
   * A shell in the running instance (capability "console"): an interactive exec whose
   * terminal LXD serves on two WebSockets of the operation, the terminal's bytes ("0") and
   * its control channel (window size). bash when the image has it, else sh.
   */
  async openConsole(ref: string, opts?: ConsoleOptions): Promise<ConsoleSession> {
    const signal = deadline(opts, this.callTimeoutMs);
    const size = (v: number | undefined, d: number) => String(Math.max(1, Math.min(1000, Math.floor(v ?? d))));
    // The session's own marker: output cannot end the session by printing another one.
    const nonce = randomBytes(8).toString("hex");
    let env: LxdEnvelope<{ metadata?: { fds?: Record<string, string> } }>;
    try {
      const res = await request(`${this.origin}/1.0/instances/${encodeURIComponent(ref)}/exec`, {
        method: "POST",
        dispatcher: this.agent,
        signal,
        headers: { "content-type": "application/json" },
        body: JSON.stringify({
          // Not exec'd: when the shell exits, a marker with its status follows (exitMarker).
          command: ["/bin/sh", "-c", `if command -v bash >/dev/null 2>&1; then bash; else sh; fi; printf '${EXIT_MARKER_PREFIX.replace("\x1b", "\\033")}${nonce};%d\\007' "$?"`],
          environment: { TERM: "xterm-256color", HOME: "/root" },
          "wait-for-websocket": true,
          interactive: true,
          width: Number(size(opts?.cols, 80)),
          height: Number(size(opts?.rows, 24)),
        }),
      });
      env = JSON.parse(await res.body.text()) as typeof env;
      if (env?.type === "error") throw this.apiError(env.error_code ?? res.statusCode, env.error ?? "", "exec");
    } catch (err) {
      if (err instanceof DriverError) throw err;
      if (err instanceof SyntaxError) throw new DriverError("PROVIDER", "LXD answered exec with malformed data", false);
      throw transportError(err, "LXD endpoint (exec)", signal) ?? toDriverError(err, "LXD exec", signal);
    }
    const fds = env.metadata?.metadata?.fds;
    if (env.type !== "async" || typeof env.operation !== "string" || !fds?.["0"] || !fds.control) throw new DriverError("PROVIDER", "LXD answered exec without its terminal", false);
    const connect = (secret: string) => {
      const path = `${env.operation}/websocket?secret=${encodeURIComponent(secret)}`;
      const t = this.wsTarget;
      const ws = "socketPath" in t ? new WebSocket(`ws+unix://${t.socketPath}:${path}`) : new WebSocket(`${t.origin}${path}`, t.tls);
      return new Promise<WebSocket>((resolve, reject) => {
        // The opening deadline covers the opening only: once open, the socket lives as long as
        // the session (a listener left on the signal used to cut every console after 20 s).
        const onAbort = () => (ws.terminate(), fail(new Error("timed out")));
        const fail = (err: Error) => {
          signal.removeEventListener("abort", onAbort);
          reject(transportError(err, "LXD endpoint (exec)", signal) ?? new DriverError("PROVIDER", `LXD exec: ${err.message}`, false));
        };
        ws.once("open", () => {
          signal.removeEventListener("abort", onAbort);
          ws.off("error", fail);
          resolve(ws);
        });
        ws.once("error", fail);
        signal.addEventListener("abort", onAbort, { once: true });
      });
    };
    const settled = await Promise.allSettled([connect(fds["0"]), connect(fds.control)]);
    const failed = settled.find((r) => r.status === "rejected");
    if (failed) {
      for (const r of settled) if (r.status === "fulfilled") r.value.terminate();
      throw failed.reason;
    }
    const [data, control] = settled.map((r) => (r as PromiseFulfilledResult<WebSocket>).value);
    const output = new PassThrough();
    let exitStatus: number | null = null;
    // LXD 5.0.2 neither ends the exec operation nor closes the terminal's socket when the shell
    // exits (LXD waits on the terminal mirror), so the command prints a marker with the shell's
    // status after it: seen here, it is taken out of the output and ends the session.
    const marker = exitMarkerScanner(nonce, (status) => {
      exitStatus = status;
      void close();
    });
    data.on("message", (chunk: Buffer, isBinary: boolean) => {
      if (!(isBinary || chunk.length) || output.writableEnded) return;
      const text = marker(chunk);
      if (text.length) output.write(text);
    });
    let closed = false;
    const ended = new AbortController();
    const close = async () => {
      if (closed) return;
      closed = true;
      ended.abort();
      // The control channel's close ends the command (LXD sends it SIGHUP).
      data.close();
      control.close();
      output.end();
    };
    data.on("close", () => void close());
    data.on("error", () => void close());
    control.on("error", () => undefined);
    // LXD keeps the terminal's WebSocket open after the shell exits: the operation ending is
    // what says so (the lxc client watches it the same way). Then the data socket is closed
    // politely (what it still carries arrives first), and the session ends.
    const operation = env.operation;
    void this.waitOperation(operation, ended.signal, "exec")
      .catch(() => undefined)
      .then((op) => {
        const ret = op?.metadata?.return;
        if (exitStatus === null && typeof ret === "number") exitStatus = ret;
        if (closed) return;
        data.close(1000);
        setTimeout(() => void close(), 2000).unref();
      });
    return {
      kind: "shell",
      output,
      write: (buf) => {
        if (!closed && data.readyState === WebSocket.OPEN) data.send(buf, { binary: true });
      },
      resize: async (cols, rows) => {
        if (!closed && control.readyState === WebSocket.OPEN) control.send(JSON.stringify({ command: "window-resize", args: { width: size(cols, 80), height: size(rows, 24) } }));
      },
      close,
      exitStatus: () => exitStatus,
    };
  }

  /** One REST call: the envelope's metadata for sync answers, the operation followed for async ones. */
  private async api<T>(method: string, path: string, body: unknown, opts: CallOptions | undefined, what: string, onOperation?: (operation: string) => void): Promise<T> {
    const signal = deadline(opts, this.callTimeoutMs);
    let env: LxdEnvelope<T>;
    try {
      const res = await request(`${this.origin}${path}`, {
        method: method as "GET",
        dispatcher: this.agent,
        signal,
        headers: body === undefined ? {} : { "content-type": "application/json" },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await res.body.text();
      try {
        env = JSON.parse(text) as LxdEnvelope<T>;
      } catch {
        throw new DriverError("PROVIDER", `LXD answered ${what} with malformed data (HTTP ${res.statusCode})`, false);
      }
      if (!env || typeof env !== "object" || !["sync", "async", "error"].includes(env.type)) {
        throw new DriverError("PROVIDER", `LXD answered ${what} with an unexpected document`, false);
      }
      if (env.type === "error") throw this.apiError(env.error_code ?? res.statusCode, env.error ?? "", what);
    } catch (err) {
      if (err instanceof DriverError) throw err;
      throw transportError(err, `LXD endpoint (${what})`, signal) ?? toDriverError(err, `LXD ${what}`, signal);
    }
    if (env.type === "async") {
      if (typeof env.operation !== "string") throw new DriverError("PROVIDER", `LXD answered ${what} without an operation`, false);
      onOperation?.(env.operation);
      return (await this.waitOperation(env.operation, signal, what)) as T;
    }
    return env.metadata;
  }

  /** Follows a background operation until it ends (or the deadline passes). */
  private async waitOperation(operation: string, signal: AbortSignal, what: string): Promise<LxdOperation> {
    for (;;) {
      if (signal.aborted) throw new DriverError("TIMEOUT", `LXD ${what} did not finish in time`);
      // Each wait is bounded server-side too, so an aborted client leaves no hung request.
      const op = await this.api<LxdOperation>("GET", `${operation}/wait?timeout=10`, undefined, { signal }, what);
      if (!op || typeof op.status !== "string") throw new DriverError("PROVIDER", `LXD answered ${what} with a malformed operation`, false);
      if (op.status === "Success") return op;
      if (op.status === "Failure" || op.status === "Cancelled") throw this.apiError(op.status_code >= 400 ? op.status_code : 500, op.err, what);
    }
  }

  private apiError(code: number, message: string, what: string): DriverError {
    if (code === 401 || code === 403) return new DriverError("AUTH", `LXD refused ${what}: ${message || "not trusted"}`, false);
    if (code === 404) return new DriverError("NOT_FOUND", `LXD: ${message || "not found"} (${what})`, false);
    if (/no space left|not enough|insufficient/i.test(message)) return new DriverError("CAPACITY", `LXD: ${message}`, false);
    if (code === 409) return new DriverError("PROVIDER", `LXD conflict in ${what}: ${message}`, true);
    return new DriverError("PROVIDER", `LXD ${what} failed: ${message}`, code >= 500);
  }

  private toMachine(i: LxdInstance): DriverMachine {
    if (!i || typeof i.name !== "string" || typeof i.status !== "string") throw new DriverError("PROVIDER", "LXD answered with a malformed instance", false);
    const cfg = i.expanded_config ?? i.config ?? {};
    const cpu = Number(cfg["limits.cpu"]);
    const root = i.expanded_devices?.root;
    const ip = Object.entries(i.state?.network ?? {})
      .filter(([name]) => name !== "lo")
      .flatMap(([, n]) => n.addresses ?? [])
      .find((a) => a.family === "inet" && a.scope === "global")?.address;
    return {
      ref: i.name,
      ...ownershipOf(cfg),
      name: i.name,
      state: mapLxdState(i.status),
      vcpu: Number.isFinite(cpu) && cpu > 0 ? cpu : undefined,
      memoryMb: parseLxdSize(cfg["limits.memory"]),
      diskGb: root?.size ? Math.round((parseLxdSize(root.size) ?? 0) / 1024) : undefined,
      hostRef: i.location && i.location !== "none" ? i.location : null,
      ipAddress: ip ?? null,
    };
  }

  private async instances(opts?: CallOptions): Promise<LxdInstance[]> {
    const list = await this.api<LxdInstance[]>("GET", "/1.0/instances?recursion=1", undefined, opts, "list");
    if (!Array.isArray(list)) throw new DriverError("PROVIDER", "LXD answered list with malformed data", false);
    return list;
  }

  private cloudInitKeyOfServer?: CloudInitKey;
  /** The server's cloud-init config key (read once from its API extensions). */
  private async cloudInitKey(opts?: CallOptions): Promise<CloudInitKey> {
    if (!this.cloudInitKeyOfServer) {
      const server = await this.api<{ api_extensions?: string[] }>("GET", "/1.0", undefined, opts, "server");
      this.cloudInitKeyOfServer = server.api_extensions?.includes("cloud_init") ? "cloud-init.user-data" : "user.user-data";
    }
    return this.cloudInitKeyOfServer;
  }

  private path(ref: string) {
    return `/1.0/instances/${encodeURIComponent(ref)}`;
  }

  async provision(spec: MachineSpec, idempotencyKey: string, opts?: CallOptions): Promise<DriverMachine> {
    const find = async () => (await this.instances(opts)).find((i) => (i.config?.[MACHINE_ID_KEY] ?? i.expanded_config?.[MACHINE_ID_KEY]) === spec.machineId);
    let existing = await find();
    if (!existing) {
      try {
        const key = spec.userData ? await this.cloudInitKey(opts) : undefined;
        await this.api("POST", "/1.0/instances", instanceBody(spec, idempotencyKey, this.pool, key), opts, "create");
      } catch (err) {
        if (err instanceof DriverError && err.code === "NOT_FOUND") {
          throw new DriverError("NOT_FOUND", `image alias "${spec.templateRef}" is not on this LXD server`, false);
        }
        // A concurrent attempt may have created it (409 "already exists"): adopt it below.
        if (!(err instanceof DriverError && /already exists/i.test(err.message))) throw err;
      }
      existing = await find();
      if (!existing) throw new DriverError("PROVIDER", "LXD created the instance but does not list it", true);
    }
    if (mapLxdState(existing.status) !== "RUNNING") await this.start(existing.name, opts);
    return this.getMachine(existing.name, opts);
  }

  /**
   * The instance state (GET /1.0/instances/{name}/state): CPU time, memory in use, network
   * counters. LXD 5.0 reports no disk I/O counters (only space used): disk amounts are 0.
   */
  async metrics(ref: string, opts?: CallOptions): Promise<MachineMetricsReading> {
    const st = await this.api<LxdStateDoc>("GET", `${this.path(ref)}/state`, undefined, opts, "state");
    return lxdStateReading(st, new Date());
  }

  async getMachine(ref: string, opts?: CallOptions): Promise<DriverMachine> {
    const i = await this.api<LxdInstance>("GET", `${this.path(ref)}?recursion=1`, undefined, opts, "get");
    return this.toMachine(i);
  }

  private async setState(ref: string, action: "start" | "stop" | "restart", force: boolean, opts?: CallOptions) {
    await this.api("PUT", `${this.path(ref)}/state`, { action, timeout: this.stopTimeoutSeconds, force }, opts, action);
  }

  async start(ref: string, opts?: CallOptions): Promise<void> {
    const m = await this.getMachine(ref, opts);
    if (m.state === "RUNNING") return;
    await this.setState(ref, "start", false, opts);
  }

  async stop(ref: string, opts?: CallOptions): Promise<void> {
    const m = await this.getMachine(ref, opts);
    if (m.state === "STOPPED") return;
    try {
      await this.setState(ref, "stop", false, opts);
    } catch (err) {
      // The guest ignored the graceful request within the timeout: force it.
      if (!(err instanceof DriverError) || err.code === "TIMEOUT" || err.code === "AUTH" || err.code === "NOT_FOUND") throw err;
      await this.setState(ref, "stop", true, opts);
    }
  }

  async reboot(ref: string, opts?: CallOptions): Promise<void> {
    try {
      await this.setState(ref, "restart", false, opts);
    } catch (err) {
      if (!(err instanceof DriverError) || err.code === "TIMEOUT" || err.code === "AUTH" || err.code === "NOT_FOUND") throw err;
      await this.setState(ref, "restart", true, opts);
    }
  }

  async destroy(ref: string, opts?: CallOptions): Promise<void> {
    try {
      const m = await this.getMachine(ref, opts);
      if (m.state !== "STOPPED") await this.setState(ref, "stop", true, opts);
      await this.api("DELETE", this.path(ref), undefined, opts, "delete");
    } catch (err) {
      if (err instanceof DriverError && err.code === "NOT_FOUND") return; // already gone
      throw err;
    }
  }

  async resize(ref: string, size: { vcpu: number; memoryMb: number; diskGb?: number }, opts?: CallOptions): Promise<void> {
    const body: { config: Record<string, string>; devices?: unknown } = {
      config: { "limits.cpu": String(size.vcpu), "limits.memory": `${size.memoryMb}MiB` },
    };
    if (size.diskGb) {
      const current = await this.api<LxdInstance>("GET", this.path(ref), undefined, opts, "get");
      const root = current.expanded_devices?.root ?? { type: "disk", path: "/", pool: this.pool };
      body.devices = { root: { ...root, size: `${size.diskGb}GiB` } };
    }
    await this.api("PATCH", this.path(ref), body, opts, "resize");
  }

  private snapshotPath(ref: string, snap: string) {
    return `${this.path(ref)}/snapshots/${encodeURIComponent(snap)}`;
  }

  private async findSnapshot(ref: string, snap: string, opts?: CallOptions): Promise<LxdSnapshot | undefined> {
    try {
      return await this.api<LxdSnapshot>("GET", this.snapshotPath(ref, snap), undefined, opts, "snapshot get");
    } catch (err) {
      if (err instanceof DriverError && err.code === "NOT_FOUND") {
        await this.getMachine(ref, opts); // the instance itself missing is NOT_FOUND for the caller
        return undefined;
      }
      throw err;
    }
  }

  /**
   * Idempotent by name: the snapshot is named after `name`, so a retried call finds the one
   * the first call took. (LXD snapshots have no field of their own to record the caller's
   * idempotency key in; the name is the key.)
   */
  async snapshot(ref: string, name: string, opts?: CallOptions): Promise<DriverSnapshot> {
    const snap = snapshotName(name);
    let found = await this.findSnapshot(ref, snap, opts);
    if (!found) {
      try {
        await this.api("POST", `${this.path(ref)}/snapshots`, { name: snap, stateful: false }, opts, "snapshot");
      } catch (err) {
        // A concurrent attempt took it first: that snapshot is the answer.
        if (!(err instanceof DriverError && /already exists/i.test(err.message))) throw err;
      }
      found = await this.findSnapshot(ref, snap, opts);
      if (!found) throw new DriverError("PROVIDER", `LXD took snapshot ${snap} but does not show it`, true);
    }
    return { ref: snap, name, createdAt: found.created_at ? new Date(found.created_at) : undefined };
  }

  async listSnapshots(ref: string, opts?: CallOptions): Promise<DriverSnapshot[]> {
    const list = await this.api<LxdSnapshot[]>("GET", `${this.path(ref)}/snapshots?recursion=1`, undefined, opts, "snapshot list");
    if (!Array.isArray(list)) throw new DriverError("PROVIDER", "LXD answered snapshot list with malformed data", false);
    return list
      .filter((s) => s && typeof s.name === "string")
      .map((s) => ({ ref: s.name, name: s.name, createdAt: s.created_at ? new Date(s.created_at) : undefined }));
  }

  async revertSnapshot(ref: string, snapshotRef: string, opts?: CallOptions): Promise<void> {
    await this.api("PUT", this.path(ref), { restore: snapshotRef }, opts, "snapshot revert");
  }

  async deleteSnapshot(ref: string, snapshotRef: string, opts?: CallOptions): Promise<void> {
    try {
      await this.api("DELETE", this.snapshotPath(ref, snapshotRef), undefined, opts, "snapshot delete");
    } catch (err) {
      if (err instanceof DriverError && err.code === "NOT_FOUND") return;
      throw err;
    }
  }

  async listMachines(opts?: CallOptions): Promise<DriverMachine[]> {
    return (await this.instances(opts)).map((i) => this.toMachine(i));
  }

  async findByMachineId(machineId: string, opts?: CallOptions): Promise<DriverMachine | null> {
    // LXD cannot filter on a config value server-side (not in 5.0): list and pick.
    const found = (await this.instances(opts)).find((i) => ownershipOf(i.expanded_config ?? i.config).machineId === machineId);
    if (!found) return null;
    try {
      return await this.getMachine(found.name, opts);
    } catch (err) {
      if (err instanceof DriverError && err.code === "NOT_FOUND") return null; // deleted meanwhile
      throw err;
    }
  }

  async getCapacity(opts?: CallOptions): Promise<DriverHostCapacity[]> {
    const server = await this.api<{ environment?: { server_name?: string } }>("GET", "/1.0", undefined, opts, "server");
    const res = await this.api<{ cpu?: { total?: number }; memory?: { total?: number } }>("GET", "/1.0/resources", undefined, opts, "resources");
    if (!res || typeof res.cpu?.total !== "number" || typeof res.memory?.total !== "number") {
      throw new DriverError("PROVIDER", "LXD answered resources with malformed data", false);
    }
    let diskGb: number | undefined;
    try {
      const pool = await this.api<{ space?: { total?: number; used?: number } }>("GET", `/1.0/storage-pools/${encodeURIComponent(this.pool)}/resources`, undefined, opts, "pool");
      if (typeof pool?.space?.total === "number") diskGb = Math.floor(pool.space.total / 1024 ** 3);
    } catch (err) {
      if (!(err instanceof DriverError && err.code === "NOT_FOUND")) throw err;
    }
    const name = server?.environment?.server_name ?? "lxd";
    return [{ ref: name, name, vcpu: res.cpu.total, memoryMb: Math.floor(res.memory.total / 1024 ** 2), diskGb: diskGb === undefined ? {} : { SSD: diskGb } }];
  }

  // --- backups (capability "backup") ----------------------------------------------------------
  // Export: an instance backup (POST /1.0/instances/<name>/backups, instance only, expiring
  // in a day so that even a lost cleanup is bounded), streamed from its export endpoint
  // ("lxd-backup-tar") and deleted once read or failed. Restore: the tarball is imported
  // (POST /1.0/instances, application/octet-stream) under a side name, the old instance is
  // deleted and the new one renamed into its place. Import: the tarball under the new
  // machine's name, its ownership keys and limits rewritten.

  private backupPath(ref: string, backup: string) {
    return `${this.path(ref)}/backups/${encodeURIComponent(backup)}`;
  }

  private async deleteBackupQuietly(ref: string, backup: string): Promise<void> {
    try {
      await this.api("DELETE", this.backupPath(ref, backup), undefined, undefined, "backup delete");
    } catch {
      // gone already (or the instance with it); the backup's expiry removes what is left
    }
  }

  async exportBackup(ref: string, opts?: CallOptions): Promise<BackupExport> {
    const name = `orquestra-${Date.now().toString(36)}${randomBytes(3).toString("hex")}`;
    const expires = new Date(Date.now() + 24 * 3600_000).toISOString();
    let operation: string | undefined;
    const cleanup = () => this.deleteBackupQuietly(ref, name);
    try {
      await this.api(
        "POST",
        `${this.path(ref)}/backups`,
        { name, expires_at: expires, instance_only: true, optimized_storage: false },
        { signal: deadline(opts, Math.max(this.callTimeoutMs, 10 * 60_000)) },
        "backup",
        (op) => (operation = op),
      );
      const signal = opts?.signal;
      let res: Awaited<ReturnType<typeof request>>;
      try {
        res = await request(`${this.origin}${this.backupPath(ref, name)}/export`, { method: "GET", dispatcher: this.agent, signal });
      } catch (err) {
        throw transportError(err, "LXD endpoint (backup export)", signal) ?? toDriverError(err, "LXD backup export", signal);
      }
      if (res.statusCode !== 200) {
        const text = await res.body.text().catch(() => "");
        let msg = text.slice(0, 200);
        try {
          msg = (JSON.parse(text) as { error?: string }).error ?? msg;
        } catch {
          // not JSON
        }
        throw this.apiError(res.statusCode, msg, "backup export");
      }
      return { format: "lxd-backup-tar", stream: streamWithCleanup(res.body, cleanup) };
    } catch (err) {
      // The caller gave up while LXD was still writing the backup: LXD goes on (a backup
      // operation cannot be cancelled), so wait for it to end, then delete what it made.
      // In the background (the caller's failure is not held up); close() waits for it.
      const pending = (async () => {
        if (operation) {
          await this.waitOperation(operation, deadline(undefined, 10 * 60_000), "backup").catch(() => {});
          await cleanup();
          return;
        }
        // Cut before LXD's answer named the operation: the request may still have arrived.
        // Look for the backup for a while (LXD records it when it starts) and delete it when
        // its operation is over.
        const until = Date.now() + 15_000;
        while (Date.now() < until) {
          type Op = { id: string; status: string; resources?: Record<string, string[]> };
          // recursion=1 answers { running: [...], success: [...] } (by status).
          const ops: Op[] = await this.api<Record<string, Op[]> | Op[]>("GET", "/1.0/operations?recursion=1", undefined, undefined, "operations")
            .then((o) => (Array.isArray(o) ? o : Object.values(o ?? {}).flat()))
            .catch(() => []);
          const mine = ops.find((o) => o?.status === "Running" && Object.values(o.resources ?? {}).flat().some((r) => r.endsWith(`/backups/${name}`)));
          if (mine) await this.waitOperation(`/1.0/operations/${mine.id}`, deadline(undefined, 10 * 60_000), "backup").catch(() => {});
          const exists = await this.api("GET", this.backupPath(ref, name), undefined, undefined, "backup get").then(
            () => true,
            () => false,
          );
          if (exists) {
            await cleanup();
            return;
          }
          await new Promise((r) => setTimeout(r, 500));
        }
      })();
      this.pendingCleanups.add(pending);
      void pending.finally(() => this.pendingCleanups.delete(pending));
      throw err;
    }
  }

  private async getOrNull(ref: string, opts?: CallOptions): Promise<LxdInstance | null> {
    try {
      return await this.api<LxdInstance>("GET", this.path(ref), undefined, opts, "get");
    } catch (err) {
      if (err instanceof DriverError && err.code === "NOT_FOUND") return null;
      throw err;
    }
  }

  /** Creates instance `name` from a backup tarball (stopped, as the backup was taken: instance only). */
  private async importTarball(source: BackupSource, name: string, opts?: CallOptions): Promise<void> {
    if (source.format !== "lxd-backup-tar") throw new DriverError("UNSUPPORTED", `an LXD server cannot restore a "${source.format}" backup`, false);
    const signal = deadline(opts, Math.max(this.callTimeoutMs, 10 * 60_000));
    let env: LxdEnvelope<unknown>;
    try {
      const res = await request(`${this.origin}/1.0/instances`, {
        method: "POST",
        dispatcher: this.agent,
        signal,
        headers: { "content-type": "application/octet-stream", "x-lxd-name": name, "x-lxd-pool": this.pool },
        body: source.open() as import("node:stream").Readable,
      });
      const text = await res.body.text();
      try {
        env = JSON.parse(text) as LxdEnvelope<unknown>;
      } catch {
        throw new DriverError("PROVIDER", `LXD answered backup import with malformed data (HTTP ${res.statusCode})`, false);
      }
      if (env.type === "error") throw this.apiError(env.error_code ?? res.statusCode, env.error ?? "", "backup import");
    } catch (err) {
      if (err instanceof DriverError) throw err;
      throw transportError(err, "LXD endpoint (backup import)", signal) ?? toDriverError(err, "LXD backup import", signal);
    }
    if (env.type !== "async" || typeof env.operation !== "string") throw new DriverError("PROVIDER", "LXD answered backup import without an operation", false);
    await this.waitOperation(env.operation, signal, "backup import");
  }

  /**
   * Replaces the instance with the backup under the same name. The backup is imported under a
   * side name first, so the machine exists at every step; a retry after any step finishes
   * the job (both present: the side copy is redone; only the side copy: it takes the name).
   */
  async restoreBackup(ref: string, source: BackupSource, opts?: CallOptions): Promise<{ ref: string }> {
    const side = safeName(`${ref}-restore`, createHash("sha256").update(ref).digest("hex").slice(0, 8));
    const current = await this.getOrNull(ref, opts);
    if (current) {
      if (await this.getOrNull(side, opts)) await this.destroy(side, opts);
      await this.importTarball(source, side, opts);
      await this.destroy(ref, opts);
    } else if (!(await this.getOrNull(side, opts))) {
      throw new DriverError("NOT_FOUND", `LXD: instance ${ref} not found (backup restore)`, false);
    }
    await this.api("POST", this.path(side), { name: ref }, opts, "rename");
    await this.start(ref, opts);
    return { ref };
  }

  async importBackup(spec: MachineSpec, source: BackupSource, idempotencyKey: string, opts?: CallOptions): Promise<DriverMachine> {
    const name = safeName(spec.name, spec.machineId);
    const mine = (await this.instances(opts)).find((i) => ownershipOf(i.config ?? i.expanded_config).machineId === spec.machineId);
    if (!mine) {
      // The name carries the machine id: an instance by that name is an earlier attempt's import.
      if (!(await this.getOrNull(name, opts))) {
        try {
          await this.importTarball(source, name, opts);
        } catch (err) {
          if (!(err instanceof DriverError && /already exists/i.test(err.message))) throw err;
        }
      }
      // The tarball carries the backed-up machine's keys: the new machine takes its own.
      await this.api(
        "PATCH",
        this.path(name),
        {
          config: {
            "limits.cpu": String(spec.vcpu),
            "limits.memory": `${spec.memoryMb}MiB`,
            [MACHINE_ID_KEY]: spec.machineId,
            [INSTALLATION_ID_KEY]: spec.installationId,
            [IDEMPOTENCY_KEY]: idempotencyKey,
          },
        },
        opts,
        "backup import tags",
      );
    }
    const ref = mine?.name ?? name;
    await this.start(ref, opts);
    return this.getMachine(ref, opts);
  }

  async testConnection(opts?: CallOptions): Promise<{ version?: string }> {
    const s = await this.api<{ auth?: string; api_version?: string; environment?: { server_version?: string } }>("GET", "/1.0", undefined, opts, "connect");
    if (!s || typeof s !== "object" || typeof s.api_version !== "string") throw new DriverError("PROVIDER", "LXD answered connect with malformed data", false);
    if (s.auth !== "trusted") throw new DriverError("AUTH", "LXD does not trust this client certificate", false);
    return { version: `LXD ${s.environment?.server_version ?? s.api_version}` };
  }
}
