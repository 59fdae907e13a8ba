// One price book with its versions, newest first, each with its items.
import "server-only";
import type { Ctx } from "../context";
import { assertCan } from "../auth/permissions";
import { notFound } from "../errors";
import { env } from "../env";

export async function getPriceBook(ctx: Ctx, input: { priceBookId: string }) {
  assertCan(ctx.actor, "price.manage");
  const book = await ctx.db.priceBook.findUnique({
    where: { id: input.priceBookId },
    include: {
      provider: { select: { id: true, name: true, kind: true } },
      versions: { orderBy: { effectiveFrom: "desc" }, include: { items: { orderBy: [{ kind: "asc" }, { name: "asc" }] } } },
    },
  });
  if (!book) throw notFound("Price book");
  const now = ctx.now();
  const creators = await ctx.db.user.findMany({ where: { id: { in: book.versions.map((v) => v.createdById).filter((x): x is string => !!x) } }, select: { id: true, name: true } });
  const creatorName = new Map(creators.map((u) => [u.id, u.name]));
  const current = book.versions.find((v) => v.effectiveFrom <= now)?.id ?? null;
  const kind = book.provider?.kind ?? book.providerKind!;
  const usedBy = book.providerKind
    ? await ctx.db.provider.findMany({ where: { kind: book.providerKind, priceBook: null }, select: { id: true, name: true }, orderBy: { name: "asc" } })
    : [];
  return {
    id: book.id,
    currency: env().ORQ_CURRENCY,
    provider: book.provider,
    providerKind: book.providerKind,
    kind,
    /** Providers of the kind priced by this (kind) book: those without a book of their own. */
    usedBy,
    versions: book.versions.map((v) => ({
      id: v.id,
      effectiveFrom: v.effectiveFrom.toISOString(),
      note: v.note,
      source: v.source,
      createdBy: v.createdById ? (creatorName.get(v.createdById) ?? null) : null,
      createdAt: v.createdAt.toISOString(),
      status: v.id === current ? ("IN_FORCE" as const) : v.effectiveFrom > now ? ("SCHEDULED" as const) : ("PAST" as const),
      items: v.items.map((i) => ({ kind: i.kind, name: i.name, vcpu: i.vcpu, memoryMb: i.memoryMb, unit: i.unit, millicents: i.millicents })),
    })),
  };
}
export type PriceBookDetail = Awaited<ReturnType<typeof getPriceBook>>;
