// The demo seed's real providers: one per real kind, unavailable with the reason, no hosts
// until discovered, and never a placement candidate while unavailable.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../test/db";
import { seedDemo, DEMO_BACKEND_REASON } from "../../prisma/demo-data";
import { candidateHosts } from "../orchestration/place-machine";
import type { Db } from "../db/client";

let t: TestDatabase;
let db: Db;

beforeAll(async () => {
  t = await createTestDatabase();
  db = t.db;
  await seedDemo(db);
  await seedDemo(db); // idempotent
});

afterAll(async () => {
  await t?.drop();
});

describe("demo providers", () => {
  it("adds one provider of each real kind, unavailable with the reason and without hosts", async () => {
    const real = await db.provider.findMany({ where: { kind: { in: ["VSPHERE", "LIBVIRT", "LXD", "DOCKER", "EC2"] } }, include: { _count: { select: { hosts: true } } } });
    expect(real.map((p) => p.kind).sort()).toEqual(["DOCKER", "EC2", "LIBVIRT", "LXD", "VSPHERE"]);
    for (const p of real) {
      expect(p.status).toBe("UNAVAILABLE");
      expect(p.statusReason).toBe(DEMO_BACKEND_REASON);
      expect(p._count.hosts).toBe(0);
      expect(p.credentialsEnc).toBeNull();
    }
    const byKind = Object.fromEntries(real.map((p) => [p.kind, p.endpoint]));
    expect(byKind.VSPHERE).toBe("http://127.0.0.1:8989/sdk");
    expect(byKind.EC2).toBe("http://127.0.0.1:5055");
    // Under ORQ_BACKENDS_DIR (CI sets it) or the project's .backends folder.
    const dir = (process.env.ORQ_BACKENDS_DIR ?? `${process.cwd()}/.backends`).replace(/\/+$/, "");
    expect(byKind.DOCKER).toBe(`unix://${dir}/podman/podman.sock`);
    expect(byKind.LXD).toBe(`unix://${dir}/lxd/dir/unix.socket`);
    expect(byKind.LIBVIRT).toBe(`test+unix:///default?socket=${dir}/libvirt/run/libvirt/libvirt-sock`);
    // The simulator is still the one active provider.
    expect((await db.provider.findFirstOrThrow({ where: { kind: "SIMULATOR" } })).status).toBe("ACTIVE");
  });

  it("placement never picks a host of an unavailable provider", async () => {
    const docker = await db.provider.findFirstOrThrow({ where: { kind: "DOCKER" } });
    const template = await db.template.findFirstOrThrow();
    const host = await db.host.create({ data: { providerId: docker.id, name: "podman-host", externalRef: "podman-host", vcpuTotal: 64, memoryMbTotal: 1 << 20, diskSsdGbTotal: 10000 } });
    await db.templateProviderRef.create({ data: { templateId: template.id, providerId: docker.id, ref: "localhost/busybox:latest" } });
    const need = { vcpu: 1, memoryMb: 512, diskGb: 10, diskTier: "SSD" as const };
    const candidates = await db.$transaction((tx) => candidateHosts(tx, { templateId: template.id, need, providerId: docker.id }, 10));
    expect(candidates.map((c) => c.id)).not.toContain(host.id);
    await db.provider.update({ where: { id: docker.id }, data: { status: "ACTIVE" } });
    const after = await db.$transaction((tx) => candidateHosts(tx, { templateId: template.id, need, providerId: docker.id }, 10));
    expect(after.map((c) => c.id)).toContain(host.id);
  });
});
