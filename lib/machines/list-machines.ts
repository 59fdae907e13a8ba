import "server-only";
import type { Ctx } from "../context";
import type { Prisma } from "../db/client";
import { projectsWhere } from "../auth/permissions";
import { pageCount, pageWindow } from "../pagination";
import type { ListMachinesInput } from "./schemas";
import { BUSY_STATES } from "./state-machine";
import type { MachineList } from "./views";

/**
 * Machines of the projects the actor may read (every project for administrators), newest
 * first, filtered by project, state and a name search. Deleted machines show only when
 * asked for by state.
 */
export async function listMachines(ctx: Ctx, input: ListMachinesInput): Promise<MachineList> {
  const readable = projectsWhere(ctx.actor, "machine.read");
  const projectIds = input.projectId ? (readable === null || readable.includes(input.projectId) ? [input.projectId] : []) : readable;
  const where: Prisma.MachineWhereInput = {
    ...(projectIds === null ? {} : { projectId: { in: projectIds } }),
    state: input.state ?? { not: "DELETED" },
    ...(input.q ? { name: { contains: input.q, mode: "insensitive" } } : {}),
  };
  const page = input.page ?? 1;
  const [projects, total, rows] = await Promise.all([
    ctx.db.project.findMany({
      where: readable === null ? {} : { id: { in: readable } },
      orderBy: { name: "asc" },
      select: { id: true, name: true },
    }),
    ctx.db.machine.count({ where }),
    ctx.db.machine.findMany({
      where,
      orderBy: [{ createdAt: "desc" }, { id: "asc" }],
      ...pageWindow(page),
      include: {
        project: { select: { name: true } },
        offering: { select: { name: true } },
        template: { select: { name: true } },
        provider: { select: { name: true } },
        host: { select: { name: true } },
        operations: {
          where: { status: { in: ["QUEUED", "RUNNING"] } },
          orderBy: { createdAt: "asc" },
          take: 1,
          select: { id: true, kind: true, status: true, progress: true },
        },
      },
    }),
  ]);
  const items = rows.map((m) => ({
    id: m.id,
    name: m.name,
    state: m.state,
    projectId: m.projectId,
    projectName: m.project.name,
    offeringName: m.offering.name,
    templateName: m.template.name,
    providerName: m.provider?.name ?? null,
    hostName: m.host?.name ?? null,
    ipAddress: m.ipAddress,
    leaseEndsAt: m.leaseEndsAt?.toISOString() ?? null,
    currentOperation: m.operations[0] ?? null,
    updatedAt: m.updatedAt.toISOString(),
  }));
  return {
    items,
    total,
    page,
    pageCount: pageCount(total),
    projects,
    busy: items.some((m) => BUSY_STATES.includes(m.state) || m.currentOperation !== null),
  };
}
