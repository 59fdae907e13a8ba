// Provider management against a real PostgreSQL: create/edit/disable with audit, credentials
// sealed at rest and never in a view, Test connection (unreachable and real endpoints),
// discovery of hosts, inventory sync (drift, unmanaged) and import.
import fs from "node:fs";
import net from "node:net";
import path from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../test/db";
import { addMember, ctxFor, makeOffering, makeProject, makeTemplate, makeUser, TEST_RESERVATION } from "../../test/factories";
import { makeHost, makeProvider } from "../../test/machine-factories";
import type { Ctx } from "../context";
import type { Db } from "../db/client";
import { AppError } from "../errors";
import { generateEncryptionKey, openCredentials } from "../crypto/seal";
import { DRIVERS, withFactory } from "../drivers/registry";
import { DriverError, type Driver, type DriverHostCapacity } from "../drivers/types";
import { createProvider } from "./create-provider";
import { updateProvider } from "./update-provider";
import { setProviderEnabled } from "./set-provider-enabled";
import { testProviderConnection } from "./test-provider-connection";
import { discoverHosts } from "./discover-hosts";
import { getProvider } from "./get-provider";
import { listImportChoices } from "./list-import-choices";
import { importUnmanagedMachine } from "./import-unmanaged-machine";
import { syncAllProviders, syncProviderInventory, MISSING_REASON } from "./sync-inventory";
import { syncProviderNow } from "./sync-provider-now";
import { providerSyncTask } from "./sync-task";
import { setProviderDriverRegistry, type DriverRegistry } from "./provider-driver";
import type { CreateProviderInput } from "./schemas";

// A key of this test run only (env() reads it on first use).
process.env.ORQ_ENCRYPTION_KEY = generateEncryptionKey();

let t: TestDatabase;
let db: Db;
let admin: Ctx;
let user: Ctx;

async function errorOf(p: Promise<unknown>): Promise<AppError> {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(AppError);
  return err as AppError;
}

const fields = (e: AppError) => (e.details?.fields ?? {}) as Record<string, string[]>;

let n = 0;
function input(over: Partial<CreateProviderInput> = {}): CreateProviderInput {
  n++;
  return {
    name: `Provider ${n} ${Math.random().toString(36).slice(2, 7)}`,
    kind: "SIMULATOR",
    endpoint: "simulator://test",
    credentials: {},
    config: {},
    cpuOvercommit: 4,
    memoryOvercommit: 1,
    diskOvercommit: 1,
    placementPolicy: "SPREAD",
    ...over,
  };
}

const audits = (targetId: string, action?: string) => db.auditEvent.findMany({ where: { targetId, ...(action ? { action } : {}) }, orderBy: { id: "asc" } });

/** A TCP port on 127.0.0.1 that nothing listens on. */
async function closedPort(): Promise<number> {
  const srv = net.createServer();
  await new Promise<void>((r) => srv.listen(0, "127.0.0.1", r));
  const port = (srv.address() as net.AddressInfo).port;
  await new Promise<void>((r) => srv.close(() => r()));
  return port;
}

function backendEndpoints(): Record<string, string> {
  const file = path.resolve(process.env.ORQ_BACKENDS_DIR ?? path.join(process.cwd(), ".backends"), "endpoints.env");
  const out: Record<string, string> = {};
  for (const line of fs.existsSync(file) ? fs.readFileSync(file, "utf8").split("\n") : []) {
    const m = /^([A-Z0-9_]+)=(.*)$/.exec(line.trim());
    if (m) out[m[1]] = m[2];
  }
  // Explicit environment variables win (as in the conformance suite).
  for (const [k, v] of Object.entries(process.env)) if (k.startsWith("ORQ_") && v) out[k] = v;
  return out;
}

beforeAll(async () => {
  t = await createTestDatabase();
  db = t.db;
  admin = await ctxFor(db, (await makeUser(db, { role: "ADMIN" })).id);
  user = await ctxFor(db, (await makeUser(db)).id);
});

afterAll(async () => {
  await t?.drop();
});

afterEach(() => setProviderDriverRegistry(null));

