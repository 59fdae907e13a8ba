// The signed-in user's own requests, newest first (or by cost or project), optionally of one
// status or matching a search; keyset pages through `cursor`.
import "server-only";
import type { Ctx } from "../context";
import { env } from "../env";
import { pageCount, pageWindow, PAGE_SIZE } from "../pagination";
import { requestCursor, requestOrder, requestsAfter, requestSearch } from "./request-list-order";
import type { Prisma } from "../generated/prisma/client";
import type { ListMyRequestsInput } from "./schemas";

export async function listMyRequests(ctx: Ctx, input: ListMyRequestsInput) {
  const search = await requestSearch(ctx.db, input.q, { requester: false });
  const where: Prisma.RequestWhereInput = { requesterId: ctx.actor.id, ...(input.status ? { status: input.status } : {}), ...(search ?? {}) };
  const sort = input.sort ?? "created";
  const dir = input.dir ?? (sort === "project" ? "asc" : "desc");
  const after = requestsAfter(sort, dir, input.cursor);
  const total = await ctx.db.request.count({ where });
  const page = after ? 0 : Math.min(input.page, pageCount(total));
  const found = await ctx.db.request.findMany({
    where: after ? { AND: [where, after] } : where,
    orderBy: requestOrder(sort, dir),
    ...(after ? { take: PAGE_SIZE + 1 } : { skip: pageWindow(page).skip, take: PAGE_SIZE + 1 }),
    include: {
      project: { select: { id: true, name: true } },
      offering: { select: { id: true, name: true } },
      template: { select: { id: true, name: true } },
      decidedBy: { select: { id: true, name: true } },
    },
  });
  const more = found.length > PAGE_SIZE;
  const rows = more ? found.slice(0, PAGE_SIZE) : found;
  const last = rows.at(-1);
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
    nextCursor: more && last ? requestCursor(sort, last) : null,
    sort,
    dir,
    /** A request still waits for a decision or its machines: the list polls faster. */
    busy: rows.some((r) => r.status === "PENDING_APPROVAL"),
    total,
    currency: env().ORQ_CURRENCY,
  };
}
export type MyRequest = Awaited<ReturnType<typeof listMyRequests>>["items"][number];
