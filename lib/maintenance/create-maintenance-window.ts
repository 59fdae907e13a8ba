import "server-only";
import type { z } from "zod";
import type { Ctx } from "../context";
import { assertCan } from "../auth/permissions";
import { notFound, validationError } from "../errors";
import { recordAudit } from "../audit/record-audit";
import type { createMaintenanceWindowSchema } from "./schemas";

/** Schedules a maintenance window of a host or a provider (administrators). */
export async function createMaintenanceWindow(ctx: Ctx, input: z.infer<typeof createMaintenanceWindowSchema>) {
  assertCan(ctx.actor, "maintenance.manage");
  if (input.endsAt.getTime() <= ctx.now().getTime()) throw validationError({ endsAt: ["The window is already over"] });
  const host = input.hostId ? await ctx.db.host.findUnique({ where: { id: input.hostId }, select: { id: true, name: true, providerId: true } }) : null;
  if (input.hostId && !host) throw notFound("Host");
  const provider = input.providerId ? await ctx.db.provider.findUnique({ where: { id: input.providerId }, select: { id: true, name: true } }) : null;
  if (input.providerId && !provider) throw notFound("Provider");
  return ctx.db.$transaction(async (tx) => {
    const w = await tx.maintenanceWindow.create({
      data: { hostId: host?.id ?? null, providerId: provider?.id ?? null, startsAt: input.startsAt, endsAt: input.endsAt, reason: input.reason, createdById: ctx.actor.id },
    });
    await recordAudit(tx, ctx, {
      action: "maintenance_window.create",
      targetType: "MaintenanceWindow",
      targetId: w.id,
      after: { host: host?.name ?? null, provider: provider?.name ?? null, startsAt: w.startsAt.toISOString(), endsAt: w.endsAt.toISOString(), reason: w.reason },
    });
    return { id: w.id };
  });
}
