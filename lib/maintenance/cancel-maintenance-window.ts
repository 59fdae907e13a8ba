import "server-only";
import type { z } from "zod";
import type { Ctx } from "../context";
import { assertCan } from "../auth/permissions";
import { conflict, notFound } from "../errors";
import { recordAudit } from "../audit/record-audit";
import type { maintenanceWindowIdSchema } from "./schemas";

/** Cancels a window that has not started (a started one ends at its end, or by leaving maintenance). */
export async function cancelMaintenanceWindow(ctx: Ctx, input: z.infer<typeof maintenanceWindowIdSchema>) {
  assertCan(ctx.actor, "maintenance.manage");
  const w = await ctx.db.maintenanceWindow.findUnique({ where: { id: input.windowId } });
  if (!w) throw notFound("Maintenance window");
  return ctx.db.$transaction(async (tx) => {
    const r = await tx.maintenanceWindow.updateMany({ where: { id: w.id, status: "SCHEDULED" }, data: { status: "CANCELLED" } });
    if (r.count !== 1) throw conflict("Only a window that has not started can be cancelled");
    await recordAudit(tx, ctx, { action: "maintenance_window.cancel", targetType: "MaintenanceWindow", targetId: w.id, before: { status: w.status }, after: { status: "CANCELLED" } });
    return { id: w.id };
  });
}
