import { randomUUID } from "node:crypto";
import { afterAll, describe, expect, it } from "vitest";
import { DriverError, type MachineSpec } from "@/lib/drivers/types";
import { VimClient } from "@/lib/drivers/vsphere/client";
import { vimSessions } from "@/lib/drivers/vsphere/session-pool";
import { kid, kids, text } from "@/lib/drivers/vsphere/soap";
import { VsphereDriver } from "@/lib/drivers/vsphere/vsphere-driver";
import { describeConformance } from "./driver-conformance";
import { requireEndpoints } from "./endpoints";
import { freeLoopbackPort } from "./fake-servers";
import { trackHandles } from "./open-handles";

const found = requireEndpoints("vSphere (vcsim)", ["ORQ_VSPHERE_URL", "ORQ_VSPHERE_USERNAME", "ORQ_VSPHERE_PASSWORD", "ORQ_VSPHERE_TEMPLATE"]);
const env = "values" in found ? found.values : {};
const make = (endpoint: string, password = env.ORQ_VSPHERE_PASSWORD ?? "unused", providerId = "conformance-vsphere") =>
  new VsphereDriver({
    providerId,
    endpoint,
    credentials: { username: env.ORQ_VSPHERE_USERNAME ?? "orquestra", password },
    // A pooled session idle for 1 s is logged out: the suite's handle check waits for that.
    config: { stopTimeoutSeconds: 10, keepAliveSeconds: 60, sessionIdleSeconds: 1 },
  });
const INSTALLATION = "00000000-0000-4000-8000-00000000abcd";
const vmSpec = (machineId: string, name: string, templateRef: string, size: { vcpu: number; memoryMb: number; diskGb: number }): MachineSpec => ({
  machineId,
  installationId: INSTALLATION,
  name,
  ...size,
  diskTier: "SSD",
  templateRef,
});

// Sessions still pooled when the file ends are logged out, not left to vcsim.
afterAll(() => vimSessions.closeAll());

/** Why the simulator cannot be tested here, or ok (checked once per file). */
let checked: Promise<{ reason: string } | { ok: true }> | undefined;
function backend(): Promise<{ reason: string } | { ok: true }> {
  checked ??= (async () => {
    if ("reason" in found) return { reason: found.reason };
    try {
      // Any HTTP answer means the simulator is listening.
      await fetch(env.ORQ_VSPHERE_URL, { method: "GET", signal: AbortSignal.timeout(3_000) });
    } catch {
      return { reason: `vSphere simulator at ${env.ORQ_VSPHERE_URL} is not answering; run npm run backends:up` };
    }
    return { ok: true as const };
  })();
  return checked;
}

/** A test that needs the simulator: skipped with the reason without it, failed when CI is set. */
const live = (name: string, fn: () => Promise<void>) =>
  it(name, async (ctx) => {
    const b = await backend();
    if ("reason" in b) {
      if (process.env.CI) throw new Error(`CI requires the vsphere backend: ${b.reason}`);
      return ctx.skip(b.reason);
    }
    await fn();
  });

describeConformance({
  name: "vsphere",
  setup: backend,
  driver: () => make(env.ORQ_VSPHERE_URL),
  spec: (machineId) => ({
    machineId,
    name: "conformance vsphere",
    vcpu: 2,
    memoryMb: 512,
    diskGb: 10,
    diskTier: "SSD",
    templateRef: env.ORQ_VSPHERE_TEMPLATE,
  }),
  resizeTo: { vcpu: 4, memoryMb: 1024 },
  wrongCredentials: () => make(env.ORQ_VSPHERE_URL, "not-the-password"),
  releaseWithinMs: 4_000,
  unreachable: async () => make(`http://127.0.0.1:${await freeLoopbackPort()}/sdk`),
  malformed: { kind: "http-tcp", driver: (address) => make(`${address}/sdk`) },
  hung: { kind: "tcp", driver: (address) => make(`${address}/sdk`) },
});