describe("create, edit, disable", () => {
  it("creates a provider of any kind, seals its credentials and audits it", async () => {
    const password = "s3cret-Pässword with spaces ";
    const { id } = await createProvider(
      admin,
      input({ kind: "VSPHERE", endpoint: "https://vcenter.lab.local/sdk", credentials: { username: "administrator@vsphere.local", password }, config: { datacenter: "DC0" } }),
    );
    const row = await db.provider.findUniqueOrThrow({ where: { id } });
    expect(row.kind).toBe("VSPHERE");
    expect(row.config).toEqual({ datacenter: "DC0" });
    // Placement ignores it until a connection test succeeds.
    expect(row.status).toBe("UNAVAILABLE");
    // At rest: not the plaintext, and it opens back (bound to this provider's id).
    expect(row.credentialsEnc).toBeTruthy();
    expect(row.credentialsEnc).not.toContain(password.trim());
    expect(row.credentialsEnc).not.toContain("administrator");
    expect(openCredentials(row.credentialsEnc!, { associatedData: id })).toEqual({ username: "administrator@vsphere.local", password });
    expect(() => openCredentials(row.credentialsEnc!, { associatedData: "another-provider" })).toThrow();

    const [audit] = await audits(id, "provider.create");
    expect(audit.actorId).toBe(admin.actor.id);
    const auditText = JSON.stringify(audit, (_k, x: unknown) => (typeof x === "bigint" ? String(x) : x));
    expect(auditText).not.toContain(password.trim());
    expect(auditText).not.toContain(row.credentialsEnc!);
    expect((audit.after as { credentialsSet: boolean }).credentialsSet).toBe(true);

    // The edit view model carries neither the credentials nor their sealed form.
    const view = await getProvider(admin, { id });
    const text = JSON.stringify(view);
    expect(view.credentialsSet).toBe(true);
    expect(text).not.toContain(password.trim());
    expect(text).not.toContain("administrator@vsphere.local");
    expect(text).not.toContain(row.credentialsEnc!);
    expect(Object.keys(view)).not.toContain("credentialsEnc");
    expect(Object.keys(view)).not.toContain("credentials");
  });

  it("registers the Microsoft, public cloud and Kubernetes kinds with their own settings", async () => {
    const cases = [
      { kind: "HYPERV", endpoint: "https://hv01.lab:5986/wsman", credentials: { username: "LAB\\ops", password: "p" }, config: { virtualSwitch: "External", vmPath: "D:\\VMs" } },
      { kind: "KUBERNETES", endpoint: "https://k8s.lab:6443", credentials: { token: "tok" }, config: {} },
      { kind: "EC2", endpoint: "", credentials: { accessKeyId: "AK", secretAccessKey: "SK" }, config: { region: "eu-west-1", vcpuQuota: "32", subnetId: "subnet-0123456789abcdef0" } },
      {
        kind: "AZURE",
        endpoint: "",
        credentials: { tenantId: "t", clientId: "c", clientSecret: "s" },
        config: {
          subscriptionId: "00000000-0000-4000-8000-000000000001",
          resourceGroup: "rg-orq",
          location: "westeurope",
          subnetId: "/subscriptions/00000000-0000-4000-8000-000000000001/resourceGroups/rg-net/providers/Microsoft.Network/virtualNetworks/vnet/subnets/default",
          vcpuQuota: "16",
        },
      },
    ] as const;
    for (const c of cases) {
      const { id } = await createProvider(admin, input({ ...c, credentials: { ...c.credentials }, config: { ...c.config } }));
      const row = await db.provider.findUniqueOrThrow({ where: { id } });
      expect(row.kind).toBe(c.kind);
      // Numbers typed in the form are stored as numbers.
      if (c.kind === "EC2") expect(row.config).toEqual({ region: "eu-west-1", vcpuQuota: 32, subnetId: "subnet-0123456789abcdef0" });
    }
  });

  it("refuses bad input field by field and writes nothing", async () => {
    const before = await db.provider.count();
    const auditsBefore = await db.auditEvent.count();
    const e = await errorOf(
      createProvider(
        admin,
        input({
          name: "",
          kind: "VSPHERE",
          endpoint: "ftp://nope",
          credentials: { username: "u", token: "x" },
          config: { storagepool: "typo" },
          cpuOvercommit: 0,
          memoryOvercommit: 65,
          placementPolicy: "RANDOM" as "PACK",
        }),
      ),
    );
    expect(e.code).toBe("VALIDATION");
    const f = fields(e);
    expect(f.name).toEqual(["providers.validation.nameRequired"]);
    expect(f.endpoint).toEqual(["providers.validation.endpointFormatVSPHERE"]);
    expect(f["credentials.password"]).toEqual(["providers.validation.credentialRequired"]);
    expect(f["credentials.token"]).toEqual(["providers.validation.credentialUnknown"]);
    expect(f["config.storagepool"]).toEqual(["providers.validation.configUnknownKey"]);
    expect(f.cpuOvercommit).toBeDefined();
    expect(f.memoryOvercommit).toBeDefined();
    expect(f.placementPolicy).toBeDefined();

    const notObject = await errorOf(createProvider(admin, input({ config: [1] as unknown as Record<string, unknown> })));
    expect(fields(notObject).config).toEqual(["providers.validation.configObject"]);
    const typed = await errorOf(createProvider(admin, input({ kind: "LIBVIRT", endpoint: "test:///default", config: { domainType: "xen" } })));
    expect(fields(typed)["config.domainType"]).toEqual(["providers.validation.configDomainType"]);
    // A kind's required setting left empty is named on its field.
    const noRegion = await errorOf(createProvider(admin, input({ kind: "EC2", endpoint: "", credentials: { accessKeyId: "AKIA", secretAccessKey: "s" }, config: { region: "", vcpuQuota: "8" } })));
    expect(fields(noRegion)["config.region"]).toEqual(["providers.validation.configRequired"]);
    const missing = await errorOf(createProvider(admin, input({ kind: "DOCKER", endpoint: "" })));
    expect(fields(missing).endpoint).toEqual(["providers.validation.endpointRequired"]);

    const { name } = await db.provider.findFirstOrThrow({ select: { name: true } });
    const dup = await errorOf(createProvider(admin, input({ name: name.toUpperCase() })));
    expect(fields(dup).name).toEqual(["providers.validation.nameTaken"]);

    expect(await db.provider.count()).toBe(before);
    expect(await db.auditEvent.count()).toBe(auditsBefore);
  });

  it("edits: blank credentials stay, typed ones replace, a changed endpoint needs a new test", async () => {
    const { id } = await createProvider(admin, input({ kind: "VSPHERE", endpoint: "https://vc1.lab/sdk", credentials: { username: "alice", password: "first" } }));
    await db.provider.update({ where: { id }, data: { status: "ACTIVE", statusReason: null } });
    const sealed1 = (await db.provider.findUniqueOrThrow({ where: { id } })).credentialsEnc!;

    const view = await getProvider(admin, { id });
    await updateProvider(admin, {
      id,
      name: "vCenter lab",
      endpoint: view.endpoint,
      credentials: { username: "", password: "" },
      config: { cluster: "C1" },
      cpuOvercommit: 8,
      memoryOvercommit: 1.5,
      diskOvercommit: 2,
      placementPolicy: "PACK",
    });
    let row = await db.provider.findUniqueOrThrow({ where: { id } });
    expect(row.name).toBe("vCenter lab");
    expect(row.config).toEqual({ cluster: "C1" });
    expect([row.cpuOvercommit, row.memoryOvercommit, row.diskOvercommit, row.placementPolicy]).toEqual([8, 1.5, 2, "PACK"]);
    expect(row.credentialsEnc).toBe(sealed1);
    expect(row.status).toBe("ACTIVE"); // same endpoint and credentials: no new test needed

    await updateProvider(admin, { ...view, id, name: "vCenter lab", endpoint: "https://vc2.lab/sdk", credentials: { password: "second" }, config: {} });
    row = await db.provider.findUniqueOrThrow({ where: { id } });
    expect(row.endpoint).toBe("https://vc2.lab/sdk");
    expect(row.credentialsEnc).not.toBe(sealed1);
    expect(openCredentials(row.credentialsEnc!, { associatedData: id })).toEqual({ username: "alice", password: "second" });
    expect(row.status).toBe("UNAVAILABLE");

    const updates = await audits(id, "provider.update");
    expect(updates).toHaveLength(2);
    expect((updates[0].before as { name: string }).name).toBe(view.name);
    expect((updates[0].after as { name: string; credentialsChanged: boolean }).name).toBe("vCenter lab");
    expect((updates[0].after as { credentialsChanged: boolean }).credentialsChanged).toBe(false);
    expect((updates[1].after as { credentialsChanged: boolean }).credentialsChanged).toBe(true);
    expect(JSON.stringify(updates, (_k, x: unknown) => (typeof x === "bigint" ? String(x) : x))).not.toContain("second");

    // Clearing the credentials of a kind that requires them is refused, and nothing changes.
    const e = await errorOf(updateProvider(admin, { ...view, id, name: "vCenter lab", endpoint: "https://vc2.lab/sdk", credentials: {}, config: {}, clearCredentials: true }));
    expect(fields(e)["credentials.username"]).toEqual(["providers.validation.credentialRequired"]);
    expect((await db.provider.findUniqueOrThrow({ where: { id } })).credentialsEnc).toBe(row.credentialsEnc);

    // Docker's TLS material is optional: it can be cleared.
    const d = await createProvider(admin, input({ kind: "DOCKER", endpoint: "tcp://10.0.0.5:2376", credentials: { ca: "-----BEGIN CERTIFICATE-----\nAAA\n-----END CERTIFICATE-----" } }));
    expect((await getProvider(admin, { id: d.id })).credentialsSet).toBe(true);
    const dv = await getProvider(admin, { id: d.id });
    await updateProvider(admin, { ...dv, id: d.id, credentials: {}, clearCredentials: true });
    expect((await db.provider.findUniqueOrThrow({ where: { id: d.id } })).credentialsEnc).toBeNull();

    const nf = await errorOf(updateProvider(admin, { ...dv, id: "00000000-0000-4000-8000-000000000000" }));
    expect(nf.code).toBe("NOT_FOUND");
  });

  it("disables and enables (enable tests the connection), audited once each", async () => {
    const { id } = await createProvider(admin, input());
    await setProviderEnabled(admin, { id, enabled: false });
    await setProviderEnabled(admin, { id, enabled: false });
    expect((await db.provider.findUniqueOrThrow({ where: { id } })).status).toBe("DISABLED");
    expect(await audits(id, "provider.disable")).toHaveLength(1);

    // A disabled provider can be tested but stays disabled.
    const tested = await testProviderConnection(admin, { id });
    expect(tested).toMatchObject({ ok: true, status: "DISABLED" });

    const r = await setProviderEnabled(admin, { id, enabled: true });
    expect(r.status).toBe("ACTIVE");
    expect(r.connection).toEqual({ ok: true, version: "simulator-1" });
    expect(await audits(id, "provider.enable")).toHaveLength(1);
  });

  it("refuses every verb to non-administrators", async () => {
    const { id } = await createProvider(admin, input());
    const u = await db.unmanagedMachine.create({ data: { providerId: id, ref: "x", name: "x", state: "RUNNING", seenAt: new Date() } });
    const view = await getProvider(admin, { id });
    const calls: (() => Promise<unknown>)[] = [
      () => createProvider(user, input()),
      () => updateProvider(user, { ...view, id }),
      () => setProviderEnabled(user, { id, enabled: false }),
      () => testProviderConnection(user, { id }),
      () => discoverHosts(user, { id }),
      () => getProvider(user, { id }),
      () => listImportChoices(user),
      () => syncProviderNow(user, { id }),
      () => importUnmanagedMachine(user, { unmanagedId: u.id, projectId: id, ownerId: id, offeringId: id, templateId: id }),
    ];
    for (const c of calls) expect((await errorOf(c())).code).toBe("FORBIDDEN");
    expect((await db.provider.findUniqueOrThrow({ where: { id } })).status).toBe("UNAVAILABLE");
  });
});

