import "server-only";
import type { z } from "zod";
import type { Ctx } from "../context";
import { assertCan } from "../auth/permissions";
import { conflict, notFound } from "../errors";
import { recordAudit } from "../audit/record-audit";
import type { setHostMaintenanceSchema } from "./schemas";

/**
 * Puts a host into maintenance (placement skips it; its machines keep running) or back
 * into service. Disabled hosts are not toggled here. Administrators only.
 */
export async function setHostMaintenance(ctx: Ctx, input: z.infer<typeof setHostMaintenanceSchema>) {
  assertCan(ctx.actor, "host.manage");
  const host = await ctx.db.host.findUnique({ where: { id: input.hostId }, select: { id: true, name: true, state: true, providerId: true } });
  if (!host) throw notFound("Host");
  const from = input.maintenance ? "ACTIVE" : "MAINTENANCE";
  const to = input.maintenance ? "MAINTENANCE" : "ACTIVE";
  if (host.state === to) return { state: to };
  if (host.state !== from) throw conflict(`A ${host.state.toLowerCase()} host cannot be put ${input.maintenance ? "into" : "out of"} maintenance`);
  return ctx.db.$transaction(async (tx) => {
    // Conditional on the state read: a concurrent change makes this a CONFLICT, not an overwrite.
    const r = await tx.host.updateMany({ where: { id: host.id, state: from }, data: { state: to } });
    if (r.count !== 1) throw conflict("The host changed in the meantime. Reload and try again.");
    await recordAudit(tx, ctx, {
      action: "host.maintenance",
      targetType: "Host",
      targetId: host.id,
      before: { state: from },
      after: { state: to, providerId: host.providerId, name: host.name },
    });
    return { state: to };
  });
}