// vSphere-specific checks beyond the shared suite: the session is renewed when the server
// forgets it, and a VM can be created from scratch ("create:<guestId>") instead of cloned.
describe("vsphere driver specifics", () => {
  live("logs in again after the server ends the session", async () => {
    const d = make(env.ORQ_VSPHERE_URL);
    try {
      const before = await d.listMachines({ signal: AbortSignal.timeout(10_000) });
      // End the session behind the driver's back, as an expiry or a vCenter restart would.
      const client = (d as unknown as { client: VimClient }).client;
      const sc = await client.serviceContent(AbortSignal.timeout(5_000));
      await client.invoke("Logout", sc.sessionManager, {}, AbortSignal.timeout(5_000), "logout");
      const calls: string[] = [];
      const invoke = client.invoke.bind(client);
      client.invoke = (method, ...rest) => {
        calls.push(method);
        return invoke(method, ...rest);
      };
      const after = await d.listMachines({ signal: AbortSignal.timeout(10_000) });
      expect(calls.filter((m) => m === "Login")).toHaveLength(1);
      expect(after.map((m) => m.ref).sort()).toEqual(before.map((m) => m.ref).sort());
    } finally {
      await d.close();
    }
  });

  live("two concurrent provisions of one machine make one VM", async () => {
    const d = make(env.ORQ_VSPHERE_URL);
    const machineId = randomUUID();
    const spec = vmSpec(machineId, "conformance twice", env.ORQ_VSPHERE_TEMPLATE, { vcpu: 1, memoryMb: 128, diskGb: 1 });
    try {
      const [a, b] = await Promise.all([d.provision(spec, `k-${machineId}`), d.provision(spec, `k-${machineId}`)]);
      expect(b.ref).toBe(a.ref);
      expect((await d.listMachines()).filter((m) => m.machineId === machineId)).toHaveLength(1);
    } finally {
      for (const m of (await d.listMachines()).filter((x) => x.machineId === machineId)) await d.destroy(m.ref).catch(() => {});
      await d.close();
    }
  });

  live("concurrent snapshots of one name, through two drivers of the provider, make one snapshot", async () => {
    const [d1, d2] = [make(env.ORQ_VSPHERE_URL), make(env.ORQ_VSPHERE_URL)];
    const machineId = randomUUID();
    let ref: string | undefined;
    try {
      ref = (await d1.provision(vmSpec(machineId, "conformance snap", env.ORQ_VSPHERE_TEMPLATE, { vcpu: 1, memoryMb: 128, diskGb: 1 }), `k-${machineId}`)).ref;
      const r = ref;
      const [a, b] = await Promise.all([d1.snapshot(r, "twice", { idempotencyKey: "op-1" }), d2.snapshot(r, "twice", { idempotencyKey: "op-1" })]);
      expect(b.ref).toBe(a.ref);
      expect((await d1.listSnapshots(r)).map((s) => s.name)).toEqual(["twice"]);
    } finally {
      if (ref) await d1.destroy(ref).catch(() => {});
      await d1.close();
      await d2.close();
    }
  });

  live("creates a VM from scratch for a create:<guestId> template, idempotently", async () => {
    const d = make(env.ORQ_VSPHERE_URL);
    const machineId = randomUUID();
    const spec = vmSpec(machineId, "conformance created", "create:otherGuest64", { vcpu: 1, memoryMb: 256, diskGb: 2 });
    let ref: string | undefined;
    try {
      const m = await d.provision(spec, `k-${machineId}`, { signal: AbortSignal.timeout(30_000) });
      ref = m.ref;
      expect(m).toMatchObject({ machineId, state: "RUNNING", vcpu: 1, memoryMb: 256 });
      expect((await d.provision(spec, `k-${machineId}`, { signal: AbortSignal.timeout(30_000) })).ref).toBe(ref);
      expect(m.diskGb).toBe(2);
      // The disk grows (powered off, as vSphere wants for a resize without hot-add) and never shrinks.
      await d.stop(ref);
      await d.resize(ref, { vcpu: 2, memoryMb: 512, diskGb: 3 });
      expect(await d.getMachine(ref)).toMatchObject({ vcpu: 2, memoryMb: 512, diskGb: 3 });
      const shrink = await d.resize(ref, { vcpu: 2, memoryMb: 512, diskGb: 1 }).catch((e: unknown) => e);
      expect(shrink).toMatchObject({ code: "PROVIDER", message: expect.stringContaining("cannot shrink") });
      const unknownTemplate = await d.provision({ ...spec, machineId: randomUUID(), templateRef: "no-such-template-vm" }, "k-missing").catch((e: unknown) => e);
      expect(unknownTemplate).toBeInstanceOf(DriverError);
      expect((unknownTemplate as DriverError).code).toBe("NOT_FOUND");
    } finally {
      if (ref) await d.destroy(ref).catch(() => {});
      await d.close();
    }
  });
});