describe("Test connection", () => {
  it("answers ok with the version for a reachable provider and makes it ACTIVE", async () => {
    const { id } = await createProvider(admin, input());
    const r = await testProviderConnection(admin, { id });
    expect(r).toEqual({ ok: true, version: "simulator-1", status: "ACTIVE" });
    const row = await db.provider.findUniqueOrThrow({ where: { id } });
    expect([row.status, row.statusReason]).toEqual(["ACTIVE", null]);
    const [a] = await audits(id, "provider.test");
    expect(a.after).toMatchObject({ ok: true, version: "simulator-1", status: "ACTIVE" });
  });

  it("a unix socket that does not exist: UNAVAILABLE with a clear reason, no stack", async () => {
    const { id } = await createProvider(admin, input({ kind: "DOCKER", endpoint: "unix:///nonexistent/orquestra-test/docker.sock" }));
    await db.provider.update({ where: { id }, data: { status: "ACTIVE", statusReason: null } });
    const r = await testProviderConnection(admin, { id });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.code).toBe("UNAVAILABLE");
    expect(r.message).toMatch(/unreachable/i);
    expect(r.message).not.toMatch(/\n|\s+at\s+\S+\s+\(/);
    expect(r.status).toBe("UNAVAILABLE");
    const row = await db.provider.findUniqueOrThrow({ where: { id } });
    expect(row.status).toBe("UNAVAILABLE");
    expect(row.statusReason).toBe(`UNAVAILABLE: ${r.message}`);
  });

  it("a closed TCP port: UNAVAILABLE (LXD over https and Docker over tcp)", async () => {
    const port = await closedPort();
    const docker = await createProvider(admin, input({ kind: "DOCKER", endpoint: `tcp://127.0.0.1:${port}` }));
    const r = await testProviderConnection(admin, { id: docker.id });
    expect(r).toMatchObject({ ok: false, code: "UNAVAILABLE", status: "UNAVAILABLE" });
    const lxd = await createProvider(admin, input({ kind: "LXD", endpoint: `unix:///nonexistent/orquestra-test/lxd.socket` }));
    expect(await testProviderConnection(admin, { id: lxd.id })).toMatchObject({ ok: false, code: "UNAVAILABLE", status: "UNAVAILABLE" });
  });

  it("a kind without a driver says so (UNSUPPORTED)", async () => {
    // Every kind has a driver now: a registry where Kubernetes has none stands for a future kind.
    setProviderDriverRegistry({ ...DRIVERS, KUBERNETES: { ...DRIVERS.KUBERNETES, create: null } });
    const { id } = await createProvider(admin, input({ kind: "KUBERNETES", endpoint: "https://k8s.lab:6443", credentials: { token: "tok" } }));
    const r = await testProviderConnection(admin, { id });
    expect(r).toMatchObject({ ok: false, code: "UNSUPPORTED", status: "UNAVAILABLE" });
    if (!r.ok) expect(r.message).toMatch(/no driver for KUBERNETES/);
  });

  it("a driver that never answers times out within the deadline", async () => {
    const { id } = await createProvider(admin, input());
    await db.simFault.create({ data: { providerId: id, operation: "testConnection", mode: "HANG" } });
    const started = Date.now();
    const r = await testProviderConnection(admin, { id });
    expect(Date.now() - started).toBeLessThan(15_000);
    expect(r).toMatchObject({ ok: false, code: "TIMEOUT", status: "UNAVAILABLE" });
  }, 30_000);

  const endpoints = backendEndpoints();
  const dockerSocket = endpoints.ORQ_DOCKER_SOCKET && fs.existsSync(endpoints.ORQ_DOCKER_SOCKET) ? endpoints.ORQ_DOCKER_SOCKET : null;
  it.skipIf(!dockerSocket)(`a real Docker endpoint (Podman) answers with its version${dockerSocket ? "" : " [skipped: no .backends/endpoints.env with a running Podman socket; npm run backends:up]"}`, async () => {
    const { id } = await createProvider(admin, input({ kind: "DOCKER", endpoint: `unix://${dockerSocket}` }));
    const r = await testProviderConnection(admin, { id });
    expect(r).toMatchObject({ ok: true, status: "ACTIVE" });
    if (r.ok) expect(r.version).toBeTruthy();
    // Its one host, with the engine's CPU and memory.
    const d = await discoverHosts(admin, { id });
    expect(d).toMatchObject({ ok: true, created: [expect.any(String)] });
    const host = await db.host.findFirstOrThrow({ where: { providerId: id } });
    expect(host.vcpuTotal).toBeGreaterThan(0);
    expect(host.memoryMbTotal).toBeGreaterThan(0);
    // And its inventory lists (containers not made by Orquestra would show as unmanaged).
    expect(await syncProviderInventory(db, id, new Date())).toMatchObject({ ok: true, drifted: 0 });
  });
  const vsphere = endpoints.ORQ_VSPHERE_URL && endpoints.ORQ_VSPHERE_USERNAME && endpoints.ORQ_VSPHERE_PASSWORD ? endpoints : null;
  const vsphereSkip = !DRIVERS.VSPHERE.create ? " [skipped: no vSphere driver registered yet]" : !vsphere ? " [skipped: no running vcsim in .backends/endpoints.env]" : "";
  it.skipIf(vsphereSkip !== "")(`a real vSphere endpoint (vcsim) answers with the sealed credentials${vsphereSkip}`, async () => {
    const { id } = await createProvider(
      admin,
      input({ kind: "VSPHERE", endpoint: vsphere!.ORQ_VSPHERE_URL, credentials: { username: vsphere!.ORQ_VSPHERE_USERNAME, password: vsphere!.ORQ_VSPHERE_PASSWORD } }),
    );
    expect(await testProviderConnection(admin, { id })).toMatchObject({ ok: true, status: "ACTIVE" });
    // Its ESXi hosts land in the hosts table.
    const d = await discoverHosts(admin, { id });
    expect(d.ok && d.created.length).toBeGreaterThan(0);
    expect(await db.host.count({ where: { providerId: id, vcpuTotal: { gt: 0 } } })).toBeGreaterThan(0);
    // Wrong password: AUTH, in plain words.
    const view = await getProvider(admin, { id });
    await updateProvider(admin, { ...view, id, credentials: { password: "wrong-password" } });
    expect(await testProviderConnection(admin, { id })).toMatchObject({ ok: false, code: "AUTH", status: "UNAVAILABLE" });
  });
  const lxdSocket = endpoints.ORQ_LXD_SOCKET && fs.existsSync(endpoints.ORQ_LXD_SOCKET) ? endpoints.ORQ_LXD_SOCKET : null;
  it.skipIf(!lxdSocket)(`a real LXD endpoint answers${lxdSocket ? "" : " [skipped: no running LXD in .backends/endpoints.env]"}`, async () => {
    const { id } = await createProvider(admin, input({ kind: "LXD", endpoint: `unix://${lxdSocket}` }));
    expect(await testProviderConnection(admin, { id })).toMatchObject({ ok: true, status: "ACTIVE" });
  });
  const libvirtUri = endpoints.ORQ_LIBVIRT_TEST_URI && endpoints.ORQ_LIBVIRT_SOCKET && fs.existsSync(endpoints.ORQ_LIBVIRT_SOCKET) ? endpoints.ORQ_LIBVIRT_TEST_URI : null;
  it.skipIf(!libvirtUri)(`a real libvirt endpoint (test driver) answers and its host is discovered${libvirtUri ? "" : " [skipped: no running libvirtd in .backends/endpoints.env]"}`, async () => {
    const { id } = await createProvider(admin, input({ kind: "LIBVIRT", endpoint: libvirtUri!, config: { storagePool: "default-pool" } }));
    expect(await testProviderConnection(admin, { id })).toMatchObject({ ok: true, status: "ACTIVE" });
    const d = await discoverHosts(admin, { id });
    expect(d.ok).toBe(true);
    expect(await db.host.count({ where: { providerId: id } })).toBeGreaterThan(0);
  });
});

