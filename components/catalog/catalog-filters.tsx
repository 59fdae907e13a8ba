import Link from "next/link";
import { useTranslations } from "next-intl";
import { Button } from "@/components/ui/button";
import { Input, Label, NativeSelect } from "@/components/ui/field";
import type { CatalogFilter } from "@/lib/catalog/schemas";

/** A plain GET form: filters live in the URL, the page renders on the server, no script needed. */
export function CatalogFilters({ filter }: { filter: CatalogFilter }) {
  const t = useTranslations("catalog");
  const active = Boolean(filter.tier || filter.minVcpu || filter.minMemoryGb);
  return (
    <form method="get" action="/catalog" role="search" aria-label={t("filters")} className="mb-6 flex flex-wrap items-end gap-4 rounded-lg border border-slate-200 bg-white p-4">
      <div className="space-y-1">
        <Label htmlFor="tier">{t("tier")}</Label>
        <NativeSelect id="tier" name="tier" defaultValue={filter.tier ?? ""} className="w-40">
          <option value="">{t("anyTier")}</option>
          <option value="SSD">{t("tiers.SSD")}</option>
          <option value="HDD">{t("tiers.HDD")}</option>
        </NativeSelect>
      </div>
      <div className="space-y-1">
        <Label htmlFor="minVcpu">{t("minVcpu")}</Label>
        <Input id="minVcpu" name="minVcpu" type="number" inputMode="numeric" min={1} step={1} defaultValue={filter.minVcpu ?? ""} className="w-36" />
      </div>
      <div className="space-y-1">
        <Label htmlFor="minMemoryGb">{t("minMemoryGb")}</Label>
        <Input id="minMemoryGb" name="minMemoryGb" type="number" inputMode="numeric" min={1} step={1} defaultValue={filter.minMemoryGb ?? ""} className="w-44" />
      </div>
      <Button type="submit" variant="secondary">
        {t("apply")}
      </Button>
      {active ? (
        <Link href="/catalog" className="px-2 py-2 text-sm font-medium text-indigo-700 hover:underline">
          {t("clearFilters")}
        </Link>
      ) : null}
    </form>
  );
}
