import "server-only";
import type { z } from "zod";
import type { Ctx } from "../context";
import { assertCan } from "../auth/permissions";
import { notFound } from "../errors";
import { offeringIdSchema } from "./schemas";

export async function getOffering(ctx: Ctx, input: z.infer<typeof offeringIdSchema>) {
  assertCan(ctx.actor, "offering.manage");
  const parsed = offeringIdSchema.safeParse(input);
  if (!parsed.success) throw notFound("Offering");
  const offering = await ctx.db.offering.findUnique({
    where: { id: parsed.data.id },
    include: { _count: { select: { requests: true, machines: true } } },
  });
  if (!offering) throw notFound("Offering");
  const { _count, ...row } = offering;
  return { ...row, inUse: _count.requests + _count.machines > 0 };
}
