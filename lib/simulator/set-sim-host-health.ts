import "server-only";
import { z } from "zod";
import type { Ctx } from "../context";
import { assertCan } from "../auth/permissions";
import { conflict, notFound } from "../errors";
import { recordAudit } from "../audit/record-audit";

export const setSimHostHealthSchema = z.object({
  hostId: z.uuid("Not a valid id"),
  down: z.boolean(),
  /** CRASH: its machines die with it; PARTITION: they keep running, unreachable (fencing matters). */
  mode: z.enum(["CRASH", "PARTITION"]).default("PARTITION"),
});

/**
 * Fault injection for the demo and tests: a simulator host stops answering (the host monitor
 * then fails it after ORQ_HOST_FAILURE_SECONDS) or comes back. Administrators only.
 */
export async function setSimHostHealth(ctx: Ctx, input: z.infer<typeof setSimHostHealthSchema>) {
  assertCan(ctx.actor, "provider.manage");
  const host = await ctx.db.host.findUnique({ where: { id: input.hostId }, include: { provider: { select: { kind: true } } } });
  if (!host) throw notFound("Host");
  if (host.provider.kind !== "SIMULATOR") throw conflict("Only simulator hosts can be failed on purpose");
  const hostRef = host.externalRef ?? host.name;
  return ctx.db.$transaction(async (tx) => {
    if (input.down) {
      await tx.simHostState.upsert({
        where: { providerId_hostRef: { providerId: host.providerId, hostRef } },
        update: { down: true, mode: input.mode, fenced: false, since: ctx.now() },
        create: { providerId: host.providerId, hostRef, down: true, mode: input.mode, since: ctx.now() },
      });
    } else {
      await tx.simHostState.deleteMany({ where: { providerId: host.providerId, hostRef } });
    }
    await recordAudit(tx, ctx, { action: input.down ? "simulator.host_fail" : "simulator.host_heal", targetType: "Host", targetId: host.id, after: { name: host.name, mode: input.mode } });
    return { hostId: host.id, down: input.down };
  });
}
