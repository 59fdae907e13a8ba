import Link from "next/link";
import { getTranslations } from "next-intl/server";
import { EmptyState, PageHeader } from "@/components/ui/card";
import { CatalogFilters } from "@/components/catalog/catalog-filters";
import { OfferingTable } from "@/components/catalog/offering-table";
import { guardPage } from "@/lib/actions/page-guard";
import { pageContext } from "@/lib/actions/run-action";
import { catalogFilterSchema } from "@/lib/catalog/schemas";
import { listOfferings } from "@/lib/catalog/list-offerings";

export async function generateMetadata() {
  const t = await getTranslations("catalog");
  return { title: t("title") };
}

type SearchParams = Promise<Record<string, string | string[] | undefined>>;
const first = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v);

export default async function CatalogPage({ searchParams }: { searchParams: SearchParams }) {
  const sp = await searchParams;
  const filter = catalogFilterSchema.parse({ tier: first(sp.tier), minVcpu: first(sp.minVcpu), minMemoryGb: first(sp.minMemoryGb) });
  const { offerings, currency } = await guardPage(async () => listOfferings(await pageContext(), filter));
  const t = await getTranslations("catalog");
  const filtered = Boolean(filter.tier || filter.minVcpu || filter.minMemoryGb);
  return (
    <>
      <PageHeader title={t("title")} description={t("description")} />
      <CatalogFilters filter={filter} />
      <p className="mb-2 text-sm text-slate-700" aria-live="polite">
        {t("results", { count: offerings.length })}
      </p>
      {offerings.length ? (
        <OfferingTable offerings={offerings} currency={currency} />
      ) : filtered ? (
        <EmptyState
          title={t("emptyTitle")}
          description={t("emptyBody")}
          action={
            <Link href="/catalog" className="text-sm font-medium text-indigo-700 hover:underline">
              {t("clearFilters")}
            </Link>
          }
        />
      ) : (
        <EmptyState title={t("emptyCatalogTitle")} description={t("emptyCatalogBody")} />
      )}
    </>
  );
}
