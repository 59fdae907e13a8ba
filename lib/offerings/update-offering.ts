import "server-only";
import type { Ctx } from "../context";
import { assertCan } from "../auth/permissions";
import { notFound, validationError } from "../errors";
import { recordAudit } from "../audit/record-audit";
import { updateOfferingSchema } from "./schemas";
import { parseInput } from "./parse-input";
import type { z } from "zod";
import { offeringRowData } from "./to-row";
import { offeringSnapshot } from "./snapshot";
import { assertOfferingNameFree } from "./unique-name";
import { isUniqueViolation } from "./prisma-errors";

// Changing an offering's size or price affects new requests only: machines and requests
// keep the figures they were created or priced with.
export async function updateOffering(ctx: Ctx, input: z.infer<typeof updateOfferingSchema>) {
  assertCan(ctx.actor, "offering.manage");
  const { id, ...fields } = parseInput(updateOfferingSchema, input);
  const data = offeringRowData(fields);
  try {
    return await ctx.db.$transaction(async (tx) => {
      const before = await tx.offering.findUnique({ where: { id } });
      if (!before) throw notFound("Offering");
      await assertOfferingNameFree(tx, data.name, id);
      const after = await tx.offering.update({ where: { id }, data });
      await recordAudit(tx, ctx, {
        action: "offering.update",
        targetType: "Offering",
        targetId: id,
        before: offeringSnapshot(before),
        after: offeringSnapshot(after),
      });
      return after;
    });
  } catch (err) {
    if (isUniqueViolation(err)) throw validationError({ name: ["offerings.validation.nameTaken"] });
    throw err;
  }
}
