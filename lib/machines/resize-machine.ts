import "server-only";
import type { z } from "zod";
import type { Ctx } from "../context";
import { notFound, validationError } from "../errors";
import { quotaExceeded } from "../quotas/quota-error";
import type { resizeMachineSchema } from "./schemas";
import { assertActionAllowed, loadOperableMachine, requestOperation } from "./request-operation";
import { resizeDelta, resizeExceeds, shrinksDisk, tierChangeAllowed } from "./resize-impact";
import { migratesDiskTier } from "./capabilities";
import { reservationFromMachine, reservationOf } from "./reservation";
import { fe } from "../../i18n/field-message";

/**
 * Asks the worker to resize a machine to another active offering (operation RESIZE, params
 * `{offeringId}`). The quota delta is checked here against the project so an impossible
 * request is refused at once; the worker re-checks it, reserves it and moves the machine to
 * another host when its own has no room.
 */
export async function resizeMachine(ctx: Ctx, input: z.infer<typeof resizeMachineSchema>) {
  const machine = await loadOperableMachine(ctx, input.machineId);
  assertActionAllowed("RESIZE", machine);
  const target = await ctx.db.offering.findUnique({ where: { id: input.offeringId } });
  if (!target || !target.active) throw validationError({ offeringId: [fe("machines", "offeringInactive")] });
  if (target.id === machine.offeringId) throw validationError({ offeringId: [fe("machines", "offeringSame")] });
  if (shrinksDisk(machine, target)) {
    throw validationError({ offeringId: [fe("machines", "diskShrink", { diskGb: machine.diskGb })] });
  }
  // Moving the disk to another tier is a storage migration only some providers can do.
  if (!tierChangeAllowed(machine, target, migratesDiskTier(machine.provider?.kind))) {
    throw validationError({ offeringId: [fe("machines", "tierChange", { from: machine.diskTier, to: target.diskTier })] });
  }
  // From what the machine reserves (not its offering as it may have been edited since), to
  // the target as it is now: those numbers are stored with the operation and are what the
  // worker reserves, whatever happens to the offering before it runs.
  const to = reservationOf(target);
  const delta = resizeDelta({ ...reservationFromMachine(machine), monthlyPriceCents: machine.monthlyCents }, target);
  return requestOperation(ctx, machine, {
    kind: "RESIZE",
    params: { offeringId: target.id, to: { ...to } },
    audit: { before: { offeringId: machine.offeringId }, after: { offeringName: target.name } },
    within: async (tx) => {
      const project = await tx.project.findUnique({ where: { id: machine.projectId } });
      if (!project) throw notFound("Project");
      const over = resizeExceeds(project, delta);
      if (over.length) throw quotaExceeded(over);
    },
  });
}
