// Price lists as the cost code reads them: for each provider, its own price book, or else the
// book of its kind (a default that attaches to every provider of that kind, including ones
// registered later). Loaded whole: a few books with a few versions each.
import type { Db, Tx } from "../db/client";
import type { ProviderKind } from "../generated/prisma/enums";
import type { PriceList } from "./pricing";

export interface PriceBookRef {
  id: string;
  providerId: string | null;
  providerKind: ProviderKind | null;
  /** Versions oldest first. */
  lists: PriceList[];
}

export interface PriceCatalog {
  books: PriceBookRef[];
  /** The price lists that apply to a provider, oldest first (empty: not priced). */
  listsFor: (providerId: string) => readonly PriceList[];
  /** The book that applies to a provider, and whether it is its own or its kind's. */
  bookFor: (providerId: string) => { book: PriceBookRef; scope: "provider" | "kind" } | null;
}

export async function loadPriceCatalog(db: Db | Tx): Promise<PriceCatalog> {
  const [books, providers] = await Promise.all([
    db.priceBook.findMany({
      include: { versions: { orderBy: { effectiveFrom: "asc" }, include: { items: true } } },
    }),
    db.provider.findMany({ select: { id: true, kind: true } }),
  ]);
  const refs: PriceBookRef[] = books.map((b) => ({
    id: b.id,
    providerId: b.providerId,
    providerKind: b.providerKind,
    lists: b.versions.map((v) => ({
      versionId: v.id,
      effectiveFrom: v.effectiveFrom,
      items: v.items.map((i) => ({ kind: i.kind, name: i.name, vcpu: i.vcpu, memoryMb: i.memoryMb, unit: i.unit, millicents: i.millicents })),
    })),
  }));
  return catalogOf(refs, providers);
}

/** The catalog of these books, for these providers (their kinds pick the kind-wide books). */
export function catalogOf(refs: PriceBookRef[], providers: readonly { id: string; kind: ProviderKind }[]): PriceCatalog {
  const byProvider = new Map(refs.filter((b) => b.providerId).map((b) => [b.providerId!, b]));
  const byKind = new Map(refs.filter((b) => b.providerKind).map((b) => [b.providerKind!, b]));
  const kindOf = new Map(providers.map((p) => [p.id, p.kind]));
  const bookFor = (providerId: string) => {
    const own = byProvider.get(providerId);
    if (own) return { book: own, scope: "provider" as const };
    const kind = kindOf.get(providerId);
    const shared = kind ? byKind.get(kind) : undefined;
    return shared ? { book: shared, scope: "kind" as const } : null;
  };
  return { books: refs, bookFor, listsFor: (providerId) => bookFor(providerId)?.book.lists ?? [] };
}
