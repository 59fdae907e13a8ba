import Link from "next/link";
import { getFormatter, getTranslations } from "next-intl/server";
import { pageContext } from "@/lib/actions/run-action";
import { guardPage } from "@/lib/actions/page-guard";
import { listOfferings, OFFERING_SORTS } from "@/lib/offerings/list-offerings";
import { ListFilters, oneParam, pickParam, SearchField, SelectField } from "@/components/ui/list-filters";
import { PhoneSortLinks, SortableTh } from "@/components/ui/list";
import { mibToGib, centsToUnits } from "@/lib/offerings/units";
import { env } from "@/lib/env";
import { Button } from "@/components/ui/button";
import { EmptyState, PageHeader } from "@/components/ui/card";
import { Badge } from "@/components/ui/badge";
import { CARD_CELL_LEFT, CARD_INLINE, CARD_ROW, Table, Td, Th } from "@/components/ui/table";
import { CatalogItemRowActions } from "@/components/admin/catalog-item-row-actions";
import { deleteOfferingAction, setOfferingActiveAction } from "./actions";
import { withMessages } from "@/components/layout/page-messages";

export async function generateMetadata() {
  return { title: (await getTranslations("offerings"))("title") };
}

async function OfferingsPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const sp = await searchParams;
  const q = oneParam(sp.q)?.slice(0, 100);
  const tier = pickParam(sp.tier, ["SSD", "HDD"] as const);
  const status = pickParam(sp.status, ["active", "inactive"] as const);
  const sort = pickParam(sp.sort, OFFERING_SORTS);
  const dir = pickParam(sp.dir, ["asc", "desc"] as const);
  const ctx = await pageContext();
  const offerings = await guardPage(() => listOfferings(ctx, { q, tier, status, sort, dir }));
  const t = await getTranslations("offerings");
  const tl = await getTranslations("adminLists");
  const filtered = Boolean(q || tier || status);
  const params = { q, tier, status, sort, dir };
  const sortProps = { sort: sort ?? "", dir: dir ?? (!sort || sort === "name" ? "asc" : "desc"), basePath: "/admin/offerings", params } as const;
  const format = await getFormatter();
  const currency = env().ORQ_CURRENCY;
  const newButton = (
    <Button asChild>
      <Link href="/admin/offerings/new">{t("newOffering")}</Link>
    </Button>
  );
  return (
    <>
      <PageHeader title={t("title")} description={t("description")} actions={newButton} />
      <ListFilters action="/admin/offerings" label={tl("offerings.filters")} hidden={{ sort, dir }} clearLabel={tl("clear")} filtered={filtered}>
        <SearchField id="offering-q" label={tl("offerings.search")} value={q} />
        <SelectField id="offering-tier" name="tier" label={t("diskTier")} value={tier} anyLabel={tl("any")} options={(["SSD", "HDD"] as const).map((x) => ({ value: x, label: t(`tiers.${x}`) }))} />
        <SelectField
          id="offering-status"
          name="status"
          label={t("status")}
          value={status}
          anyLabel={tl("any")}
          options={[
            { value: "active", label: t("active") },
            { value: "inactive", label: t("inactive") },
          ]}
        />
      </ListFilters>
      {offerings.length === 0 ? (
        filtered ? (
          <EmptyState title={tl("emptyFiltered")} />
        ) : (
          <EmptyState title={t("empty")} description={t("emptyBody")} action={newButton} />
        )
      ) : (
        <>
        <PhoneSortLinks columns={[{ column: "name", label: t("name") }, { column: "vcpu", label: t("vcpu"), firstDir: "desc" }, { column: "memory", label: t("memoryGib"), firstDir: "desc" }, { column: "disk", label: t("diskGb"), firstDir: "desc" }, { column: "price", label: t("monthlyPrice"), firstDir: "desc" }, { column: "machines", label: t("machines"), firstDir: "desc" }]} {...sortProps} />
        <Table className="max-sm:block max-sm:divide-y-0">
          <thead className="max-sm:sr-only">
            <tr>
              <SortableTh column="name" label={t("name")} {...sortProps} />
              <SortableTh column="vcpu" label={t("vcpu")} firstDir="desc" className="text-right" {...sortProps} />
              <SortableTh column="memory" label={t("memoryGib")} firstDir="desc" className="text-right" {...sortProps} />
              <SortableTh column="disk" label={t("diskGb")} firstDir="desc" className="text-right" {...sortProps} />
              <Th>{t("diskTier")}</Th>
              <SortableTh column="price" label={t("monthlyPrice")} firstDir="desc" className="text-right" {...sortProps} />
              <Th>{t("status")}</Th>
              <SortableTh column="machines" label={t("machines")} firstDir="desc" className="text-right" {...sortProps} />
              <Th>
                <span className="sr-only">{t("edit")}</span>
              </Th>
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100 max-sm:block max-sm:space-y-2 max-sm:divide-y-0 max-sm:p-2">
            {offerings.map((o) => (
              <tr key={o.id} data-offering={o.name} className={`${CARD_ROW} ${o.active ? "" : "bg-slate-50"}`}>
                <Td className={CARD_CELL_LEFT}>
                  <span className="font-medium text-slate-900">{o.name}</span>
                  {o.description ? <p className="text-xs text-slate-600">{o.description}</p> : null}
                </Td>
                <Td className={`${CARD_INLINE} text-right tabular-nums`}>
                  {format.number(o.vcpu)}
                  <span className="sm:hidden"> {t("vcpu")}</span>
                </Td>
                <Td className={`${CARD_INLINE} text-right tabular-nums`}>
                  {format.number(mibToGib(o.memoryMb))}
                  <span className="sm:hidden"> {t("memoryGib")}</span>
                </Td>
                <Td className={`${CARD_INLINE} text-right tabular-nums`}>
                  {format.number(o.diskGb)}
                  <span className="sm:hidden"> {t("diskGb")}</span>
                </Td>
                <Td className={CARD_INLINE}>{t(`tiers.${o.diskTier}`)}</Td>
                <Td className={`${CARD_CELL_LEFT} text-right tabular-nums`}>{format.number(centsToUnits(o.monthlyPriceCents), { style: "currency", currency })}</Td>
                <Td className={CARD_INLINE}>
                  <Badge tone={o.active ? "green" : "gray"}>{o.active ? t("active") : t("inactive")}</Badge>
                </Td>
                <Td className={`${CARD_INLINE} text-right tabular-nums`}>
                  <span className="sm:hidden">{t("machines")}: </span>
                  {format.number(o.machineCount)}
                </Td>
                <Td className={CARD_CELL_LEFT}>
                  <CatalogItemRowActions
                    kind="offerings"
                    id={o.id}
                    name={o.name}
                    active={o.active}
                    inUse={o.inUse}
                    setActive={setOfferingActiveAction}
                    remove={deleteOfferingAction}
                  />
                </Td>
              </tr>
            ))}
          </tbody>
        </Table>
        </>
      )}
    </>
  );
}

export default withMessages("all", OfferingsPage);
