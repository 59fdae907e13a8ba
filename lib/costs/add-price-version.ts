// A new version of a price book, in force from its effective date (now, or later) until the
// next one. Versions are never edited: costs accrued under a version stay as they were.
import "server-only";
import type { Ctx } from "../context";
import type { Tx } from "../db/client";
import { assertCan } from "../auth/permissions";
import { notFound, validationError } from "../errors";
import { recordAudit } from "../audit/record-audit";
import { gibToMib } from "../offerings/units";
import { parseAmountToMillicents, type AddPriceVersionInput } from "./schemas";
import type { z } from "zod";
import type { priceItemSchema } from "./schemas";

/** Effective dates a little in the past are taken as "now" (clocks differ; the form is slow). */
const SLACK_MS = 5 * 60_000;

export async function addPriceVersionInTx(
  tx: Tx,
  ctx: Ctx,
  input: { priceBookId: string; effectiveFrom?: string; note: string; items: z.infer<typeof priceItemSchema>[] },
  source: string,
) {
  const now = ctx.now();
  const book = await tx.priceBook.findUnique({ where: { id: input.priceBookId }, select: { id: true, providerId: true, providerKind: true } });
  if (!book) throw notFound("Price book");
  let effectiveFrom = input.effectiveFrom ? new Date(input.effectiveFrom) : now;
  if (effectiveFrom.getTime() < now.getTime() - SLACK_MS) throw validationError({ effectiveFrom: ["effectiveFromPast"] });
  if (effectiveFrom < now) effectiveFrom = now;
  // One version per instant: a second save at the same moment waits for the first.
  await tx.$executeRaw`select pg_advisory_xact_lock(hashtext(${`price-book:${book.id}`}))`;
  if (await tx.priceVersion.findFirst({ where: { priceBookId: book.id, effectiveFrom }, select: { id: true } })) {
    throw validationError({ effectiveFrom: ["effectiveFromTaken"] });
  }
  const version = await tx.priceVersion.create({
    data: {
      priceBookId: book.id,
      effectiveFrom,
      note: input.note,
      source,
      createdById: ctx.actor.id,
      items: {
        create: input.items.map((i) => ({
          kind: i.kind,
          name: i.kind === "INSTANCE" ? i.name : "",
          vcpu: i.kind === "INSTANCE" ? i.vcpu! : null,
          memoryMb: i.kind === "INSTANCE" ? gibToMib(i.memoryGib!) : null,
          unit: i.unit,
          millicents: parseAmountToMillicents(i.amount)!,
        })),
      },
    },
  });
  await recordAudit(tx, ctx, {
    action: "price_book.add_version",
    targetType: "PriceBook",
    targetId: book.id,
    after: { versionId: version.id, effectiveFrom, source, items: input.items.length, providerId: book.providerId, providerKind: book.providerKind },
  });
  return { priceBookId: book.id, versionId: version.id, effectiveFrom: effectiveFrom.toISOString(), items: input.items.length };
}

export async function addPriceVersion(ctx: Ctx, input: AddPriceVersionInput) {
  assertCan(ctx.actor, "price.manage");
  return ctx.db.$transaction((tx) => addPriceVersionInTx(tx, ctx, { ...input, effectiveFrom: input.effectiveFrom || undefined }, "form"));
}
