import "server-only";
import type { z } from "zod";
import type { Ctx } from "../context";
import { assertCan } from "../auth/permissions";
import { conflict, notFound } from "../errors";
import { recordAudit } from "../audit/record-audit";
import { offeringIdSchema } from "./schemas";
import { parseInput } from "./parse-input";
import { offeringSnapshot } from "./snapshot";
import { isForeignKeyViolation } from "./prisma-errors";

export type DeleteOutcome = "deleted" | "deactivated";

/**
 * Deletes an offering nobody ever used. One that any request or machine references (even a
 * deleted machine: its history points at it) is deactivated instead, never deleted.
 */
export async function deleteOffering(ctx: Ctx, input: z.infer<typeof offeringIdSchema>): Promise<{ outcome: DeleteOutcome }> {
  assertCan(ctx.actor, "offering.manage");
  const { id } = parseInput(offeringIdSchema, input);
  try {
    return await ctx.db.$transaction(async (tx) => {
      // Lock the row: a request being submitted for it waits (its FK check needs a share lock).
      const locked = await tx.$queryRaw<{ id: string }[]>`SELECT id FROM "Offering" WHERE id = ${id}::uuid FOR UPDATE`;
      if (!locked.length) throw notFound("Offering");
      const before = (await tx.offering.findUnique({ where: { id }, include: { _count: { select: { requests: true, machines: true } } } }))!;
      const { _count, ...row } = before;
      if (_count.requests + _count.machines > 0) {
        if (row.active) {
          const after = await tx.offering.update({ where: { id }, data: { active: false } });
          await recordAudit(tx, ctx, {
            action: "offering.deactivate",
            targetType: "Offering",
            targetId: id,
            before: offeringSnapshot(row),
            after: offeringSnapshot(after),
          });
        }
        return { outcome: "deactivated" as const };
      }
      await tx.offering.delete({ where: { id } });
      await recordAudit(tx, ctx, { action: "offering.delete", targetType: "Offering", targetId: id, before: offeringSnapshot(row) });
      return { outcome: "deleted" as const };
    });
  } catch (err) {
    if (isForeignKeyViolation(err)) throw conflict("The offering came into use meanwhile; deactivate it instead.");
    throw err;
  }
}
