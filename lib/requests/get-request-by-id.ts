// The request page's data by the request's id (the API's path names requests by id).
import "server-only";
import type { Ctx } from "../context";
import { can } from "../auth/permissions";
import { notFound } from "../errors";
import { getRequestPage } from "./get-request-page";

export async function getRequestById(ctx: Ctx, input: { requestId: string }) {
  const r = await ctx.db.request.findUnique({ where: { id: input.requestId }, select: { number: true, projectId: true, requesterId: true } });
  if (!r || !(r.requesterId === ctx.actor.id || can(ctx.actor, "request.read", r.projectId))) throw notFound("Request");
  return getRequestPage(ctx, { number: r.number });
}
