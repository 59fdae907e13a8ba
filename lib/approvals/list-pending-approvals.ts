// The approver's queue: pending requests of the projects where the actor approves (every
// project for an administrator), oldest first (or by cost or project; searchable; keyset pages
// through `cursor`), with what the approver needs to decide.
import "server-only";
import type { Ctx } from "../context";
import { env } from "../env";
import { projectsWhere } from "../auth/permissions";
import { forbidden } from "../errors";
import { pageCount, pageWindow, PAGE_SIZE } from "../pagination";
import { requestCursor, requestOrder, requestsAfter, requestSearch } from "../requests/request-list-order";
import type { Prisma } from "../generated/prisma/client";
import type { ListPendingApprovalsInput } from "./schemas";
import { applicableStages, isStageApprover } from "./stages";

export async function listPendingApprovals(ctx: Ctx, input: ListPendingApprovalsInput) {
  const projectIds = projectsWhere(ctx.actor, "request.approve");
  if (projectIds !== null && projectIds.length === 0) throw forbidden();
  // With approval stages, a request shows only to the approvers of the stage it waits at.
  let where: Prisma.RequestWhereInput = { status: "PENDING_APPROVAL" };
  if (projectIds !== null) {
    const stages = await ctx.db.approvalStage.findMany({ where: { projectId: { in: projectIds } }, select: { projectId: true, position: true, projectRole: true, approverIds: true } });
    const mine = stages.filter((s) => isStageApprover(ctx.actor, s.projectId, s));
    where = {
      status: "PENDING_APPROVAL",
      OR: [{ projectId: { in: projectIds }, approvalStage: null }, ...mine.map((s) => ({ projectId: s.projectId, approvalStage: s.position }))],
    };
  }
  const search = await requestSearch(ctx.db, input.q);
  if (search) where = { AND: [where, search] };
  const sort = input.sort ?? "created";
  const dir = input.dir ?? (sort === "cost" ? "desc" : "asc");
  const after = requestsAfter(sort, dir, input.cursor);
  const [total, found] = await Promise.all([
    ctx.db.request.count({ where }),
    ctx.db.request.findMany({
      where: after ? { AND: [where, after] } : where,
      orderBy: requestOrder(sort, dir),
      ...(after ? { take: PAGE_SIZE + 1 } : { skip: pageWindow(input.page).skip, take: PAGE_SIZE + 1 }),
      include: {
        requester: { select: { id: true, name: true, email: true } },
        project: {
          select: {
            id: true,
            name: true,
            quotaVcpu: true,
            quotaMemoryMb: true,
            quotaDiskSsdGb: true,
            quotaDiskHddGb: true,
            quotaMachines: true,
            monthlyBudgetCents: true,
            usedVcpu: true,
            usedMemoryMb: true,
            usedDiskSsdGb: true,
            usedDiskHddGb: true,
            usedMachines: true,
            usedMonthlyCents: true,
          },
        },
        offering: { select: { id: true, name: true, vcpu: true, memoryMb: true, diskGb: true, diskTier: true, monthlyPriceCents: true } },
        template: { select: { id: true, name: true } },
      },
    }),
  ]);
  const more = found.length > PAGE_SIZE;
  const rows = more ? found.slice(0, PAGE_SIZE) : found;
  const last = rows.at(-1);
  const stageRows = await ctx.db.approvalStage.findMany({
    where: { projectId: { in: [...new Set(rows.filter((r) => r.approvalStage !== null).map((r) => r.projectId))] } },
    orderBy: { position: "asc" },
  });
  const stageOf = (r: (typeof rows)[number]) => {
    if (r.approvalStage === null) return null;
    const path = applicableStages(stageRows.filter((s) => s.projectId === r.projectId), r.monthlyCostCents);
    const index = path.findIndex((s) => s.position === r.approvalStage);
    return index < 0 ? null : { position: r.approvalStage, name: path[index].name, step: index + 1, of: path.length };
  };
  return {
    items: rows.map((r) => ({
      stage: stageOf(r),
      id: r.id,
      number: r.number,
      createdAt: r.createdAt,
      quantity: r.quantity,
      names: r.names,
      justification: r.justification,
      leaseEndsAt: r.leaseEndsAt,
      monthlyCostCents: r.monthlyCostCents,
      requester: r.requester,
      project: r.project,
      offering: r.offering,
      template: r.template,
      ownRequest: r.requesterId === ctx.actor.id,
    })),
    page: after ? 0 : Math.min(input.page, pageCount(total)),
    nextCursor: more && last ? requestCursor(sort, last) : null,
    sort,
    dir,
    pageCount: pageCount(total),
    total,
    currency: env().ORQ_CURRENCY,
  };
}
export type PendingApproval = Awaited<ReturnType<typeof listPendingApprovals>>["items"][number];