describe("vsphere guest operations and inventory", () => {
  live("stops through a guest shutdown when VMware Tools run, and reboot falls back to a reset", async () => {
    const d = make(env.ORQ_VSPHERE_URL);
    const machineId = randomUUID();
    let ref: string | undefined;
    try {
      const m = await d.provision(vmSpec(machineId, "conformance tools", env.ORQ_VSPHERE_TEMPLATE, { vcpu: 1, memoryMb: 128, diskGb: 1 }), `k-${machineId}`);
      ref = m.ref;
      const client = (d as unknown as { client: VimClient }).client;
      const signal = AbortSignal.timeout(10_000);
      // vcsim's hook for guest state: extraConfig "SET.<property>" sets that property.
      await client.runTask(
        "ReconfigVM_Task",
        { type: "VirtualMachine", value: ref },
        { spec: { extraConfig: [{ $type: "OptionValue", key: "SET.guest.toolsRunningStatus", value: { $type: "xsd:string", $text: "guestToolsRunning" } }] } },
        signal,
        "set tools state",
      );
      const calls: string[] = [];
      const invoke = client.invoke.bind(client);
      client.invoke = (method, ...rest) => {
        calls.push(method);
        return invoke(method, ...rest);
      };
      await d.reboot(ref); // RebootGuest is not simulated: the driver resets instead
      expect(calls).toContain("ResetVM_Task");
      expect((await d.getMachine(ref)).state).toBe("RUNNING");
      calls.length = 0;
      await d.stop(ref);
      expect(calls).toContain("ShutdownGuest");
      expect(calls).not.toContain("PowerOffVM_Task");
      expect((await d.getMachine(ref)).state).toBe("STOPPED");
    } finally {
      if (ref) await d.destroy(ref).catch(() => {});
      await d.close();
    }
  });

  live("connects new VMs to the configured port group (standard and distributed)", async () => {
    for (const [network, backingType] of [
      ["VM Network", "VirtualEthernetCardNetworkBackingInfo"],
      ["DC0_DVPG0", "VirtualEthernetCardDistributedVirtualPortBackingInfo"],
    ] as const) {
      for (const templateRef of [env.ORQ_VSPHERE_TEMPLATE, "create:otherGuest64"]) {
        const d = new VsphereDriver({
          providerId: "conformance-vsphere",
          endpoint: env.ORQ_VSPHERE_URL,
          credentials: { username: env.ORQ_VSPHERE_USERNAME, password: env.ORQ_VSPHERE_PASSWORD },
          config: { network, keepAliveSeconds: 0 },
        });
        const machineId = randomUUID();
        let ref: string | undefined;
        try {
          ref = (await d.provision(vmSpec(machineId, "conformance net", templateRef, { vcpu: 1, memoryMb: 128, diskGb: 1 }), `k-${machineId}`)).ref;
          const client = (d as unknown as { client: VimClient }).client;
          const vm = await client.properties({ type: "VirtualMachine", value: ref }, ["config.hardware.device"], AbortSignal.timeout(10_000), "devices");
          const nics = (vm.props["config.hardware.device"]?.kids.VirtualDevice ?? []).filter((x) => /Vmxnet|E1000|PCNet/.test(x.xsiType ?? ""));
          expect(nics, `${network} ${templateRef}`).toHaveLength(1);
          expect(nics[0].kids.backing?.[0].xsiType, `${network} ${templateRef}`).toBe(backingType);
          if (backingType === "VirtualEthernetCardNetworkBackingInfo") expect(nics[0].kids.backing?.[0].kids.deviceName?.[0].text).toBe(network);
        } finally {
          if (ref) await d.destroy(ref).catch(() => {});
          await d.close();
        }
      }
    }
  });

  live("reports datacenters, clusters, hosts and datastores", async () => {
    const d = make(env.ORQ_VSPHERE_URL);
    try {
      const inv = await d.inventory({ signal: AbortSignal.timeout(10_000) });
      expect(inv.datacenters.map((x) => x.name)).toContain("DC0");
      expect(inv.clusters.length).toBeGreaterThan(0);
      expect(inv.clusters[0].hostRefs.every((h) => inv.hosts.some((x) => x.ref === h))).toBe(true);
      expect(inv.datastores.length).toBeGreaterThan(0);
      for (const ds of inv.datastores) expect(ds.capacityGb).toBeGreaterThanOrEqual(ds.freeGb);
      expect(inv.hosts.every((h) => (h.diskGb.SSD ?? 0) > 0)).toBe(true);
    } finally {
      await d.close();
    }
  });
});

