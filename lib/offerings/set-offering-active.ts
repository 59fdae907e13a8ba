import "server-only";
import type { z } from "zod";
import type { Ctx } from "../context";
import { assertCan } from "../auth/permissions";
import { notFound } from "../errors";
import { recordAudit } from "../audit/record-audit";
import { setOfferingActiveSchema } from "./schemas";
import { parseInput } from "./parse-input";
import { offeringSnapshot } from "./snapshot";

/** Deactivate (hidden from the catalogue, existing machines untouched) or reactivate. */
export async function setOfferingActive(ctx: Ctx, input: z.infer<typeof setOfferingActiveSchema>) {
  assertCan(ctx.actor, "offering.manage");
  const { id, active } = parseInput(setOfferingActiveSchema, input);
  return ctx.db.$transaction(async (tx) => {
    const before = await tx.offering.findUnique({ where: { id } });
    if (!before) throw notFound("Offering");
    if (before.active === active) return before; // nothing changes, nothing to audit
    const after = await tx.offering.update({ where: { id }, data: { active } });
    await recordAudit(tx, ctx, {
      action: active ? "offering.reactivate" : "offering.deactivate",
      targetType: "Offering",
      targetId: id,
      before: offeringSnapshot(before),
      after: offeringSnapshot(after),
    });
    return after;
  });
}
