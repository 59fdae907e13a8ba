import "server-only";
import type { Ctx } from "../context";
import { assertCan } from "../auth/permissions";
import { notFound } from "../errors";
import { recordAudit } from "../audit/record-audit";
import type { z } from "zod";
import type { addSimFaultSchema } from "./schemas";

/**
 * Injects a fault into a simulator provider: its next matching driver calls fail
 * (TRANSIENT: retryable, PERMANENT: final, HANG: never answer, so the worker's timeout
 * fires). For rehearsing failure handling and for the end-to-end tests.
 */
export async function addSimFault(ctx: Ctx, input: z.output<typeof addSimFaultSchema>) {
  assertCan(ctx.actor, "provider.manage");
  return ctx.db.$transaction(async (tx) => {
    const provider = await tx.provider.findFirst({ where: { id: input.providerId, kind: "SIMULATOR" } });
    if (!provider) throw notFound("Simulator provider");
    const fault = await tx.simFault.create({
      data: { providerId: provider.id, operation: input.operation, mode: input.mode, message: input.message, remaining: input.remaining },
    });
    await recordAudit(tx, ctx, { action: "simulator.fault_add", targetType: "Provider", targetId: provider.id, after: fault });
    return { id: fault.id };
  });
}