/** Drivers the fake registries built and the verbs closed. */
let closed = 0;

/** A small in-test driver for one kind: real code path, no database mock. */
function fakeDriverRegistry(kind: "KUBERNETES", impl: Partial<Driver>): DriverRegistry {
  const driver = {
    kind,
    capabilities: new Set(),
    provision: async () => {
      throw new DriverError("UNSUPPORTED", "not in this test", false);
    },
    close: async () => {
      closed++;
    },
    ...impl,
  } as unknown as Driver;
  return withFactory(DRIVERS, kind, async () => driver);
}

describe("Discover hosts", () => {
  it("upserts hosts from the driver's capacity without touching usage", async () => {
    const { id } = await createProvider(admin, input({ kind: "KUBERNETES", endpoint: "https://k8s.lab:6443", credentials: { token: "tok" } }));
    // An existing host known by its ref under an administrator's name, with usage.
    const known = await db.host.create({
      data: { providerId: id, name: "rack1-a", externalRef: "host-1", vcpuTotal: 8, memoryMbTotal: 1024, vcpuUsed: 6, memoryMbUsed: 900, diskSsdGbUsed: 50, diskSsdGbTotal: 100 },
    });
    let hosts: DriverHostCapacity[] = [
      { ref: "host-1", name: "hv-01", vcpu: 64, memoryMb: 512 * 1024, diskGb: { SSD: 2000 } },
      { ref: "host-2", name: "hv-02", vcpu: 32, memoryMb: 256 * 1024, diskGb: { SSD: 1000, HDD: 8000 }, maintenance: true },
    ];
    setProviderDriverRegistry(fakeDriverRegistry("KUBERNETES", { getCapacity: async () => hosts }));
    const closedBefore = closed;

    const r = await discoverHosts(admin, { id });
    // The verb closed the driver it built.
    expect(closed - closedBefore).toBe(1);
    expect(r).toEqual({ ok: true, created: ["hv-02"], updated: ["rack1-a"], unchanged: [], missing: [] });
    const after = await db.host.findUniqueOrThrow({ where: { id: known.id } });
    expect(after).toMatchObject({ name: "rack1-a", vcpuTotal: 64, memoryMbTotal: 512 * 1024, diskSsdGbTotal: 2000, vcpuUsed: 6, memoryMbUsed: 900, diskSsdGbUsed: 50, state: "ACTIVE" });
    const created = await db.host.findFirstOrThrow({ where: { providerId: id, name: "hv-02" } });
    expect(created).toMatchObject({ externalRef: "host-2", vcpuTotal: 32, diskHddGbTotal: 8000, state: "MAINTENANCE", vcpuUsed: 0 });
    expect((await db.provider.findUniqueOrThrow({ where: { id } })).status).toBe("ACTIVE");
    const [audit] = await audits(id, "provider.discover");
    expect(audit.after).toMatchObject({ ok: true, created: ["hv-02"], updated: ["rack1-a"] });

    // Again: nothing changes; a host gone from the provider is reported, not deleted.
    hosts = [hosts[1]];
    const again = await discoverHosts(admin, { id });
    expect(again).toEqual({ ok: true, created: [], updated: [], unchanged: ["hv-02"], missing: ["rack1-a"] });
    expect(await db.host.count({ where: { providerId: id } })).toBe(2);
  });

  it("a failing discovery makes the provider UNAVAILABLE with the reason", async () => {
    const { id } = await createProvider(admin, input({ kind: "KUBERNETES", endpoint: "https://k8s.lab:6443", credentials: { token: "tok" } }));
    await db.provider.update({ where: { id }, data: { status: "ACTIVE", statusReason: null } });
    setProviderDriverRegistry(
      fakeDriverRegistry("KUBERNETES", {
        getCapacity: async () => {
          throw new DriverError("AUTH", "Hyper-V refused the credentials", false);
        },
      }),
    );
    const closedBefore = closed;
    expect(await discoverHosts(admin, { id })).toEqual({ ok: false, code: "AUTH", message: "Hyper-V refused the credentials" });
    // Closed even though the call failed.
    expect(closed - closedBefore).toBe(1);
    expect(await db.provider.findUniqueOrThrow({ where: { id } })).toMatchObject({ status: "UNAVAILABLE", statusReason: "AUTH: Hyper-V refused the credentials" });
    expect(await db.host.count({ where: { providerId: id } })).toBe(0);
  });

  it("an unexpected exception is reported in plain words, never as a stack", async () => {
    const { id } = await createProvider(admin, input({ kind: "KUBERNETES", endpoint: "https://k8s.lab:6443", credentials: { token: "tok" } }));
    setProviderDriverRegistry(
      fakeDriverRegistry("KUBERNETES", {
        getCapacity: async () => {
          throw new TypeError("Cannot read properties of undefined (reading 'x')");
        },
      }),
    );
    const r = await discoverHosts(admin, { id });
    expect(r).toMatchObject({ ok: false, code: "PROVIDER" });
    if (!r.ok) expect(r.message).not.toContain("Cannot read properties");
  });

  it("the simulator reports its own hosts: discovery changes nothing", async () => {
    const p = await makeProvider(db);
    await makeHost(db, p.id, { vcpuUsed: 3 });
    // The first run records the host's ref (the name, for the simulator); then nothing changes.
    expect(await discoverHosts(admin, { id: p.id })).toMatchObject({ ok: true, updated: [expect.any(String)], created: [] });
    const r = await discoverHosts(admin, { id: p.id });
    expect(r.ok && r.unchanged.length).toBe(1);
    expect((await db.host.findFirstOrThrow({ where: { providerId: p.id } })).vcpuUsed).toBe(3);
  });
});

