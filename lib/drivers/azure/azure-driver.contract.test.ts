// The Azure driver against a local stand-in for Azure Resource Manager and Entra ID
// (test/fake-arm.ts): NOT Azure. Exchanges in the shapes of Microsoft's published REST examples;
// this checks what the driver sends (paths, api-versions, bodies, tags, sizes, disk types), that
// it follows ARM's long-running operations, reads the answers, and maps the errors. Whether Azure
// accepts those bodies is only as sure as the examples are.
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startFakeArm, type FakeArm } from "@/test/fake-arm";
import { trackHandles } from "@/test/conformance/open-handles";
import { DriverError, type MachineSpec } from "../types";
import { AzureDriver, imageReference, mapAzureState } from "./azure-driver";

let arm: FakeArm;
const drivers: AzureDriver[] = [];
const INSTALLATION = "00000000-0000-4000-8000-00000000a2e1";
const SUBNET = (sub: string) => `/subscriptions/${sub}/resourceGroups/rg-net/providers/Microsoft.Network/virtualNetworks/vnet-prod/subnets/default`;

beforeAll(async () => {
  arm = await startFakeArm();
});
afterAll(async () => {
  await Promise.all(drivers.map((d) => d.close()));
  await arm?.close();
});

function driver(over: { secret?: string; config?: Record<string, unknown> } = {}) {
  const d = new AzureDriver({
    providerId: "contract-azure",
    endpoint: arm.url,
    credentials: { tenantId: arm.tenantId, clientId: arm.clientId, clientSecret: over.secret ?? arm.clientSecret, ca: arm.ca },
    config: {
      subscriptionId: arm.subscriptionId,
      resourceGroup: arm.resourceGroup,
      location: "westeurope",
      subnetId: SUBNET(arm.subscriptionId),
      sshPublicKey: "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIExampleKeyOnly ops@example.com",
      authorityHost: arm.url,
      vcpuQuota: 64,
      pollIntervalMs: 10,
      ...over.config,
    },
  });
  drivers.push(d);
  return d;
}

const spec = (machineId = randomUUID()): MachineSpec => ({
  machineId,
  installationId: INSTALLATION,
  name: "web 01",
  vcpu: 2,
  memoryMb: 8192,
  diskGb: 64,
  diskTier: "SSD",
  templateRef: "Canonical:ubuntu-24_04-lts:server:latest",
  sizeRef: "Standard_D2s_v5",
  osFamily: "LINUX",
});

const armCalls = () => arm.exchanges.filter((e) => !e.path.includes("/oauth2/") && !e.path.includes("openid-configuration") && !e.path.includes("/operations/"));

