// A price book for one provider (overriding its kind's) or the default of a provider kind.
import "server-only";
import type { Ctx } from "../context";
import { assertCan } from "../auth/permissions";
import { conflict, notFound } from "../errors";
import { recordAudit } from "../audit/record-audit";
import type { CreatePriceBookInput } from "./schemas";

export async function createPriceBook(ctx: Ctx, input: CreatePriceBookInput): Promise<{ id: string }> {
  assertCan(ctx.actor, "price.manage");
  return ctx.db.$transaction(async (tx) => {
    if (input.providerId && !(await tx.provider.findUnique({ where: { id: input.providerId }, select: { id: true } }))) throw notFound("Provider");
    const where = input.providerId ? { providerId: input.providerId } : { providerKind: input.providerKind! };
    const existing = await tx.priceBook.findFirst({ where, select: { id: true } });
    if (existing) throw conflict("This price book already exists", { priceBookId: existing.id });
    const book = await tx.priceBook.create({ data: where });
    await recordAudit(tx, ctx, { action: "price_book.create", targetType: "PriceBook", targetId: book.id, after: where });
    return { id: book.id };
  });
}