describe("inventory sync", () => {
  async function simSetup() {
    const provider = await makeProvider(db);
    const host = await makeHost(db, provider.id);
    const project = await makeProject(db);
    const owner = await makeUser(db);
    await addMember(db, project.id, owner.id, "MEMBER");
    const offering = await makeOffering(db, { vcpu: 2, memoryMb: 4096, diskGb: 50 });
    const template = await makeTemplate(db);
    /** An Orquestra machine and its simulator counterpart, in sync. */
    const machine = async (state: "RUNNING" | "STOPPED") => {
      const m = await db.machine.create({
        data: { ...TEST_RESERVATION, projectId: project.id, ownerId: owner.id, offeringId: offering.id, templateId: template.id, name: `vm-${Math.random().toString(36).slice(2, 7)}`, state, providerId: provider.id, hostId: host.id },
      });
      const sim = await db.simMachine.create({
        data: { providerId: provider.id, idempotencyKey: m.id, name: m.name, powerState: state, vcpu: 2, memoryMb: 4096, diskGb: 50, hostName: host.name },
      });
      return db.machine.update({ where: { id: m.id }, data: { externalRef: sim.id } });
    };
    return { provider, host, project, owner, offering, template, machine };
  }

  it("marks machines deleted or powered differently outside Orquestra as drifted, lists unknown ones, and clears drift", async () => {
    const s = await simSetup();
    const inSync = await s.machine("RUNNING");
    const deletedBehind = await s.machine("RUNNING");
    const stoppedBehind = await s.machine("RUNNING");
    const busy = await s.machine("RUNNING");
    await db.machine.update({ where: { id: busy.id }, data: { state: "STOPPING", version: { increment: 1 } } });
    await db.simMachine.update({ where: { id: busy.externalRef! }, data: { powerState: "STOPPED" } });
    // Behind Orquestra's back:
    await db.simMachine.delete({ where: { id: deletedBehind.externalRef! } });
    await db.simMachine.update({ where: { id: stoppedBehind.externalRef! }, data: { powerState: "STOPPED" } });
    const stranger = await db.simMachine.create({
      data: { providerId: s.provider.id, idempotencyKey: "made-by-hand-1", name: "legacy-db", powerState: "RUNNING", vcpu: 4, memoryMb: 8192, diskGb: 100, hostName: s.host.name },
    });

    const now = new Date("2026-11-25T12:00:00Z");
    const r = await syncProviderInventory(db, s.provider.id, now);
    expect(r).toMatchObject({ ok: true, drifted: 2, cleared: 0, unmanaged: 1, seen: 4 });

    const get = (id: string) => db.machine.findUniqueOrThrow({ where: { id } });
    expect(await get(inSync.id)).toMatchObject({ drifted: false, driftReason: null });
    expect(await get(deletedBehind.id)).toMatchObject({ drifted: true, driftReason: MISSING_REASON, state: "RUNNING" });
    const stopped = await get(stoppedBehind.id);
    expect(stopped.drifted).toBe(true);
    expect(stopped.driftReason).toMatch(/STOPPED.*RUNNING/);
    expect(await get(busy.id)).toMatchObject({ drifted: false }); // an operation is under way: not compared

    const unmanaged = await db.unmanagedMachine.findMany({ where: { providerId: s.provider.id } });
    expect(unmanaged).toHaveLength(1);
    expect(unmanaged[0]).toMatchObject({ ref: stranger.id, name: "legacy-db", state: "RUNNING", vcpu: 4, memoryMb: 8192, diskGb: 100, hostRef: s.host.name });
    expect(unmanaged[0].seenAt.toISOString()).toBe(now.toISOString());
    expect((await db.provider.findUniqueOrThrow({ where: { id: s.provider.id } })).lastSyncAt?.toISOString()).toBe(now.toISOString());

    const driftAudits = await db.auditEvent.findMany({ where: { action: "machine.drift", targetId: { in: [deletedBehind.id, stoppedBehind.id] } } });
    expect(driftAudits).toHaveLength(2);
    expect(driftAudits.every((a) => a.actorId === null && a.projectId === s.project.id)).toBe(true);

    // The provider edit view lists them.
    const view = await getProvider(admin, { id: s.provider.id });
    expect(view.driftedMachines.map((m) => m.id).sort()).toEqual([deletedBehind.id, stoppedBehind.id].sort());
    expect(view.unmanagedMachines.map((m) => m.ref)).toEqual([stranger.id]);

    // A second run changes nothing and audits nothing new.
    const again = await syncProviderInventory(db, s.provider.id, new Date(now.getTime() + 60_000));
    expect(again).toMatchObject({ ok: true, drifted: 0, cleared: 0, unmanaged: 1 });
    expect(await db.auditEvent.count({ where: { action: "machine.drift" } })).toBe(2);
    expect(await db.unmanagedMachine.count({ where: { providerId: s.provider.id } })).toBe(1);

    // Powered back on at the provider: the drift clears. The stranger goes away: so does its row.
    await db.simMachine.update({ where: { id: stoppedBehind.externalRef! }, data: { powerState: "RUNNING" } });
    await db.simMachine.delete({ where: { id: stranger.id } });
    const third = await syncProviderInventory(db, s.provider.id, new Date(now.getTime() + 120_000));
    expect(third).toMatchObject({ ok: true, drifted: 0, cleared: 1, unmanaged: 0 });
    expect(await get(stoppedBehind.id)).toMatchObject({ drifted: false, driftReason: null });
    expect(await get(deletedBehind.id)).toMatchObject({ drifted: true });
    expect(await db.auditEvent.count({ where: { action: "machine.drift_clear", targetId: stoppedBehind.id } })).toBe(1);
    expect(await db.unmanagedMachine.count({ where: { providerId: s.provider.id } })).toBe(0);
  });

  it("a provider that does not answer becomes UNAVAILABLE; nothing is marked drifted", async () => {
    const s = await simSetup();
    const m = await s.machine("RUNNING");
    await db.provider.update({ where: { id: s.provider.id }, data: { status: "ACTIVE" } });
    await db.simFault.create({ data: { providerId: s.provider.id, operation: "listMachines", mode: "TRANSIENT", message: "simulated outage", remaining: 1 } });
    const r = await syncProviderInventory(db, s.provider.id, new Date());
    expect(r).toMatchObject({ ok: false, code: "UNAVAILABLE", message: "simulated outage" });
    expect(await db.provider.findUniqueOrThrow({ where: { id: s.provider.id } })).toMatchObject({ status: "UNAVAILABLE", statusReason: "UNAVAILABLE: simulated outage" });
    expect((await db.machine.findUniqueOrThrow({ where: { id: m.id } })).drifted).toBe(false);
    expect(await audits(s.provider.id, "provider.unavailable")).toHaveLength(1);
    // It answers again: back to ACTIVE.
    expect((await syncProviderInventory(db, s.provider.id, new Date())).ok).toBe(true);
    expect((await db.provider.findUniqueOrThrow({ where: { id: s.provider.id } })).status).toBe("ACTIVE");
  });

  it("syncAllProviders skips disabled providers and kinds without a driver", async () => {
    const s = await simSetup();
    const disabled = await makeProvider(db);
    await db.provider.update({ where: { id: disabled.id }, data: { status: "DISABLED" } });
    await db.simMachine.create({ data: { providerId: disabled.id, idempotencyKey: "x-1", name: "ghost", powerState: "RUNNING", vcpu: 1, memoryMb: 512, diskGb: 10 } });
    // Every kind has a driver now: a registry where Kubernetes has none stands for a future kind.
    setProviderDriverRegistry({ ...DRIVERS, KUBERNETES: { ...DRIVERS.KUBERNETES, create: null } });
    const ec2 = await createProvider(admin, input({ kind: "KUBERNETES", endpoint: "https://k8s.lab:6443", credentials: { token: "tok" } }));
    const results = await syncAllProviders(db, new Date());
    const ids = results.map((r) => r.providerId);
    expect(ids).toContain(s.provider.id);
    expect(ids).not.toContain(disabled.id);
    expect(ids).not.toContain(ec2.id);
    expect(await db.unmanagedMachine.count({ where: { providerId: disabled.id } })).toBe(0);

    // The worker's task runs the same sync, as of the payload's moment when it has one.
    const at = new Date("2030-01-02T03:04:05Z");
    await providerSyncTask(db)({ now: at.toISOString() }, {} as never);
    expect((await db.provider.findUniqueOrThrow({ where: { id: s.provider.id } })).lastSyncAt?.toISOString()).toBe(at.toISOString());
  });

  it("imports an unmanaged machine into a project, with quota, host usage and audit", async () => {
    const s = await simSetup();
    const sim = await db.simMachine.create({
      data: { providerId: s.provider.id, idempotencyKey: "by-hand-2", name: "old-app", powerState: "STOPPED", vcpu: 2, memoryMb: 4096, diskGb: 50, hostName: s.host.name },
    });
    await syncProviderNow(admin, { id: s.provider.id });
    const u = await db.unmanagedMachine.findFirstOrThrow({ where: { providerId: s.provider.id, ref: sim.id } });

    const choices = await listImportChoices(admin);
    expect(choices.projects.find((p) => p.id === s.project.id)?.members.map((m) => m.id)).toContain(s.owner.id);
    expect(choices.offerings.map((o) => o.id)).toContain(s.offering.id);

    // The owner must be a member of the project.
    const outsider = await makeUser(db);
    const bad = await errorOf(importUnmanagedMachine(admin, { unmanagedId: u.id, projectId: s.project.id, ownerId: outsider.id, offeringId: s.offering.id, templateId: s.template.id }));
    expect(bad.code).toBe("VALIDATION");
    expect(fields(bad).ownerId).toEqual(["providers.validation.ownerNotMember"]);
    expect(await db.unmanagedMachine.count({ where: { id: u.id } })).toBe(1);

    const projectBefore = await db.project.findUniqueOrThrow({ where: { id: s.project.id } });
    const { machineId } = await importUnmanagedMachine(admin, { unmanagedId: u.id, projectId: s.project.id, ownerId: s.owner.id, offeringId: s.offering.id, templateId: s.template.id });
    const m = await db.machine.findUniqueOrThrow({ where: { id: machineId } });
    expect(m).toMatchObject({ projectId: s.project.id, ownerId: s.owner.id, offeringId: s.offering.id, state: "STOPPED", externalRef: sim.id, providerId: s.provider.id, hostId: s.host.id, name: "old-app" });
    expect(await db.unmanagedMachine.count({ where: { id: u.id } })).toBe(0);
    const projectAfter = await db.project.findUniqueOrThrow({ where: { id: s.project.id } });
    expect(projectAfter.usedVcpu - projectBefore.usedVcpu).toBe(2);
    expect(projectAfter.usedMachines - projectBefore.usedMachines).toBe(1);
    expect((await db.host.findUniqueOrThrow({ where: { id: s.host.id } })).vcpuUsed).toBe(2);
    const [audit] = await db.auditEvent.findMany({ where: { action: "machine.import", targetId: machineId } });
    expect(audit).toMatchObject({ actorId: admin.actor.id, projectId: s.project.id });

    // Importing it twice is refused; the next sync sees it as managed, in sync.
    expect((await errorOf(importUnmanagedMachine(admin, { unmanagedId: u.id, projectId: s.project.id, ownerId: s.owner.id, offeringId: s.offering.id, templateId: s.template.id }))).code).toBe("NOT_FOUND");
    const r = await syncProviderInventory(db, s.provider.id, new Date());
    expect(r).toMatchObject({ ok: true, drifted: 0, unmanaged: 0 });
  });

  it("an import that would exceed the project's quota writes nothing", async () => {
    const s = await simSetup();
    const small = await makeProject(db, { quotaVcpu: 1 });
    await addMember(db, small.id, s.owner.id, "MEMBER");
    const sim = await db.simMachine.create({ data: { providerId: s.provider.id, idempotencyKey: "by-hand-3", name: "big", powerState: "RUNNING", vcpu: 2, memoryMb: 4096, diskGb: 50 } });
    await syncProviderInventory(db, s.provider.id, new Date());
    const u = await db.unmanagedMachine.findFirstOrThrow({ where: { ref: sim.id } });
    const e = await errorOf(importUnmanagedMachine(admin, { unmanagedId: u.id, projectId: small.id, ownerId: s.owner.id, offeringId: s.offering.id, templateId: s.template.id }));
    expect(e.code).toBe("QUOTA_EXCEEDED");
    expect(await db.unmanagedMachine.count({ where: { id: u.id } })).toBe(1);
    expect(await db.machine.count({ where: { externalRef: sim.id } })).toBe(0);
  });
});

