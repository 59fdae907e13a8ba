import "server-only";
import type { Ctx } from "../context";
import { assertCan } from "../auth/permissions";
import { validationError } from "../errors";
import { recordAudit } from "../audit/record-audit";
import { createOfferingSchema } from "./schemas";
import { parseInput } from "./parse-input";
import type { OfferingFields } from "./schemas";
import { offeringRowData } from "./to-row";
import { offeringSnapshot } from "./snapshot";
import { assertOfferingNameFree } from "./unique-name";
import { isUniqueViolation } from "./prisma-errors";

export async function createOffering(ctx: Ctx, input: OfferingFields) {
  assertCan(ctx.actor, "offering.manage");
  const data = offeringRowData(parseInput(createOfferingSchema, input));
  try {
    return await ctx.db.$transaction(async (tx) => {
      await assertOfferingNameFree(tx, data.name);
      const offering = await tx.offering.create({ data });
      await recordAudit(tx, ctx, { action: "offering.create", targetType: "Offering", targetId: offering.id, after: offeringSnapshot(offering) });
      return offering;
    });
  } catch (err) {
    if (isUniqueViolation(err)) throw validationError({ name: ["offerings.validation.nameTaken"] });
    throw err;
  }
}
