// KVM/QEMU through libvirt, driven with `virsh` child processes (the npm binding does not
// build on Node 20). Arguments are always passed as an array, never through a shell. A
// machine is a domain whose disk is a qcow2 copy-on-write overlay of the template's base
// image, created by the daemon in a storage pool (vol-create-as --backing-vol, which runs
// `qemu-img create -b <base> -F qcow2` on the hypervisor host, so it works remotely too).
// Ownership tags (machine id, installation id) live in the domain's <metadata>; snapshots are
// named after the requested name (idempotent) and record the idempotency key in their
// description. close() kills virsh processes still running (calls abandoned by their caller).
import { execFile, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { constants as fsConstants, createReadStream, createWriteStream } from "node:fs";
import { mkdtemp, open, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { Transform } from "node:stream";
import { pipeline } from "node:stream/promises";
import { streamWithCleanup } from "../backup-stream";
import { deadline, isAbort, safeName, snapshotName, timeoutError } from "../call";
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
  type DriverSnapshot,
  type MachineMetricsReading,
  type MachineSpec,
} from "../types";
import { buildDomainXml, mapLibvirtState, parseDomainXml, parseNodeInfo, parseSnapshotXml, snapshotDescription, type ParsedSnapshot } from "./domain-xml";
import { parseVncDisplay, type VncDisplay } from "./domain-xml";
import { libvirtProfile } from "./profile";
import { buildSeedIso, needsSeed, seedDocuments } from "./seed-iso";
import { openVncSession, vncRoute } from "./vnc";
import { runsNoGuest } from "../no-guest";

/** The pool volume holding a domain's cloud-init seed (beside its disk, `<domain>.qcow2`). */
export const seedVolumeName = (domain: string) => `${domain}-seed.iso`;

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

/** How long a console session's VNC password lets a connection in (the proxy connects at once). */
const VNC_PASSWORD_VALID_MS = 60_000;

/** A random VNC password: 8 characters (all VNC authentication uses) of 64, so 48 random bits. */
export function newVncPassword(): string {
  const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  return [...randomBytes(8)].map((b) => alphabet[b & 63]).join("");
}

export class LibvirtDriver implements Driver {
  readonly kind = "LIBVIRT" as const;
  /**
   * The profile's capabilities, except "backup" and "cloudInit" on the test driver (test:///,
   * domainType test): its domains have no disk images to copy, and its pools take no uploads
   * (the cloud-init seed ISO).
   */
  readonly capabilities: ReadonlySet<Capability>;
  private readonly uri: string;
  private readonly pool: string;
  private readonly domainType: string;
  private readonly virsh: string;
  private readonly stopTimeoutMs: number;
  private readonly callTimeoutMs: number;
  private readonly serialLogDir?: string;
  /** Builds the NoCloud seed ISO (not settable from the browser, like virshPath). */
  private readonly genisoimage: string;
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
    this.genisoimage = typeof c.genisoimagePath === "string" ? c.genisoimagePath : "genisoimage";
    const noDisks = this.domainType === "test" || runsNoGuest("LIBVIRT", this.uri);
    this.capabilities = new Set<Capability>(libvirtProfile.capabilities.filter((cap) => !(noDisks && (cap === "backup" || cap === "cloudInit"))));
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
    const existing = await this.ownDomain(name, spec, opts);
    // What this attempt makes (disk overlay, seed, domain) it removes again when it fails: a
    // failed provision leaves nothing behind (volumes carry no ownership tag, so no sweep could
    // tell them from another installation's; a defined domain is tagged and reconcile would find it).
    let definedNow = false;
    if (!existing) {
      try {
        const diskPath = await this.overlay(`${name}.qcow2`, spec, opts);
        // Cloud-init: the NoCloud seed ISO, a volume beside the disk, on a read-only CD-ROM.
        const seedIsoPath = this.capabilities.has("cloudInit") && needsSeed(spec) ? await this.seedVolume(name, spec, opts) : undefined;
        await this.defineXml(this.newDomainXml(name, spec, idempotencyKey, diskPath, seedIsoPath), opts);
        definedNow = true;
      } catch (err) {
        await this.removeUndefined(name);
        throw err;
      }
    }
    try {
      if ((await this.state(name, opts)) !== "RUNNING") await this.start(name, opts);
      return await this.getMachine(name, opts);
    } catch (err) {
      // Defined by this attempt and then failed (start refused, no capacity, deadline): the
      // domain goes with its disk and seed; a retry makes them again.
      if (definedNow) await this.destroy(name).catch(() => {});
      throw err;
    }
  }

  /** The domain of this name if it exists; one belonging to another machine is an error. */
  private async ownDomain(name: string, spec: MachineSpec, opts?: CallOptions) {
    const existing = await this.dumpxml(name, opts).catch((err) => {
      if (err instanceof DriverError && err.code === "NOT_FOUND") return undefined;
      throw err;
    });
    if (existing && existing.machineId !== spec.machineId) {
      throw new DriverError("PROVIDER", `a domain named ${name} exists but belongs to another machine`, false);
    }
    return existing;
  }

  /** The XML of a new domain for `spec` (a fresh random VNC password: see vnc.ts). */
  private newDomainXml(name: string, spec: MachineSpec, idempotencyKey: string, diskPath: string, seedIsoPath?: string): string {
    return buildDomainXml({
      name,
      machineId: spec.machineId,
      installationId: spec.installationId,
      idempotencyKey,
      vcpu: spec.vcpu,
      memoryMb: spec.memoryMb,
      diskPath,
      domainType: this.domainType,
      serialLogPath: this.serialLogDir ? path.join(this.serialLogDir, `${name}.log`) : undefined,
      seedIsoPath,
      vncPassword: newVncPassword(),
    });
  }

  /** `virsh define` of a domain XML (through a private temporary file). */
  private async defineXml(xml: string, opts?: CallOptions): Promise<void> {
    const dir = await mkdtemp(path.join(os.tmpdir(), "orq-libvirt-"));
    try {
      await writeFile(path.join(dir, "domain.xml"), xml, { mode: 0o600 });
      await this.run(["define", "--file", path.join(dir, "domain.xml")], opts, "define");
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }

  /**
   * After a create that failed before its domain existed: the disk overlay and the seed are no
   * domain's, so they go. Kept when the domain turns out to exist after all (a define that
   * answered too late) or libvirt cannot say: nothing is removed on a guess.
   */
  private async removeUndefined(name: string): Promise<void> {
    if (await this.domainExists(name)) return;
    for (const volume of [`${name}.qcow2`, seedVolumeName(name)]) await this.deleteVolumeQuietly(volume);
  }

  /**
   * Builds the machine's NoCloud seed and uploads it into the pool as `<domain>-seed.iso`
   * (`vol-upload` goes through libvirt, so a remote host works the same); answers its path. A
   * seed left by an interrupted attempt is replaced; a failed upload leaves no volume.
   */
  private async seedVolume(name: string, spec: MachineSpec, opts?: CallOptions): Promise<string> {
    const volume = seedVolumeName(name);
    const signal = AbortSignal.any([deadline(opts, this.callTimeoutMs), this.closing.signal]);
    const seed = await buildSeedIso(seedDocuments(spec, spec.name), { genisoimage: this.genisoimage, signal });
    try {
      if (await this.volumeExists(volume, opts)) await this.deleteVolumeQuietly(volume);
      await this.run(["vol-create-as", "--pool", this.pool, "--name", volume, "--capacity", `${seed.bytes}b`, "--format", "raw"], opts, "vol-create-as");
      try {
        await this.run(["vol-upload", "--pool", this.pool, volume, seed.file], opts, "vol-upload");
        return (await this.run(["vol-path", "--pool", this.pool, volume], opts, "vol-path")).trim();
      } catch (err) {
        await this.deleteVolumeQuietly(volume);
        throw err;
      }
    } finally {
      await seed.dispose();
    }
  }

  /** Is there a domain of this name? Unknown (libvirt not answering) counts as yes: nothing is removed on a guess. */
  private async domainExists(name: string): Promise<boolean> {
    return this.run(["domstate", "--domain", name], undefined, "domstate").then(
      () => true,
      (err) => !(err instanceof DriverError && err.code === "NOT_FOUND"),
    );
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
      if (!(err instanceof DriverError && err.code === "NOT_FOUND")) throw err; // NOT_FOUND: already gone
    }
    // The cloud-init seed too, whether undefine removed it with the CD-ROM or not.
    await this.run(["vol-delete", "--pool", this.pool, seedVolumeName(ref)], opts, "vol-delete").catch((err) => {
      if (!(err instanceof DriverError && err.code === "NOT_FOUND")) throw err;
    });
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

  // --- backups (capability "backup") ----------------------------------------------------------
  // Export: with the domain paused (or stopped), `vol-clone` copies its disk into a standalone
  // qcow2 in the pool (libvirt runs `qemu-img convert` on the hypervisor host, flattening the
  // overlay and its base image); the domain resumes at once, and the copy is streamed out
  // with `vol-download` ("qcow2") and deleted once read or failed. Restore: the domain is
  // stopped, the backup uploaded (`vol-upload`) into a new volume, the domain redefined on it,
  // the old disk deleted, the domain started. Import: the same upload, then a new domain.
  // Everything goes through libvirt's RPC, so a remote qemu+ssh:// host works the same.

  /**
   * A virsh process moving a volume's bytes through a named pipe (vol-upload / vol-download
   * open a file path; Node's stdio pipes are sockets, which /dev/stdin cannot reopen). The
   * FIFO lives in a private temporary directory, removed with `dispose`.
   */
  private async virshFifo(args: (fifo: string) => string[], signal?: AbortSignal) {
    const dir = await mkdtemp(path.join(os.tmpdir(), "orq-libvirt-io-"));
    const fifo = path.join(dir, "volume");
    await new Promise<void>((resolve, reject) => execFile("mkfifo", ["-m", "600", fifo], (err) => (err ? reject(err) : resolve())));
    const env = { PATH: process.env.PATH, HOME: process.env.HOME, LC_ALL: "C" } as unknown as NodeJS.ProcessEnv;
    const all = args(fifo);
    const child = spawn(this.virsh, ["-c", this.uri, "-q", ...all], {
      env,
      stdio: ["ignore", "ignore", "pipe"],
      signal: signal ? AbortSignal.any([signal, this.closing.signal]) : this.closing.signal,
      killSignal: "SIGKILL",
    });
    let stderr = "";
    child.stderr.on("data", (c: Buffer) => (stderr += c.toString("utf8")));
    const exited = new Promise<void>((resolve, reject) => {
      child.once("error", (err) => reject(isAbort(err) ? timeoutError(`libvirt ${all[0]}`, signal) : err));
      child.once("close", (code) => (code === 0 ? resolve() : reject(classifyVirshError(stderr || `virsh ${all[0]} exited with ${code}`, all[0]))));
    });
    // Once virsh is gone, nobody may stay blocked opening the FIFO (an open of a FIFO waits for
    // the other end): opening it read-write, non-blocking, and closing it releases such a wait.
    void exited
      .catch(() => {})
      .then(() => open(fifo, fsConstants.O_RDWR | fsConstants.O_NONBLOCK))
      .then((h) => h.close())
      .catch(() => {});
    exited.catch(() => {}); // observed by the caller
    const dispose = () => rm(dir, { recursive: true, force: true });
    return { child, exited, fifo, dispose };
  }

  private async deleteVolumeQuietly(volume: string): Promise<void> {
    await this.run(["vol-delete", "--pool", this.pool, volume], undefined, "vol-delete").catch(() => {});
  }

  private async volumeExists(volume: string, opts?: CallOptions): Promise<boolean> {
    try {
      await this.run(["vol-info", "--pool", this.pool, volume], opts, "vol-info");
      return true;
    } catch (err) {
      if (err instanceof DriverError && err.code === "NOT_FOUND") return false;
      throw err;
    }
  }

  /** Export copies of this domain left by an earlier export whose clean-up never ran. */
  private async sweepStaleExports(ref: string, opts?: CallOptions): Promise<void> {
    const prefix = `${ref}-export-`;
    // `vol-list` lines: "<name> <path>" (virsh 9 has no --name).
    const vols = (await this.run(["vol-list", "--pool", this.pool], opts, "vol-list")).split("\n").map((v) => v.trim().split(/\s+/)[0] ?? "");
    for (const v of vols.filter((v) => v.startsWith(prefix))) await this.deleteVolumeQuietly(v);
  }

  async exportBackup(ref: string, opts?: CallOptions): Promise<BackupExport> {
    const d = await this.dumpxml(ref, opts, true);
    const disk = d.diskPaths[0];
    if (!disk) throw new DriverError("UNSUPPORTED", `libvirt domain ${ref} has no disk to back up`, false);
    await this.sweepStaleExports(d.name, opts);
    const copy = `${d.name}-export-${Date.now().toString(36)}${randomBytes(3).toString("hex")}.qcow2`;
    const cleanup = () => this.deleteVolumeQuietly(copy);
    try {
      if ((await this.state(ref, opts)) === "STOPPED") {
        // Nothing writes to the disk: a plain copy (qemu-img convert on the host) is consistent.
        await this.run(["vol-clone", "--vol", disk, "--newname", copy, "--pool", this.pool], opts, "vol-clone", 10 * 60_000);
      } else {
        // Running (or paused: QEMU holds the image lock either way): a push-mode backup job
        // copies the disk as it was when the job began while the guest goes on.
        await this.liveBackup(ref, disk, copy, opts);
      }
      const io = await this.virshFifo((fifo) => ["vol-download", "--pool", this.pool, copy, fifo], opts?.signal);
      // The bytes end only when virsh has exited 0: a download cut short is an error, never a short backup.
      const checked = new Transform({
        transform: (chunk, _enc, cb) => cb(null, chunk),
        flush: (cb) => void io.exited.then(() => cb(), (err: Error) => cb(err)),
      });
      const reader = createReadStream(io.fifo);
      io.exited.catch((err: Error) => reader.destroy(err));
      const stream = streamWithCleanup(reader.pipe(checked), async () => {
        if (io.child.exitCode === null) io.child.kill("SIGKILL"); // the consumer gave up
        reader.destroy();
        await io.exited.catch(() => {});
        await io.dispose();
        await cleanup();
      });
      reader.on("error", (err) => checked.destroy(err));
      return { format: "qcow2", stream };
    } catch (err) {
      await cleanup();
      throw err;
    }
  }

  /** `backup-begin` of the domain's first disk into a new qcow2 volume `copy`, followed to its end. */
  private async liveBackup(ref: string, disk: string, copy: string, opts?: CallOptions): Promise<void> {
    const info = await this.run(["vol-info", "--bytes", "--vol", disk], opts, "vol-info");
    const capacity = Number(/^Capacity:\s*(\d+)/m.exec(info)?.[1]);
    if (!Number.isFinite(capacity) || capacity <= 0) throw new DriverError("PROVIDER", "libvirt answered vol-info with malformed data", false);
    await this.run(["vol-create-as", "--pool", this.pool, "--name", copy, "--capacity", `${capacity}b`, "--format", "qcow2"], opts, "vol-create-as");
    const target = (await this.run(["vol-path", "--pool", this.pool, copy], opts, "vol-path")).trim();
    const blk = (await this.run(["domblklist", "--domain", ref], opts, "domblklist"))
      .split("\n")
      .map((l) => l.trim().split(/\s+/))
      .find((f) => f[1] === disk)?.[0];
    if (!blk) throw new DriverError("PROVIDER", `libvirt domain ${ref} does not list its disk ${disk}`, false);
    const esc = (v: string) => v.replace(/&/g, "&amp;").replace(/'/g, "&apos;").replace(/</g, "&lt;");
    const xml = `<domainbackup><disks><disk name='${esc(blk)}' backup='yes' type='file'><target file='${esc(target)}'/><driver type='qcow2'/></disk></disks></domainbackup>`;
    const dir = await mkdtemp(path.join(os.tmpdir(), "orq-libvirt-"));
    try {
      await writeFile(path.join(dir, "backup.xml"), xml, { mode: 0o600 });
      await this.run(["backup-begin", "--domain", ref, "--backupxml", path.join(dir, "backup.xml"), "--reuse-external"], opts, "backup-begin");
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
    const signal = deadline(opts, 10 * 60_000);
    try {
      for (;;) {
        if (signal.aborted) throw timeoutError("libvirt backup job", signal);
        const job = await this.run(["domjobinfo", "--domain", ref], { signal }, "domjobinfo");
        if (/^Job type:\s*None/m.test(job)) break;
        await new Promise((r) => setTimeout(r, 200));
      }
    } catch (err) {
      await this.run(["domjobabort", "--domain", ref], undefined, "domjobabort").catch(() => {});
      throw err;
    }
    const done = await this.run(["domjobinfo", "--domain", ref, "--completed"], opts, "domjobinfo");
    if (!/^Job type:\s*Completed/m.test(done)) throw new DriverError("PROVIDER", `libvirt backup job of ${ref} did not complete: ${done.replace(/\s+/g, " ").slice(0, 200)}`, true);
  }

  /** Uploads a backup into a new volume of the pool (removed again when the upload fails); answers its path. */
  private async uploadVolume(source: BackupSource, volume: string, opts?: CallOptions): Promise<string> {
    if (source.format !== "qcow2") throw new DriverError("UNSUPPORTED", `a libvirt host cannot restore a "${source.format}" backup`, false);
    if (await this.volumeExists(volume, opts)) await this.deleteVolumeQuietly(volume); // an interrupted earlier attempt
    // An empty volume the upload fills: the bytes are a whole qcow2 image (no backing file).
    await this.run(["vol-create-as", "--pool", this.pool, "--name", volume, "--capacity", "0", "--format", "raw"], opts, "vol-create-as");
    try {
      const io = await this.virshFifo((fifo) => ["vol-upload", "--pool", this.pool, volume, fifo], deadline(opts, 10 * 60_000));
      try {
        const writer = createWriteStream(io.fifo);
        // virsh failing before it opens the FIFO would leave the writer blocked: end both.
        io.exited.catch((err: Error) => writer.destroy(err));
        await Promise.all([pipeline(source.open(), writer), io.exited]);
      } catch (err) {
        if (io.child.exitCode === null) io.child.kill("SIGKILL");
        throw err instanceof DriverError ? err : await io.exited.then(() => err, (e: unknown) => e);
      } finally {
        await io.dispose();
      }
      await this.run(["pool-refresh", this.pool], opts, "pool-refresh");
      return (await this.run(["vol-path", "--pool", this.pool, volume], opts, "vol-path")).trim();
    } catch (err) {
      await this.deleteVolumeQuietly(volume);
      throw err;
    }
  }

  /** Redefines the (stopped) domain with its first disk on `diskPath`, everything else kept. */
  private async redefineDisk(ref: string, oldDisk: string, diskPath: string, opts?: CallOptions): Promise<void> {
    // --security-info: the VNC password stays in the definition.
    const xml = await this.run(["dumpxml", "--inactive", "--security-info", "--domain", ref], opts, "dumpxml");
    const esc = (p: string) => p.replace(/&/g, "&amp;").replace(/'/g, "&apos;").replace(/"/g, "&quot;").replace(/</g, "&lt;");
    const pattern = new RegExp(`(<source\\s+file=)(['"])${esc(oldDisk).replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}\\2`);
    if (!pattern.test(xml)) throw new DriverError("PROVIDER", `libvirt domain ${ref} does not show its disk ${oldDisk}`, false);
    const next = xml.replace(pattern, `$1$2${esc(diskPath)}$2`).replace(/\s*<backingStore[\s\S]*?<\/backingStore>|\s*<backingStore\/>/g, "");
    const dir = await mkdtemp(path.join(os.tmpdir(), "orq-libvirt-"));
    try {
      await writeFile(path.join(dir, "domain.xml"), next, { mode: 0o600 });
      await this.run(["define", "--file", path.join(dir, "domain.xml")], opts, "define");
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }

  /**
   * Replaces the domain's disk with the backup. The disk alternates between two volumes
   * (<name>-restore-a / -b.qcow2): the backup goes into the one not in use, the domain is
   * redefined on it, then the old one is deleted. Whatever step a retry starts from, it
   * redoes the restore into the free volume: one domain, one disk, the backup's content.
   */
  async restoreBackup(ref: string, source: BackupSource, opts?: CallOptions): Promise<{ ref: string }> {
    const d = await this.dumpxml(ref, opts, true);
    const oldDisk = d.diskPaths[0];
    if (!oldDisk) throw new DriverError("UNSUPPORTED", `libvirt domain ${ref} has no disk to restore`, false);
    if ((await this.state(ref, opts)) !== "STOPPED") {
      await this.run(["destroy", "--domain", ref], opts, "destroy").catch((err) => {
        if (!(err instanceof DriverError && /not running/i.test(err.message))) throw err;
      });
    }
    const [a, b] = [`${d.name}-restore-a.qcow2`, `${d.name}-restore-b.qcow2`];
    const target = path.basename(oldDisk) === a ? b : a;
    const diskPath = await this.uploadVolume(source, target, opts);
    await this.redefineDisk(ref, oldDisk, diskPath, opts);
    // The old disk is no domain's any more (the first one: the overlay of the template image).
    await this.run(["vol-delete", "--vol", oldDisk], opts, "vol-delete").catch((err) => {
      if (!(err instanceof DriverError && err.code === "NOT_FOUND")) throw err;
    });
    await this.start(ref, opts);
    return { ref };
  }

  async importBackup(spec: MachineSpec, source: BackupSource, idempotencyKey: string, opts?: CallOptions): Promise<DriverMachine> {
    const name = safeName(spec.name, spec.machineId, 50);
    const existing = await this.ownDomain(name, spec, opts);
    if (!existing) {
      // A volume left by an interrupted attempt is uploaded again (no domain uses it yet).
      const diskPath = await this.uploadVolume(source, `${name}.qcow2`, opts);
      try {
        await this.defineXml(this.newDomainXml(name, spec, idempotencyKey, diskPath), opts);
      } catch (err) {
        // The uploaded disk is no domain's: it goes (like provision's).
        await this.removeUndefined(name);
        throw err;
      }
    }
    if ((await this.state(name, opts)) !== "RUNNING") await this.start(name, opts);
    return this.getMachine(name, opts);
  }

  /**
   * The domain's screen (capability "console", kind "vnc"): its VNC display read from the live
   * domain XML, reached as vnc.ts says for this URI; the session relays raw RFB. Domains
   * defined before they had a display (or by hand without one) have no console.
   */
  async openConsole(ref: string, opts?: ConsoleOptions): Promise<ConsoleSession> {
    if (this.domainType === "test" || runsNoGuest("LIBVIRT", this.uri)) throw new DriverError("UNSUPPORTED", "libvirt's test driver has no screens", false);
    const signal = deadline(opts, this.callTimeoutMs);
    const state = await this.state(ref, { signal });
    if (state !== "RUNNING") throw new DriverError("UNSUPPORTED", `the domain is not running (${state.toLowerCase()}): its screen is off`, false);
    const xml = await this.run(["dumpxml", "--domain", ref], { signal }, "dumpxml");
    let display: VncDisplay | null;
    try {
      display = parseVncDisplay(xml);
    } catch (err) {
      throw new DriverError("PROVIDER", `libvirt answered dumpxml with malformed data: ${(err as Error).message}`, false);
    }
    if (!display) throw new DriverError("UNSUPPORTED", "the domain has no VNC display (defined before consoles, or by hand)", false);
    const route = vncRoute(this.uri, display);
    if (route.kind === "none") return openVncSession(route, signal);
    // A one-time password for this session: the proxy authenticates with it at once, and the
    // display takes no new connection with it after VNC_PASSWORD_VALID_MS (nor with an older one).
    const password = newVncPassword();
    const set = await this.setVncPassword(ref, xml, password, { signal }).then(
      () => true,
      (err: unknown) => {
        // A display without a password (a domain defined before consoles had one) cannot take
        // one until it restarts: the handshake then finds it open (None) and goes on.
        if (err instanceof DriverError && (err.code === "TIMEOUT" || err.code === "UNAVAILABLE")) throw err;
        return false;
      },
    );
    return openVncSession(route, signal, set ? password : null);
  }

  /** Sets the live VNC display's password (virDomainUpdateDeviceFlags), valid for a short while. */
  private async setVncPassword(ref: string, liveXml: string, password: string, opts: CallOptions): Promise<void> {
    const graphics = /<graphics\s[^>]*type=(['"])vnc\1[^>]*?(?:\/>|>[\s\S]*?<\/graphics>)/.exec(liveXml)?.[0];
    if (!graphics) throw new DriverError("UNSUPPORTED", "the domain has no VNC display", false);
    const validTo = new Date(Date.now() + VNC_PASSWORD_VALID_MS).toISOString().slice(0, 19);
    const next = graphics.replace(/\s(passwd|passwdValidTo|connected)=(['"])[^'"]*\2/g, "").replace(/^<graphics/, `<graphics passwd='${password}' passwdValidTo='${validTo}'`);
    const dir = await mkdtemp(path.join(os.tmpdir(), "orq-libvirt-"));
    try {
      await writeFile(path.join(dir, "graphics.xml"), next, { mode: 0o600 });
      await this.run(["update-device", "--domain", ref, "--file", path.join(dir, "graphics.xml"), "--live"], opts, "update-device");
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }

  async testConnection(opts?: CallOptions): Promise<{ version?: string }> {
    const out = await this.run(["version"], opts, "version");
    const m = /Running hypervisor:\s*(.+)/.exec(out);
    if (!m) throw new DriverError("PROVIDER", "libvirt answered version with malformed data", false);
    return { version: m[1].trim() };
  }
}