describe("metrics sampling interval", () => {
  it("is set in the form (default 60 s), kept when an edit leaves it out, and refused outside 15..3600", async () => {
    const plain = await createProvider(admin, input());
    expect((await db.provider.findUniqueOrThrow({ where: { id: plain.id } })).metricsIntervalSeconds).toBe(60);
    const { id } = await createProvider(admin, input({ metricsIntervalSeconds: 30 }));
    expect((await getProvider(admin, { id })).metricsIntervalSeconds).toBe(30);
    const view = await getProvider(admin, { id });
    const edit = { id, name: view.name, endpoint: view.endpoint, credentials: {}, config: {}, cpuOvercommit: 4, memoryOvercommit: 1, diskOvercommit: 1, placementPolicy: "SPREAD" as const };
    await updateProvider(admin, { ...edit, metricsIntervalSeconds: 120 });
    expect((await db.provider.findUniqueOrThrow({ where: { id } })).metricsIntervalSeconds).toBe(120);
    await updateProvider(admin, edit);
    expect((await db.provider.findUniqueOrThrow({ where: { id } })).metricsIntervalSeconds).toBe(120);
    for (const bad of [5, 3601, 12.5]) {
      const e = await errorOf(updateProvider(admin, { ...edit, metricsIntervalSeconds: bad }));
      expect(fields(e).metricsIntervalSeconds).toEqual(["providers.validation.metricsIntervalRange"]);
    }
    expect((await audits(id, "provider.update")).at(-1)?.after).toMatchObject({ metricsIntervalSeconds: 120 });
  });
});