/** The vCenter sessions whose User-Agent names this provider, read by a separate observer session. */
async function sessionsOf(observer: VimClient, providerId: string): Promise<string[]> {
  const signal = AbortSignal.timeout(10_000);
  const sc = await observer.ensureSession(signal);
  const o = await observer.properties(sc.sessionManager, ["sessionList"], signal, "session list");
  return kids(o.props.sessionList, "UserSession")
    .filter((s) => text(kid(s, "userAgent")) === `Orquestra (provider ${providerId})`)
    .map((s) => text(kid(s, "key")) ?? "?");
}

// The leak this pool fixes: every operation logged in (a vCenter session, a keep-alive timer and
// an HTTP agent per operation) and nothing logged out. Now N operations through N drivers of
// one provider share one session, and once idle nothing is left: no session, timer or socket.
describe("vsphere session pool", () => {
  live("N operations through N drivers of one provider use one vCenter session; once idle none is left", async () => {
    const N = 8;
    const providerId = `conformance-pool-${randomUUID()}`;
    const observer = new VimClient({ url: env.ORQ_VSPHERE_URL, username: env.ORQ_VSPHERE_USERNAME, password: env.ORQ_VSPHERE_PASSWORD, insecure: false, apiVersion: "6.5", keepAliveMs: 0 });
    const handles = trackHandles();
    try {
      expect(await sessionsOf(observer, providerId)).toEqual([]);
      const seen = new Set<string>();
      // One after the other, each driver built and closed as a verb or an operation does.
      for (let i = 0; i < N; i++) {
        const d = make(env.ORQ_VSPHERE_URL, env.ORQ_VSPHERE_PASSWORD, providerId);
        try {
          await d.listMachines({ signal: AbortSignal.timeout(10_000) });
          const sessions = await sessionsOf(observer, providerId);
          expect(sessions, `operation ${i + 1}`).toHaveLength(1);
          seen.add(sessions[0]);
        } finally {
          await d.close();
        }
      }
      // And N at once.
      const drivers = Array.from({ length: N }, () => make(env.ORQ_VSPHERE_URL, env.ORQ_VSPHERE_PASSWORD, providerId));
      try {
        await Promise.all(drivers.map((d) => d.getCapacity({ signal: AbortSignal.timeout(10_000) })));
        expect(vimSessions.stats(providerId)).toMatchObject({ sessions: 1, leases: N, overflow: 0 });
        for (const s of await sessionsOf(observer, providerId)) seen.add(s);
      } finally {
        await Promise.all(drivers.map((d) => d.close()));
      }
      expect([...seen], `${2 * N} operations, sessions seen`).toHaveLength(1);
      console.log(`[vsphere sessions] ${2 * N} operations through ${2 * N} drivers of one provider: ${seen.size} vCenter session(s) while in use`);

      // Released: kept for the next operation, keep-alive stopped (only the idle timer runs).
      expect(vimSessions.stats(providerId)).toEqual({ sessions: 1, leases: 0, idle: 1, timers: 1, overflow: 0 });
      // Idle past sessionIdleSeconds: logged out, timer gone, agent closed.
      const until = Date.now() + 5_000;
      let left = await sessionsOf(observer, providerId);
      while (left.length && Date.now() < until) {
        await new Promise((r) => setTimeout(r, 200));
        left = await sessionsOf(observer, providerId);
      }
      expect(left, "sessions left after idle").toEqual([]);
      expect(vimSessions.stats(providerId)).toEqual({ sessions: 0, leases: 0, idle: 0, timers: 0, overflow: 0 });
      console.log(`[vsphere sessions] after close and ${1} s idle: ${left.length} session(s), pool ${JSON.stringify(vimSessions.stats(providerId))}`);
    } finally {
      await observer.close();
    }
    const open = await handles.settle(2_000);
    handles.stop();
    expect(open.map((h) => `${h.type} opened at\n${h.stack}`), "sockets or timers left open").toEqual([]);
  });

  live("a changed password is a new session: the old one is never borrowed", async () => {
    const providerId = `conformance-pool-${randomUUID()}`;
    const good = make(env.ORQ_VSPHERE_URL, env.ORQ_VSPHERE_PASSWORD, providerId);
    const wrong = make(env.ORQ_VSPHERE_URL, "not-the-password", providerId);
    try {
      await good.testConnection({ signal: AbortSignal.timeout(10_000) });
      const err = await wrong.testConnection({ signal: AbortSignal.timeout(10_000) }).catch((e: unknown) => e);
      expect(err).toMatchObject({ code: "AUTH" });
    } finally {
      await good.close();
      await wrong.close();
    }
  });

  live("a session ended on the server is logged in again, once, for the drivers sharing it", async () => {
    const providerId = `conformance-pool-${randomUUID()}`;
    const observer = new VimClient({ url: env.ORQ_VSPHERE_URL, username: env.ORQ_VSPHERE_USERNAME, password: env.ORQ_VSPHERE_PASSWORD, insecure: false, apiVersion: "6.5", keepAliveMs: 0 });
    const drivers = [0, 1, 2].map(() => make(env.ORQ_VSPHERE_URL, env.ORQ_VSPHERE_PASSWORD, providerId));
    try {
      await drivers[0].listMachines({ signal: AbortSignal.timeout(10_000) });
      const [first] = await sessionsOf(observer, providerId);
      // The server ends it (an administrator, an expiry).
      const signal = AbortSignal.timeout(10_000);
      const sc = await observer.ensureSession(signal);
      await observer.call("TerminateSession", sc.sessionManager, { sessionId: [first] }, signal, "terminate");
      expect(await sessionsOf(observer, providerId)).toEqual([]);
      await Promise.all(drivers.map((d) => d.listMachines({ signal: AbortSignal.timeout(10_000) })));
      const after = await sessionsOf(observer, providerId);
      expect(after).toHaveLength(1);
      expect(after[0]).not.toBe(first);
    } finally {
      for (const d of drivers) await d.close();
      await observer.close();
    }
  });
});

