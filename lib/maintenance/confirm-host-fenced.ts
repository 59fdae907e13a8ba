import "server-only";
import type { z } from "zod";
import type { Ctx } from "../context";
import { assertCan } from "../auth/permissions";
import { conflict, notFound } from "../errors";
import { recordFenced } from "./host-monitor";
import type { incidentIdSchema } from "./schemas";

/**
 * An administrator confirms a failed host is powered off (a provider that cannot fence): its
 * highly-available machines are then restarted elsewhere. Audited as host.fenced.
 */
export async function confirmHostFenced(ctx: Ctx, input: z.infer<typeof incidentIdSchema>) {
  assertCan(ctx.actor, "maintenance.manage");
  const incident = await ctx.db.hostIncident.findUnique({ where: { id: input.incidentId } });
  if (!incident) throw notFound("Host failure");
  if (!(await recordFenced(ctx.db, incident.id, ctx.now(), ctx.actor, "administrator", ctx.correlationId))) throw conflict("The host is already fenced or back in service");
  return { incidentId: incident.id };
}
