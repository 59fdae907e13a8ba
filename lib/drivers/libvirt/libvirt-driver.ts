// KVM/QEMU through libvirt, driven with `virsh` child processes (the npm binding does not
// build on Node 20). Arguments are always passed as an array, never through a shell. A
// machine is a domain whose disk is a qcow2 copy-on-write overlay of the template's base
// image, created by the daemon in a storage pool (vol-create-as --backing-vol, which runs
// `qemu-img create -b <base> -F qcow2` on the hypervisor host, so it works remotely too).
// Ownership tags (machine id, installation id) live in the domain's <metadata>; snapshots are
// named after the requested name (idempotent) and record the idempotency key in their
// description. close() kills virsh processes still running (calls abandoned by their caller).
import { execFile } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { deadline, isAbort, safeName, snapshotName, timeoutError } from "../call";
import {
  DriverError,
  type CallOptions,
  type Capability,
  type Driver,
  type DriverConfig,
  type DriverHostCapacity,
  type DriverMachine,
  type DriverSnapshot,
  type MachineMetricsReading,
  type MachineSpec,
} from "../types";
import { buildDomainXml, mapLibvirtState, parseDomainXml, parseNodeInfo, parseSnapshotXml, snapshotDescription, type ParsedSnapshot } from "./domain-xml";
import { libvirtProfile } from "./profile";

/** Maps virsh's error text into a DriverError. */
export function classifyVirshError(stderr: string, what: string): DriverError {
  const msg = stderr.replace(/^error:\s*/gm, "").replace(/\s+/g, " ").trim().slice(0, 400) || "virsh failed";
  if (/authentication (failed|unavailable)|access denied|not authorized|permission denied/i.test(msg)) {
    return new DriverError("AUTH", `libvirt refused the credentials (${what}): ${msg}`, false);
  }
  if (/(packet|message).*(too large|invalid|unexpected)|(cannot|unable to) (decode|parse)|xdr|malformed|protocol/i.test(msg)) {
    return new DriverError("PROVIDER", `libvirt answered ${what} with malformed data: ${msg}`, false);
  }
  if (/failed to connect|no such file or directory|connection refused|end of file while reading|cannot recv data|unable to connect/i.test(msg)) {
    return new DriverError("UNAVAILABLE", `libvirt endpoint is unreachable (${what}): ${msg}`);
  }
  if (/domain not found|no domain with matching|failed to get domain|storage volume not found|no storage vol|snapshot not found|no domain snapshot/i.test(msg)) {
    return new DriverError("NOT_FOUND", `libvirt: ${msg}`, false);
  }
  if (/cannot allocate memory|not enough|insufficient|no space left/i.test(msg)) return new DriverError("CAPACITY", `libvirt: ${msg}`, false);
  if (/timed out|timeout/i.test(msg)) return new DriverError("TIMEOUT", `libvirt ${what}: ${msg}`);
  return new DriverError("PROVIDER", `libvirt ${what} failed: ${msg}`, false);
}

/** Parses `virsh domstats --raw` output (key=value lines) into a reading. */
export function parseDomstats(out: string, at: Date): MachineMetricsReading {
  const v = new Map<string, number>();
  for (const line of out.split("\n")) {
    const m = /^\s*([\w.]+)=(\d+)\s*$/.exec(line);
    if (m) v.set(m[1], Number(m[2]));
  }
  // libvirt's test driver (and a hypervisor without statistics) answers no cpu.time.
  if (!v.has("cpu.time")) throw new DriverError("UNSUPPORTED", "this libvirt hypervisor reports no statistics for the domain (domstats has no cpu.time)", false);
  const sum = (re: RegExp) => [...v].filter(([k]) => re.test(k)).reduce((a, [, n]) => a + n, 0);
  const kib = (k: string) => (v.has(k) ? v.get(k)! * 1024 : undefined);
  const total = kib("balloon.current") ?? kib("balloon.maximum");
  // Memory in use: what the guest reports (available - unused), else the host's resident set.
  const avail = kib("balloon.available");
  const unused = kib("balloon.unused");
  const used = avail !== undefined && unused !== undefined ? avail - unused : (kib("balloon.rss") ?? total ?? 0);
  return {
    at,
    cpuTimeNs: v.get("cpu.time")!,
    vcpu: v.get("vcpu.current"),
    memoryUsedBytes: Math.max(0, used),
    memoryTotalBytes: total,
    diskReadBytes: sum(/^block\.\d+\.rd\.bytes$/),
    diskWriteBytes: sum(/^block\.\d+\.wr\.bytes$/),
    netInBytes: sum(/^net\.\d+\.rx\.bytes$/),
    netOutBytes: sum(/^net\.\d+\.tx\.bytes$/),
  };
}

