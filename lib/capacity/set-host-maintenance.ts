import "server-only";
import type { z } from "zod";
import type { Ctx } from "../context";
import { assertCan } from "../auth/permissions";
import { conflict, notFound } from "../errors";
import { recordAudit } from "../audit/record-audit";
import type { setHostMaintenanceSchema } from "./schemas";
import { cancelDrains, startDrain } from "../maintenance/drain";

/**
 * Puts a host into maintenance (placement skips it, and a drain moves every machine off it:
 * lib/maintenance/drain.ts) or back into service (a drain under way stops starting moves).
 * Disabled and failed hosts are not toggled here. Administrators only.
 */
export async function setHostMaintenance(ctx: Ctx, input: z.infer<typeof setHostMaintenanceSchema>) {
  assertCan(ctx.actor, "host.manage");
  const host = await ctx.db.host.findUnique({ where: { id: input.hostId }, select: { id: true, name: true, state: true, providerId: true } });
  if (!host) throw notFound("Host");
  const from = input.maintenance ? "ACTIVE" : "MAINTENANCE";
  const to = input.maintenance ? "MAINTENANCE" : "ACTIVE";
  if (host.state === to) return { state: to, drainId: null };
  if (host.state !== from) throw conflict(`A ${host.state.toLowerCase()} host cannot be put ${input.maintenance ? "into" : "out of"} maintenance`);
  return ctx.db.$transaction(async (tx) => {
    // Conditional on the state read: a concurrent change makes this a CONFLICT, not an overwrite.
    const reason = input.reason?.trim() || null;
    const r = await tx.host.updateMany({ where: { id: host.id, state: from }, data: { state: to, stateReason: input.maintenance ? reason : null } });
    if (r.count !== 1) throw conflict("The host changed in the meantime. Reload and try again.");
    const drain = input.maintenance
      ? await startDrain(tx, host, { reason: reason ?? "", requestedById: ctx.actor.id })
      : ((await cancelDrains(tx, host.id, ctx.now())), null);
    await recordAudit(tx, ctx, {
      action: "host.maintenance",
      targetType: "Host",
      targetId: host.id,
      before: { state: from },
      after: { state: to, providerId: host.providerId, name: host.name, ...(reason ? { reason } : {}), ...(drain ? { drainId: drain.id } : {}) },
    });
    return { state: to, drainId: drain?.id ?? null };
  });
}
