import "server-only";
import type { Ctx } from "../context";
import type { Prisma } from "../db/client";
import { projectsWhere } from "../auth/permissions";
import { forbidden } from "../errors";
import { pageCount, pageWindow } from "../pagination";
import type { ListLeaseExtensionsInput } from "./schemas";

export interface LeaseExtensionView {
  id: string;
  machine: { id: string; name: string; state: string; leaseEndsAt: string | null };
  projectName: string;
  requestedBy: { id: string; name: string };
  newEndsAt: string;
  reason: string;
  status: "PENDING" | "APPROVED" | "REJECTED";
  decidedBy: string | null;
  decidedAt: string | null;
  decisionReason: string | null;
  createdAt: string;
  /** False for the actor's own requests: nobody decides their own. */
  canDecide: boolean;
}

/**
 * Lease extensions waiting for (or given) a decision, in the projects where the actor
 * approves (all of them for administrators). Others get FORBIDDEN.
 */
export async function listLeaseExtensions(ctx: Ctx, input: ListLeaseExtensionsInput) {
  const projectIds = projectsWhere(ctx.actor, "request.approve");
  if (projectIds !== null && projectIds.length === 0) throw forbidden();
  const where: Prisma.LeaseExtensionWhereInput = {
    status: input.status === "PENDING" ? "PENDING" : { in: ["APPROVED", "REJECTED"] },
    ...(projectIds === null ? {} : { machine: { projectId: { in: projectIds } } }),
  };
  const page = input.page ?? 1;
  const [total, rows] = await Promise.all([
    ctx.db.leaseExtension.count({ where }),
    ctx.db.leaseExtension.findMany({
      where,
      orderBy: input.status === "PENDING" ? [{ createdAt: "asc" }, { id: "asc" }] : [{ decidedAt: "desc" }, { id: "asc" }],
      ...pageWindow(page),
      include: {
        machine: { select: { id: true, name: true, state: true, leaseEndsAt: true, project: { select: { name: true } } } },
        requestedBy: { select: { id: true, name: true } },
        decidedBy: { select: { name: true } },
      },
    }),
  ]);
  const items: LeaseExtensionView[] = rows.map((e) => ({
    id: e.id,
    machine: { id: e.machine.id, name: e.machine.name, state: e.machine.state, leaseEndsAt: e.machine.leaseEndsAt?.toISOString() ?? null },
    projectName: e.machine.project.name,
    requestedBy: e.requestedBy,
    newEndsAt: e.newEndsAt.toISOString(),
    reason: e.reason,
    status: e.status,
    decidedBy: e.decidedBy?.name ?? null,
    decidedAt: e.decidedAt?.toISOString() ?? null,
    decisionReason: e.decisionReason,
    createdAt: e.createdAt.toISOString(),
    canDecide: e.status === "PENDING" && e.requestedById !== ctx.actor.id,
  }));
  return { items, total, page, pageCount: pageCount(total) };
}