export class LibvirtDriver implements Driver {
  readonly kind = "LIBVIRT" as const;
  readonly capabilities: ReadonlySet<Capability> = new Set<Capability>(libvirtProfile.capabilities);
  private readonly uri: string;
  private readonly pool: string;
  private readonly domainType: string;
  private readonly virsh: string;
  private readonly stopTimeoutMs: number;
  private readonly callTimeoutMs: number;
  private readonly serialLogDir?: string;
  /** Fires on close(): every virsh process still running is killed. */
  private readonly closing = new AbortController();

  constructor(config: DriverConfig) {
    this.uri = config.endpoint.trim();
    if (!/^[a-z0-9+]+:\/\//i.test(this.uri)) throw new DriverError("PROVIDER", `"${config.endpoint}" is not a libvirt URI (e.g. qemu+ssh://host/system)`, false);
    const c = config.config;
    this.pool = typeof c.storagePool === "string" ? c.storagePool : "default";
    this.domainType = typeof c.domainType === "string" ? c.domainType : this.uri.startsWith("test") ? "test" : "kvm";
    this.virsh = typeof c.virshPath === "string" ? c.virshPath : "virsh";
    this.stopTimeoutMs = (typeof c.stopTimeoutSeconds === "number" ? c.stopTimeoutSeconds : 60) * 1000;
    this.callTimeoutMs = typeof c.callTimeoutMs === "number" ? c.callTimeoutMs : 60_000;
    this.serialLogDir = typeof c.serialLogDir === "string" ? c.serialLogDir : undefined;
  }

  /** Kills the virsh processes of calls still running; the driver holds nothing else. */
  async close(): Promise<void> {
    this.closing.abort(new DriverError("UNAVAILABLE", "the libvirt driver was closed"));
  }

  /** Runs one virsh command (argument array, no shell) under a deadline. */
  /** `virsh domstats --raw` (cpu, balloon, block, interface groups): cumulative counters. */
  async metrics(ref: string, opts?: CallOptions): Promise<MachineMetricsReading> {
    const out = await this.run(["domstats", "--raw", "--cpu-total", "--balloon", "--block", "--interface", "--vcpu", "--domain", ref], opts, "domstats");
    return parseDomstats(out, new Date());
  }

  private run(args: string[], opts: CallOptions | undefined, what: string, extraMs = 0): Promise<string> {
    const signal = AbortSignal.any([deadline(opts, this.callTimeoutMs + extraMs), this.closing.signal]);
    // C locale: the error classification reads virsh's English messages.
    const env = { PATH: process.env.PATH, HOME: process.env.HOME, LC_ALL: "C" } as unknown as NodeJS.ProcessEnv;
    return new Promise((resolve, reject) => {
      if (signal.aborted) return reject(timeoutError(`libvirt ${what}`, signal));
      execFile(this.virsh, ["-c", this.uri, "-q", ...args], { signal, env, maxBuffer: 16 * 1024 * 1024, killSignal: "SIGKILL" }, (err, stdout, stderr) => {
        if (!err) return resolve(stdout);
        if (isAbort(err) || signal.aborted) return reject(timeoutError(`libvirt ${what}`, signal));
        if ((err as NodeJS.ErrnoException).code === "ENOENT") return reject(new DriverError("UNAVAILABLE", `virsh is not installed (${this.virsh})`, false));
        reject(classifyVirshError(String(stderr || err.message), what));
      });
    });
  }

  private async dumpxml(ref: string, opts?: CallOptions, inactive = false) {
    const xml = await this.run(["dumpxml", ...(inactive ? ["--inactive"] : []), "--domain", ref], opts, "dumpxml");
    try {
      return parseDomainXml(xml);
    } catch (err) {
      throw new DriverError("PROVIDER", `libvirt answered dumpxml with malformed data: ${(err as Error).message}`, false);
    }
  }

  private async state(ref: string, opts?: CallOptions) {
    return mapLibvirtState(await this.run(["domstate", "--domain", ref], opts, "domstate"));
  }

  async provision(spec: MachineSpec, idempotencyKey: string, opts?: CallOptions): Promise<DriverMachine> {
    const name = safeName(spec.name, spec.machineId, 50);
    // The name is derived from the machine id, so a retry looks it up directly.
    const existing = await this.dumpxml(name, opts).catch((err) => {
      if (err instanceof DriverError && err.code === "NOT_FOUND") return undefined;
      throw err;
    });
    if (existing && existing.machineId !== spec.machineId) {
      throw new DriverError("PROVIDER", `a domain named ${name} exists but belongs to another machine`, false);
    }
    if (!existing) {
      const diskPath = await this.overlay(`${name}.qcow2`, spec, opts);
      const xml = buildDomainXml({
        name,
        machineId: spec.machineId,
        installationId: spec.installationId,
        idempotencyKey,
        vcpu: spec.vcpu,
        memoryMb: spec.memoryMb,
        diskPath,
        domainType: this.domainType,
        serialLogPath: this.serialLogDir ? path.join(this.serialLogDir, `${name}.log`) : undefined,
      });
      const dir = await mkdtemp(path.join(os.tmpdir(), "orq-libvirt-"));
      try {
        await writeFile(path.join(dir, "domain.xml"), xml, { mode: 0o600 });
        await this.run(["define", "--file", path.join(dir, "domain.xml")], opts, "define");
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    }
    if ((await this.state(name, opts)) !== "RUNNING") await this.start(name, opts);
    return this.getMachine(name, opts);
  }

  /** The copy-on-write overlay of the template's base image (reused on a retry). */
  private async overlay(volume: string, spec: MachineSpec, opts?: CallOptions): Promise<string> {
    try {
      return (await this.run(["vol-path", "--pool", this.pool, volume], opts, "vol-path")).trim();
    } catch (err) {
      if (!(err instanceof DriverError && err.code === "NOT_FOUND")) throw err;
    }
    try {
      await this.run(
        ["vol-create-as", "--pool", this.pool, "--name", volume, "--capacity", `${spec.diskGb}G`, "--format", "qcow2", "--backing-vol", spec.templateRef, "--backing-vol-format", "qcow2"],
        opts,
        "vol-create-as",
      );
    } catch (err) {
      if (err instanceof DriverError && err.code === "NOT_FOUND") {
        throw new DriverError("NOT_FOUND", `base image "${spec.templateRef}" is not in a storage pool of this libvirt host`, false);
      }
      throw err;
    }
    return (await this.run(["vol-path", "--pool", this.pool, volume], opts, "vol-path")).trim();
  }

  async getMachine(ref: string, opts?: CallOptions): Promise<DriverMachine> {
    const d = await this.dumpxml(ref, opts);
    return {
      ref: d.name,
      machineId: d.machineId,
      installationId: d.installationId,
      name: d.name,
      state: await this.state(ref, opts),
      vcpu: d.vcpu,
      memoryMb: d.memoryMb,
    };
  }

  async start(ref: string, opts?: CallOptions): Promise<void> {
    const s = await this.state(ref, opts);
    if (s === "RUNNING") return;
    if (s === "PAUSED") await this.run(["resume", "--domain", ref], opts, "resume");
    else await this.run(["start", "--domain", ref], opts, "start");
  }

  /** Graceful shutdown, then a forced stop when the guest has not powered off in time. */
  async stop(ref: string, opts?: CallOptions): Promise<void> {
    if ((await this.state(ref, opts)) === "STOPPED") return;
    await this.run(["shutdown", "--domain", ref], opts, "shutdown").catch((err) => {
      if (!(err instanceof DriverError) || err.code !== "PROVIDER") throw err; // e.g. no ACPI: fall through to destroy
    });
    const until = Date.now() + this.stopTimeoutMs;
    while (Date.now() < until) {
      if (opts?.signal?.aborted) throw timeoutError("libvirt stop", opts.signal);
      if ((await this.state(ref, opts)) === "STOPPED") return;
      await new Promise((r) => setTimeout(r, 250));
    }
    await this.run(["destroy", "--domain", ref], opts, "destroy").catch((err) => {
      if (!(err instanceof DriverError && /not running/i.test(err.message))) throw err;
    });
  }

  async reboot(ref: string, opts?: CallOptions): Promise<void> {
    try {
      await this.run(["reboot", "--domain", ref], opts, "reboot");
    } catch (err) {
      // A guest that ignores the request (no ACPI/agent) is reset instead.
      if (!(err instanceof DriverError) || err.code !== "PROVIDER") throw err;
      await this.run(["reset", "--domain", ref], opts, "reset");
    }
  }

  /** Cold resize: applied to the persistent definition; a running domain is power-cycled. */
  async resize(ref: string, size: { vcpu: number; memoryMb: number; diskGb?: number }, opts?: CallOptions): Promise<void> {
    const wasRunning = (await this.state(ref, opts)) === "RUNNING";
    if (wasRunning) await this.stop(ref, opts);
    const kib = String(size.memoryMb * 1024);
    await this.run(["setvcpus", "--domain", ref, "--count", String(size.vcpu), "--config", "--maximum"], opts, "setvcpus");
    await this.run(["setvcpus", "--domain", ref, "--count", String(size.vcpu), "--config"], opts, "setvcpus");
    await this.run(["setmaxmem", "--domain", ref, "--size", kib, "--config"], opts, "setmaxmem");
    await this.run(["setmem", "--domain", ref, "--size", kib, "--config"], opts, "setmem");
    if (size.diskGb) {
      const d = await this.dumpxml(ref, opts, true);
      if (d.diskPaths[0]) await this.run(["vol-resize", "--vol", d.diskPaths[0], "--capacity", `${size.diskGb}G`], opts, "vol-resize");
    }
    if (wasRunning) await this.start(ref, opts);
  }

  private async findSnapshot(ref: string, snap: string, opts?: CallOptions): Promise<ParsedSnapshot | undefined> {
    let xml: string;
    try {
      xml = await this.run(["snapshot-dumpxml", "--domain", ref, "--snapshotname", snap], opts, "snapshot-dumpxml");
    } catch (err) {
      if (!(err instanceof DriverError && err.code === "NOT_FOUND")) throw err;
      await this.state(ref, opts); // the domain itself missing is NOT_FOUND for the caller
      return undefined;
    }
    try {
      return parseSnapshotXml(xml);
    } catch (err) {
      throw new DriverError("PROVIDER", `libvirt answered snapshot-dumpxml with malformed data: ${(err as Error).message}`, false);
    }
  }

  /** Idempotent by name: the snapshot is named after `name`, so a retried call finds the first one. */
  async snapshot(ref: string, name: string, opts?: CallOptions): Promise<DriverSnapshot> {
    const snap = snapshotName(name);
    let found = await this.findSnapshot(ref, snap, opts);
    if (!found) {
      try {
        await this.run(
          ["snapshot-create-as", "--domain", ref, "--name", snap, "--description", snapshotDescription(name, opts?.idempotencyKey), "--atomic"],
          opts,
          "snapshot-create-as",
          120_000,
        );
      } catch (err) {
        // A concurrent attempt took it first: that snapshot is the answer.
        if (!(err instanceof DriverError && /already exists/i.test(err.message))) throw err;
      }
      found = await this.findSnapshot(ref, snap, opts);
      if (!found) throw new DriverError("PROVIDER", `libvirt took snapshot ${snap} but does not show it`, true);
    }
    return { ref: snap, name, createdAt: found.createdAt };
  }

  async listSnapshots(ref: string, opts?: CallOptions): Promise<DriverSnapshot[]> {
    const names = (await this.run(["snapshot-list", "--domain", ref, "--name"], opts, "snapshot-list"))
      .split("\n")
      .map((s) => s.trim())
      .filter(Boolean);
    return names.map((n) => ({ ref: n, name: n }));
  }

  async revertSnapshot(ref: string, snapshotRef: string, opts?: CallOptions): Promise<void> {
    await this.run(["snapshot-revert", "--domain", ref, "--snapshotname", snapshotRef], opts, "snapshot-revert", 120_000);
  }

  async deleteSnapshot(ref: string, snapshotRef: string, opts?: CallOptions): Promise<void> {
    try {
      await this.run(["snapshot-delete", "--domain", ref, "--snapshotname", snapshotRef], opts, "snapshot-delete", 120_000);
    } catch (err) {
      if (err instanceof DriverError && err.code === "NOT_FOUND") return;
      throw err;
    }
  }

  async destroy(ref: string, opts?: CallOptions): Promise<void> {
    try {
      const s = await this.state(ref, opts);
      if (s !== "STOPPED") {
        await this.run(["destroy", "--domain", ref], opts, "destroy").catch((err) => {
          if (!(err instanceof DriverError && /not running/i.test(err.message))) throw err;
        });
      }
      // Snapshot metadata would block undefine; the overlay volume goes with the domain.
      await this.run(["undefine", "--domain", ref, "--remove-all-storage", "--snapshots-metadata"], opts, "undefine");
    } catch (err) {
      if (err instanceof DriverError && err.code === "NOT_FOUND") return; // already gone
      throw err;
    }
  }

  async listMachines(opts?: CallOptions): Promise<DriverMachine[]> {
    const names = await this.domainNames(opts);
    const out: DriverMachine[] = [];
    for (const name of names) {
      try {
        out.push(await this.getMachine(name, opts));
      } catch (err) {
        if (err instanceof DriverError && err.code === "NOT_FOUND") continue; // removed meanwhile
        throw err;
      }
    }
    return out;
  }

  async findByMachineId(machineId: string, opts?: CallOptions): Promise<DriverMachine | null> {
    // libvirt cannot search metadata: read the domains' tags. Names Orquestra gave end with the
    // machine id's first characters (safeName), so those are read first; the rest only when
    // none of them carries the tag (a domain renamed outside Orquestra).
    const names = await this.domainNames(opts);
    const tail = `-${machineId.toLowerCase().replace(/[^a-z0-9]/g, "").slice(0, 8)}`;
    const likely = names.filter((n) => n.endsWith(tail));
    for (const group of [likely, names.filter((n) => !n.endsWith(tail))]) {
      for (const name of group) {
        let d;
        try {
          d = await this.dumpxml(name, opts);
        } catch (err) {
          if (err instanceof DriverError && err.code === "NOT_FOUND") continue; // removed meanwhile
          throw err;
        }
        if (d.machineId !== machineId) continue;
        try {
          return await this.getMachine(name, opts);
        } catch (err) {
          if (err instanceof DriverError && err.code === "NOT_FOUND") return null;
          throw err;
        }
      }
    }
    return null;
  }

  private async domainNames(opts?: CallOptions): Promise<string[]> {
    return (await this.run(["list", "--all", "--name"], opts, "list"))
      .split("\n")
      .map((s) => s.trim())
      .filter(Boolean);
  }

  async getCapacity(opts?: CallOptions): Promise<DriverHostCapacity[]> {
    let node: { cpus: number; memoryMb: number };
    try {
      node = parseNodeInfo(await this.run(["nodeinfo"], opts, "nodeinfo"));
    } catch (err) {
      if (err instanceof DriverError) throw err;
      throw new DriverError("PROVIDER", "libvirt answered nodeinfo with malformed data", false);
    }
    const host = (await this.run(["hostname"], opts, "hostname")).trim() || this.uri;
    let diskGb: number | undefined;
    try {
      const info = await this.run(["pool-info", "--pool", this.pool, "--bytes"], opts, "pool-info");
      const cap = Number(/^Capacity:\s*(\d+)/m.exec(info)?.[1]);
      if (Number.isFinite(cap)) diskGb = Math.floor(cap / 1024 ** 3);
    } catch (err) {
      if (!(err instanceof DriverError && err.code !== "UNAVAILABLE" && err.code !== "TIMEOUT")) throw err;
    }
    return [{ ref: host, name: host, vcpu: node.cpus, memoryMb: node.memoryMb, diskGb: diskGb === undefined ? {} : { SSD: diskGb } }];
  }

  async testConnection(opts?: CallOptions): Promise<{ version?: string }> {
    const out = await this.run(["version"], opts, "version");
    const m = /Running hypervisor:\s*(.+)/.exec(out);
    if (!m) throw new DriverError("PROVIDER", "libvirt answered version with malformed data", false);
    return { version: m[1].trim() };
  }
}
