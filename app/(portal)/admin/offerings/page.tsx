import Link from "next/link";
import { getFormatter, getTranslations } from "next-intl/server";
import { pageContext } from "@/lib/actions/run-action";
import { guardPage } from "@/lib/actions/page-guard";
import { listOfferings } from "@/lib/offerings/list-offerings";
import { mibToGib, centsToUnits } from "@/lib/offerings/units";
import { env } from "@/lib/env";
import { Button } from "@/components/ui/button";
import { EmptyState, PageHeader } from "@/components/ui/card";
import { Badge } from "@/components/ui/badge";
import { Table, Td, Th } from "@/components/ui/table";
import { CatalogItemRowActions } from "@/components/admin/catalog-item-row-actions";
import { deleteOfferingAction, setOfferingActiveAction } from "./actions";
import { withMessages } from "@/components/layout/page-messages";

export async function generateMetadata() {
  return { title: (await getTranslations("offerings"))("title") };
}

async function OfferingsPage() {
  const ctx = await pageContext();
  const offerings = await guardPage(() => listOfferings(ctx));
  const t = await getTranslations("offerings");
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
      {offerings.length === 0 ? (
        <EmptyState title={t("empty")} description={t("emptyBody")} action={newButton} />
      ) : (
        <Table>
          <thead>
            <tr>
              <Th>{t("name")}</Th>
              <Th className="text-right">{t("vcpu")}</Th>
              <Th className="text-right">{t("memoryGib")}</Th>
              <Th className="text-right">{t("diskGb")}</Th>
              <Th>{t("diskTier")}</Th>
              <Th className="text-right">{t("monthlyPrice")}</Th>
              <Th>{t("status")}</Th>
              <Th className="text-right">{t("machines")}</Th>
              <Th>
                <span className="sr-only">{t("edit")}</span>
              </Th>
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100">
            {offerings.map((o) => (
              <tr key={o.id} className={o.active ? undefined : "bg-slate-50"}>
                <Td>
                  <span className="font-medium text-slate-900">{o.name}</span>
                  {o.description ? <p className="text-xs text-slate-600">{o.description}</p> : null}
                </Td>
                <Td className="text-right tabular-nums">{format.number(o.vcpu)}</Td>
                <Td className="text-right tabular-nums">{format.number(mibToGib(o.memoryMb))}</Td>
                <Td className="text-right tabular-nums">{format.number(o.diskGb)}</Td>
                <Td>{t(`tiers.${o.diskTier}`)}</Td>
                <Td className="text-right tabular-nums">{format.number(centsToUnits(o.monthlyPriceCents), { style: "currency", currency })}</Td>
                <Td>
                  <Badge tone={o.active ? "green" : "gray"}>{o.active ? t("active") : t("inactive")}</Badge>
                </Td>
                <Td className="text-right tabular-nums">{format.number(o.machineCount)}</Td>
                <Td>
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
      )}
    </>
  );
}

export default withMessages("all", OfferingsPage);
