import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { DriverError } from "@/lib/drivers/types";
import type { VimClient } from "@/lib/drivers/vsphere/client";
import { VsphereDriver } from "@/lib/drivers/vsphere/vsphere-driver";
import { describeConformance } from "./driver-conformance";
import { requireEndpoints } from "./endpoints";
import { freeLoopbackPort } from "./fake-servers";

const found = requireEndpoints("vSphere (vcsim)", ["ORQ_VSPHERE_URL", "ORQ_VSPHERE_USERNAME", "ORQ_VSPHERE_PASSWORD", "ORQ_VSPHERE_TEMPLATE"]);
const env = "values" in found ? found.values : {};
const make = (endpoint: string, password = env.ORQ_VSPHERE_PASSWORD ?? "unused") =>
  new VsphereDriver({
    providerId: "conformance-vsphere",
    endpoint,
    credentials: { username: env.ORQ_VSPHERE_USERNAME ?? "orquestra", password },
    config: { stopTimeoutSeconds: 10, keepAliveSeconds: 60 },
  });

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
    const spec = { machineId, name: "conformance twice", vcpu: 1, memoryMb: 128, diskGb: 1, diskTier: "SSD" as const, templateRef: env.ORQ_VSPHERE_TEMPLATE };
    try {
      const [a, b] = await Promise.all([d.provision(spec, `k-${machineId}`), d.provision(spec, `k-${machineId}`)]);
      expect(b.ref).toBe(a.ref);
      expect((await d.listMachines()).filter((m) => m.machineId === machineId)).toHaveLength(1);
    } finally {
      for (const m of (await d.listMachines()).filter((x) => x.machineId === machineId)) await d.destroy(m.ref).catch(() => {});
      await d.close();
    }
  });

  live("creates a VM from scratch for a create:<guestId> template, idempotently", async () => {
    const d = make(env.ORQ_VSPHERE_URL);
    const machineId = randomUUID();
    const spec = { machineId, name: "conformance created", vcpu: 1, memoryMb: 256, diskGb: 2, diskTier: "SSD" as const, templateRef: "create:otherGuest64" };
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
      const m = await d.provision(
        { machineId, name: "conformance tools", vcpu: 1, memoryMb: 128, diskGb: 1, diskTier: "SSD", templateRef: env.ORQ_VSPHERE_TEMPLATE },
        `k-${machineId}`,
      );
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
          ref = (await d.provision({ machineId, name: "conformance net", vcpu: 1, memoryMb: 128, diskGb: 1, diskTier: "SSD", templateRef }, `k-${machineId}`)).ref;
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
