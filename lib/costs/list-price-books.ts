// The price books page: every provider with the book that prices it (its own or its kind's) and
// the version in force, and every provider kind with its default book.
import "server-only";
import type { Ctx } from "../context";
import { assertCan } from "../auth/permissions";
import { env } from "../env";
import { ProviderKind, type ProviderStatus } from "../generated/prisma/enums";
import { listAt } from "./pricing";
import { loadPriceCatalog, type PriceBookRef } from "./price-lists";
import { isPublicCloud } from "./placement-policy";

export interface BookSummary {
  id: string;
  versions: number;
  inForce: { versionId: string; effectiveFrom: string; items: number } | null;
  /** The next version, when one is scheduled. */
  next: { effectiveFrom: string } | null;
}

const summary = (b: PriceBookRef, now: Date): BookSummary => {
  const cur = listAt(b.lists, now);
  const next = b.lists.find((l) => l.effectiveFrom > now);
  return {
    id: b.id,
    versions: b.lists.length,
    inForce: cur ? { versionId: cur.versionId, effectiveFrom: cur.effectiveFrom.toISOString(), items: cur.items.length } : null,
    next: next ? { effectiveFrom: next.effectiveFrom.toISOString() } : null,
  };
};

export async function listPriceBooks(ctx: Ctx) {
  assertCan(ctx.actor, "price.manage");
  const now = ctx.now();
  const [providers, catalog] = await Promise.all([
    ctx.db.provider.findMany({ orderBy: { name: "asc" }, select: { id: true, name: true, kind: true, status: true } }),
    loadPriceCatalog(ctx.db),
  ]);
  const kindBook = new Map(catalog.books.filter((b) => b.providerKind).map((b) => [b.providerKind!, b]));
  return {
    currency: env().ORQ_CURRENCY,
    providers: providers.map((p) => {
      const applies = catalog.bookFor(p.id);
      return {
        id: p.id,
        name: p.name,
        kind: p.kind,
        status: p.status as ProviderStatus,
        cloud: isPublicCloud(p.kind) ? ("public" as const) : ("private" as const),
        scope: applies?.scope ?? null,
        book: applies ? summary(applies.book, now) : null,
      };
    }),
    kinds: Object.values(ProviderKind).map((kind) => {
      const b = kindBook.get(kind);
      return { kind, cloud: isPublicCloud(kind) ? ("public" as const) : ("private" as const), book: b ? summary(b, now) : null, providers: providers.filter((p) => p.kind === kind).length };
    }),
  };
}
export type PriceBookList = Awaited<ReturnType<typeof listPriceBooks>>;
