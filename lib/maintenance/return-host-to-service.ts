import "server-only";
import type { z } from "zod";
import type { Ctx } from "../context";
import { assertCan } from "../auth/permissions";
import { conflict, notFound } from "../errors";
import { recordAudit } from "../audit/record-audit";
import type { hostIdSchema } from "./schemas";

/** A repaired failed host goes back into service; its incidents are resolved. */
export async function returnHostToService(ctx: Ctx, input: z.infer<typeof hostIdSchema>) {
  assertCan(ctx.actor, "maintenance.manage");
  const host = await ctx.db.host.findUnique({ where: { id: input.hostId } });
  if (!host) throw notFound("Host");
  return ctx.db.$transaction(async (tx) => {
    const r = await tx.host.updateMany({ where: { id: host.id, state: "FAILED" }, data: { state: "ACTIVE", stateReason: null, heartbeatAt: null } });
    if (r.count !== 1) throw conflict("Only a failed host is returned to service here");
    await tx.hostIncident.updateMany({ where: { hostId: host.id, status: { not: "RESOLVED" } }, data: { status: "RESOLVED", resolvedAt: ctx.now(), resolvedById: ctx.actor.id } });
    await recordAudit(tx, ctx, { action: "host.return_to_service", targetType: "Host", targetId: host.id, before: { state: "FAILED" }, after: { state: "ACTIVE", name: host.name } });
    return { hostId: host.id, state: "ACTIVE" as const };
  });
}
