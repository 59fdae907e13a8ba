// Keeps the benchmark harness from rotting: a seconds-long smoke run on tiny data. No timing
// assertion: it checks that the seed is realistic and consistent and that the harness produced
// figures (the HTTP scenarios too when a production build exists).
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../db";
import os from "node:os";
import { summarise } from "../../bench/cpu-profile";
import { runBench, table } from "../../bench/run";
import { seed } from "../../bench/seed";

describe("bench harness", () => {
  let t: TestDatabase;
  let u: TestDatabase;
  beforeAll(async () => {
    t = await createTestDatabase();
    u = await createTestDatabase();
  });
  afterAll(async () => {
    await t?.drop();
    await u?.drop();
  });

  it("seeds the asked sizes with consistent usage", async () => {
    await seed(u.url, { hosts: 40, machines: 300, projects: 6 });
    expect(await u.db.host.count()).toBe(40);
    expect(await u.db.machine.count()).toBe(300);
    expect(await u.db.project.count()).toBe(6);
    const live = await u.db.machine.findMany({ where: { releasedAt: null }, select: { projectId: true, vcpu: true, hostId: true } });
    expect(live.length).toBeGreaterThan(0);
    const projects = await u.db.project.findMany();
    for (const p of projects) {
      const mine = live.filter((m) => m.projectId === p.id);
      expect(p.usedMachines).toBe(mine.length);
      expect(p.usedVcpu).toBe(mine.reduce((a, m) => a + m.vcpu, 0));
    }
    const hosts = await u.db.host.findMany({ include: { provider: true } });
    for (const h of hosts) expect(h.vcpuUsed).toBeLessThanOrEqual(h.vcpuTotal * h.provider.cpuOvercommit);
    // Mixed states, operation history and audit events, as on a real portal.
    const states = await u.db.machine.groupBy({ by: ["state"], _count: true });
    expect(states.map((s) => s.state).sort()).toEqual(["DELETED", "FAILED", "RUNNING", "STOPPED"]);
    expect(await u.db.operation.count()).toBeGreaterThan(300);
    expect(await u.db.auditEvent.count()).toBeGreaterThan(300);
  });

  it("produces figures in smoke mode", async () => {
    const profDir = fs.mkdtempSync(path.join(os.tmpdir(), "bench-prof-"));
    const r = await runBench({ smoke: true, size: { hosts: 30, machines: 200, projects: 4 }, seconds: 1, connections: 2, url: t.url, cpuProfDir: profDir });
    expect(r.seedMs).toBeGreaterThan(0);
    expect(r.placement.placed).toBe(r.placement.count);
    expect(r.placement.p50).toBeGreaterThan(0);
    expect(r.placement.overcommittedHosts).toBe(0);
    if (fs.existsSync(path.resolve(".next", "BUILD_ID"))) {
      expect(r.httpSkipped).toBeUndefined();
      expect(r.http.map((f) => f.path)).toContain("/api/v1/machines");
      for (const f of r.http) expect(f.requests).toBeGreaterThan(0);
      // Authenticated API scenarios answer 200, not 401 (the tokens the harness made work);
      // the authentication-only one answers 400 by design (the harness checks it is not 401).
      for (const f of r.http.slice(2)) expect(f.non2xx).toBe(0);
      expect(r.http[1].path).toBe("/api/v1/account/ssh-keys?bench=1");
      // --cpu-prof: the web server wrote its V8 profile on exit, and it summarises into categories.
      const profiles = fs.readdirSync(profDir).filter((f) => f.endsWith(".cpuprofile"));
      expect(profiles.length).toBeGreaterThan(0);
      const sums = profiles.map((f) => summarise(JSON.parse(fs.readFileSync(path.join(profDir, f), "utf8"))));
      const server = sums.reduce((a, b) => (b.busySeconds > a.busySeconds ? b : a));
      expect(server.busySeconds).toBeGreaterThan(0);
      expect(server.categories.map((c) => c.name)).toContain("Next.js server");
    } else {
      expect(r.httpSkipped).toMatch(/production build/);
    }
    expect(table(r)).toContain("placement + reservation");
    fs.rmSync(profDir, { recursive: true, force: true });
  });
});
