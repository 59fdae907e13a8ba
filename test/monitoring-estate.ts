// A simulator provider with RUNNING machines whose simulated counterparts exist, for the
// monitoring tests (sampling, /metrics, Prometheus).
import type { Db } from "@/lib/db/client";
import type { Prisma } from "@/lib/generated/prisma/client";
import { addMember, makeOffering, makeProject, makeTemplate, makeUser, TEST_RESERVATION } from "./factories";

export async function makeMonitoredEstate(
  db: Db,
  opts: { machines?: number; config?: Record<string, unknown>; intervalSeconds?: number; state?: "RUNNING" | "STOPPED" } = {},
) {
  const owner = await makeUser(db);
  const project = await makeProject(db);
  await addMember(db, project.id, owner.id, "MEMBER");
  const offering = await makeOffering(db);
  const template = await makeTemplate(db);
  const provider = await db.provider.create({
    data: {
      name: `sim-monitor-${Math.random().toString(36).slice(2, 10)}`,
      kind: "SIMULATOR",
      endpoint: "simulator://local",
      config: (opts.config ?? { loadProfile: "constant", loadPercent: 70 }) as Prisma.InputJsonValue,
      metricsIntervalSeconds: opts.intervalSeconds ?? 60,
    },
  });
  const machineIds: string[] = [];
  for (let i = 0; i < (opts.machines ?? 1); i++) {
    const m = await db.machine.create({
      data: { projectId: project.id, ownerId: owner.id, offeringId: offering.id, templateId: template.id, name: `mon-${i}`, ...TEST_RESERVATION, state: opts.state ?? "RUNNING", providerId: provider.id },
    });
    const sim = await db.simMachine.create({
      data: { providerId: provider.id, idempotencyKey: m.id, name: m.name, powerState: opts.state ?? "RUNNING", vcpu: m.vcpu, memoryMb: m.memoryMb, diskGb: m.diskGb },
    });
    await db.machine.update({ where: { id: m.id }, data: { externalRef: sim.id } });
    machineIds.push(m.id);
  }
  return { owner, project, offering, template, provider, machineIds };
}