// Metrics through the PerformanceManager: vcsim generates real-time samples for every VM (its
// own data set with noise), so these check the driver's query and units, not vSphere's figures.
describe("vsphere metrics (PerformanceManager)", () => {
  live("a powered-on VM reports CPU %, memory and disk/network rates in range", async () => {
    const d = make(env.ORQ_VSPHERE_URL);
    try {
      const on = (await d.listMachines({ signal: AbortSignal.timeout(10_000) })).find((m) => m.state === "RUNNING");
      expect(on, "vcsim has a powered-on VM").toBeDefined();
      const r = await d.metrics(on!.ref, { signal: AbortSignal.timeout(10_000) });
      expect(r).not.toBeNull();
      expect(r!.cpuPercent).toBeGreaterThanOrEqual(0);
      expect(r!.cpuPercent).toBeLessThanOrEqual(100);
      expect(r!.memoryTotalBytes).toBe(on!.memoryMb! * 1024 * 1024);
      expect(r!.memoryUsedBytes).toBeGreaterThan(0);
      expect(r!.memoryUsedBytes).toBeLessThanOrEqual(r!.memoryTotalBytes!);
      expect(r!.rates?.seconds).toBe(20);
      for (const k of ["diskReadBps", "diskWriteBps", "netInBps", "netOutBps"] as const) {
        expect(Number.isFinite(r!.rates![k]), k).toBe(true);
        expect(r!.rates![k], k).toBeGreaterThanOrEqual(0);
      }
      // vcsim's data set has traffic on every one of these counters: all zeros would mean the
      // counters were not found or not read.
      expect(r!.rates!.diskReadBps + r!.rates!.diskWriteBps + r!.rates!.netInBps + r!.rates!.netOutBps).toBeGreaterThan(0);
      expect(Math.abs(r!.at.getTime() - Date.now())).toBeLessThan(10 * 60_000);
    } finally {
      await d.close();
    }
  });

  live("a VM that does not exist is NOT_FOUND; a powered-off VM has no sample (null)", async () => {
    const d = make(env.ORQ_VSPHERE_URL);
    const machineId = randomUUID();
    try {
      const err = await d.metrics("vm-999999", { signal: AbortSignal.timeout(10_000) }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(DriverError);
      expect((err as DriverError).code).toBe("NOT_FOUND");
      const m = await d.provision(vmSpec(machineId, "conformance metrics off", env.ORQ_VSPHERE_TEMPLATE, { vcpu: 1, memoryMb: 128, diskGb: 1 }), `k-${machineId}`);
      await d.stop(m.ref);
      expect(await d.metrics(m.ref, { signal: AbortSignal.timeout(10_000) })).toBeNull();
    } finally {
      for (const m of (await d.listMachines()).filter((x) => x.machineId === machineId)) await d.destroy(m.ref).catch(() => {});
      await d.close();
    }
  });
});
