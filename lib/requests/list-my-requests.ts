// The signed-in user's own requests, newest first, optionally of one status.
import "server-only";
import type { Ctx } from "../context";
import { env } from "../env";
import { pageCount, pageWindow } from "../pagination";
import type { Prisma } from "../generated/prisma/client";
import type { ListMyRequestsInput } from "./schemas";

export async function listMyRequests(ctx: Ctx, input: ListMyRequestsInput) {
  const where: Prisma.RequestWhereInput = { requesterId: ctx.actor.id, ...(input.status ? { status: input.status } : {}) };
  const total = await ctx.db.request.count({ where });
  const page = Math.min(input.page, pageCount(total));
  const rows = await ctx.db.request.findMany({
    where,
    orderBy: [{ createdAt: "desc" }, { number: "desc" }],
    ...pageWindow(page),
    include: {
      project: { select: { id: true, name: true } },
      offering: { select: { id: true, name: true } },
      template: { select: { id: true, name: true } },
      decidedBy: { select: { id: true, name: true } },
    },
  });
  return {
    items: rows.map((r) => ({
      id: r.id,
      number: r.number,
      status: r.status,
      createdAt: r.createdAt,
      decidedAt: r.decidedAt,
      decisionReason: r.decisionReason,
      decidedBy: r.decidedBy,
      autoApproved: r.autoApproved,
      monthlyCostCents: r.monthlyCostCents,
      quantity: r.quantity,
      names: r.names,
      leaseEndsAt: r.leaseEndsAt,
      project: r.project,
      offering: r.offering,
      template: r.template,
      cancellable: r.status === "PENDING_APPROVAL",
    })),
    page,
    pageCount: pageCount(total),
    total,
    currency: env().ORQ_CURRENCY,
  };
}
export type MyRequest = Awaited<ReturnType<typeof listMyRequests>>["items"][number];