describe("Azure driver contract (no real Azure: Microsoft's published REST examples)", () => {
  it("signs in with the service principal and tests the location's quota and the subnet", async () => {
    const d = driver();
    expect(await d.testConnection()).toEqual({ version: "Azure westeurope, 4 of 100 regional vCPUs in use" });
    const token = arm.exchanges.find((e) => e.path.endsWith("/oauth2/v2.0/token"))!;
    expect(token.body).toMatchObject({ grant_type: "client_credentials", client_id: arm.clientId, scope: `${arm.url}/.default` });
    expect(armCalls().map((e) => `${e.method} ${e.path} ${e.query["api-version"]}`)).toEqual([
      `GET /subscriptions/${arm.subscriptionId}/providers/Microsoft.Compute/locations/westeurope/usages 2026-03-01`,
      `GET ${SUBNET(arm.subscriptionId)} 2024-05-01`,
    ]);
  });

  it("provisions: a NIC in the subnet, then a VM of the mapped size from the image, tagged, with a Premium SSD OS disk of the offering's size", async () => {
    const d = driver();
    const s = spec();
    const before = arm.exchanges.length;
    const m = await d.provision(s, s.machineId);
    const name = d.vmName(s);
    expect(m).toMatchObject({ ref: name, machineId: s.machineId, installationId: INSTALLATION, state: "RUNNING", vcpu: 2, memoryMb: 8192, diskGb: 64, hostRef: "westeurope" });
    const calls = arm.exchanges.slice(before).filter((e) => e.method === "PUT");
    expect(calls.map((e) => e.path.split("/providers/")[1])).toEqual([`Microsoft.Network/networkInterfaces/${name}-nic`, `Microsoft.Compute/virtualMachines/${name}`]);
    const [nic, vm] = calls.map((c) => c.body as Record<string, never>);
    expect(nic).toMatchObject({
      location: "westeurope",
      tags: { "orquestra-machine-id": s.machineId, "orquestra-installation-id": INSTALLATION },
      properties: { ipConfigurations: [{ name: "ipconfig1", properties: { subnet: { id: SUBNET(arm.subscriptionId) }, privateIPAllocationMethod: "Dynamic" } }] },
    });
    expect(vm).toMatchObject({
      location: "westeurope",
      tags: { "orquestra-machine-id": s.machineId, "orquestra-installation-id": INSTALLATION },
      properties: {
        hardwareProfile: { vmSize: "Standard_D2s_v5" },
        storageProfile: {
          imageReference: { publisher: "Canonical", offer: "ubuntu-24_04-lts", sku: "server", version: "latest" },
          osDisk: { name: `${name}-osdisk`, createOption: "FromImage", diskSizeGB: 64, deleteOption: "Delete", managedDisk: { storageAccountType: "Premium_LRS" } },
        },
        osProfile: {
          adminUsername: "orquestra",
          linuxConfiguration: { disablePasswordAuthentication: true, ssh: { publicKeys: [{ path: "/home/orquestra/.ssh/authorized_keys", keyData: expect.stringMatching(/^ssh-ed25519 /) }] } },
        },
        networkProfile: { networkInterfaces: [{ id: expect.stringMatching(new RegExp(`/networkInterfaces/${name}-nic$`)), properties: { primary: true, deleteOption: "Delete" } }] },
      },
    });
    expect(JSON.stringify(vm)).not.toContain("adminPassword");
    // The same machine again: no second PUT, the same VM.
    const n = arm.exchanges.filter((e) => e.method === "PUT").length;
    expect((await d.provision(s, s.machineId)).ref).toBe(name);
    expect(arm.exchanges.filter((e) => e.method === "PUT").length).toBe(n);
    expect(await d.findByMachineId(s.machineId)).toMatchObject({ ref: name, machineId: s.machineId });
    expect(await d.findByMachineId(randomUUID())).toBeNull();
  });

  it("stops by deallocating, starts, restarts, through ARM's long-running operations", async () => {
    const d = driver();
    const s = spec();
    const { ref } = await d.provision(s, s.machineId);
    await d.stop(ref);
    expect((await d.getMachine(ref)).state).toBe("STOPPED");
    await d.stop(ref); // already stopped: nothing sent
    await d.start(ref);
    expect((await d.getMachine(ref)).state).toBe("RUNNING");
    await d.reboot(ref);
    const actions = armCalls()
      .filter((e) => e.method === "POST" && e.path.includes(ref))
      .map((e) => e.path.split("/").pop());
    expect(actions.slice(-3)).toEqual(["deallocate", "start", "restart"]);
  });

  it("resizes: deallocate, grow the OS disk, change the size, start again", async () => {
    const d = driver();
    const s = spec();
    const { ref } = await d.provision(s, s.machineId);
    const before = arm.exchanges.length;
    await d.resize(ref, { vcpu: 4, memoryMb: 16384, diskGb: 128, sizeRef: "Standard_D4s_v5" });
    const calls = arm.exchanges.slice(before).filter((e) => !e.path.includes("/operations/") && e.method !== "GET");
    expect(calls.map((e) => `${e.method} ${e.path.split("/providers/Microsoft.Compute/")[1]}`)).toEqual([
      `POST virtualMachines/${ref}/deallocate`,
      `PATCH disks/${ref}-osdisk`,
      `PATCH virtualMachines/${ref}`,
      `POST virtualMachines/${ref}/start`,
    ]);
    expect(calls[1].body).toEqual({ properties: { diskSizeGB: 128 } });
    expect(calls[2].body).toEqual({ properties: { hardwareProfile: { vmSize: "Standard_D4s_v5" } } });
    expect(await d.getMachine(ref)).toMatchObject({ vcpu: 4, memoryMb: 16384, state: "RUNNING" });
  });

  it("snapshots the OS disk idempotently by name, reverts by swapping in a disk made from it, deletes it", async () => {
    const d = driver();
    const s = spec();
    const { ref } = await d.provision(s, s.machineId);
    const snap = await d.snapshot(ref, "before-upgrade");
    expect((await d.snapshot(ref, "before-upgrade")).ref).toBe(snap.ref);
    expect((await d.listSnapshots(ref)).map((x) => x.name)).toEqual(["before-upgrade"]);
    const put = arm.exchanges.find((e) => e.method === "PUT" && e.path.endsWith(`/snapshots/${snap.ref}`))!;
    expect(put.body).toMatchObject({ properties: { creationData: { createOption: "Copy", sourceResourceId: expect.stringMatching(new RegExp(`/disks/${ref}-osdisk$`)) }, incremental: true }, tags: { "orquestra-vm": ref, "orquestra-snapshot-name": "before-upgrade" } });
    await d.revertSnapshot(ref, snap.ref, { idempotencyKey: "op-12345678" });
    const vm = arm.vms.get(ref.toLowerCase())!;
    const osDisk = (vm.properties.storageProfile as { osDisk: { name: string } }).osDisk;
    expect(osDisk.name).not.toBe(`${ref}-osdisk`);
    expect(arm.disks.has(`${ref}-osdisk`)).toBe(false);
    expect(arm.disks.get(osDisk.name.toLowerCase())).toBeDefined();
    expect(vm.power).toBe("running");
    await d.deleteSnapshot(ref, snap.ref);
    await d.deleteSnapshot(ref, snap.ref);
    expect(await d.listSnapshots(ref)).toEqual([]);
  });

  it("destroys the VM with its NIC, disk and snapshots; destroying again succeeds; then NOT_FOUND", async () => {
    const d = driver();
    const s = spec();
    const { ref } = await d.provision(s, s.machineId);
    await d.snapshot(ref, "s1");
    await d.destroy(ref);
    expect(arm.vms.has(ref.toLowerCase())).toBe(false);
    expect(arm.nics.has(`${ref}-nic`)).toBe(false);
    expect([...arm.disks.keys()].filter((k) => k.startsWith(ref))).toEqual([]);
    expect([...arm.snapshots.values()].filter((x) => x.tags?.["orquestra-vm"] === ref)).toEqual([]);
    await d.destroy(ref);
    await expect(d.getMachine(ref)).rejects.toMatchObject({ code: "NOT_FOUND" });
  });

  it("lists the location's VM sizes and reports the location as its host, within the subscription's limit", async () => {
    const d = driver({ config: { vcpuQuota: 500 } });
    expect((await d.listSizes()).find((x) => x.ref === "Standard_E4s_v5")).toEqual({ ref: "Standard_E4s_v5", vcpu: 4, memoryMb: 32768 });
    expect(await d.getCapacity()).toEqual([{ ref: "westeurope", name: "westeurope (Azure)", vcpu: 100, memoryMb: 800 * 1024, diskGb: { SSD: 51200, HDD: 0 } }]);
  });

  it("errors in plain words: a refused secret is AUTH, a quota is CAPACITY, throttling UNAVAILABLE, an unmapped size PROVIDER", async () => {
    const refused = await driver({ secret: "wrong" }).testConnection().catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(DriverError);
    expect(refused).toMatchObject({ code: "AUTH", retryable: false, message: expect.stringContaining("refused the service principal") });

    const d = driver();
    arm.failNext(/^PUT .*virtualMachines/, 409, "OperationNotAllowed", "Operation could not be completed as it results in exceeding approved Total Regional Cores quota.");
    await expect(d.provision(spec(), "k")).rejects.toMatchObject({ code: "CAPACITY", retryable: false });
    arm.failNext(/usages$/, 429, "TooManyRequests", "The request is being throttled.");
    await expect(d.testConnection()).rejects.toMatchObject({ code: "UNAVAILABLE", retryable: true });
    arm.failNext(/usages$/, 403, "AuthorizationFailed", "The client does not have authorization to perform action 'Microsoft.Compute/locations/usages/read'.");
    await expect(d.testConnection()).rejects.toMatchObject({ code: "AUTH" });
    await expect(d.provision({ ...spec(), sizeRef: null }, "k")).rejects.toMatchObject({ code: "PROVIDER", message: expect.stringContaining("VM size") });
    await expect(d.provision({ ...spec(), templateRef: "ubuntu" }, "k")).rejects.toMatchObject({ code: "PROVIDER", message: expect.stringContaining("image URN") });
    await expect(d.getMachine("no-such-vm")).rejects.toMatchObject({ code: "NOT_FOUND" });
  });

  it("pure parts: power states, image references", () => {
    expect(mapAzureState([{ code: "ProvisioningState/succeeded" }, { code: "PowerState/running" }])).toBe("RUNNING");
    expect(mapAzureState([{ code: "ProvisioningState/succeeded" }, { code: "PowerState/deallocated" }])).toBe("STOPPED");
    expect(mapAzureState([{ code: "ProvisioningState/succeeded" }, { code: "PowerState/deallocating" }])).toBe("PENDING");
    expect(mapAzureState([{ code: "ProvisioningState/failed/AllocationFailed" }])).toBe("ERROR");
    expect(imageReference("/subscriptions/s/resourceGroups/rg/providers/Microsoft.Compute/galleries/g/images/ubuntu/versions/1.0.0")).toEqual({
      id: "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Compute/galleries/g/images/ubuntu/versions/1.0.0",
    });
  });

  it("a closed driver leaves no socket behind", async () => {
    const handles = trackHandles();
    const d = new AzureDriver({
      providerId: "contract-azure",
      endpoint: arm.url,
      credentials: { tenantId: arm.tenantId, clientId: arm.clientId, clientSecret: arm.clientSecret, ca: arm.ca },
      config: { subscriptionId: arm.subscriptionId, resourceGroup: arm.resourceGroup, location: "westeurope", subnetId: SUBNET(arm.subscriptionId), authorityHost: arm.url, vcpuQuota: 8 },
    });
    await d.testConnection();
    await d.close();
    const left = await handles.settle(1_000);
    handles.stop();
    expect(left.map((h) => `${h.type} at\n${h.stack}`)).toEqual([]);
  });
});
