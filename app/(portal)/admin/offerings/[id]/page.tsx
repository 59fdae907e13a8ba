import Link from "next/link";
import { getTranslations } from "next-intl/server";
import { pageContext } from "@/lib/actions/run-action";
import { guardPage } from "@/lib/actions/page-guard";
import { getOffering } from "@/lib/offerings/get-offering";
import { centsToMoneyInput, mibToGib } from "@/lib/offerings/units";
import { env } from "@/lib/env";
import { PageHeader } from "@/components/ui/card";
import { Badge } from "@/components/ui/badge";
import { OfferingForm } from "@/components/admin/offering-form";
import { updateOfferingAction } from "../actions";
import { withMessages } from "@/components/layout/page-messages";

export async function generateMetadata() {
  return { title: (await getTranslations("offerings"))("editOffering") };
}

async function EditOfferingPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const ctx = await pageContext();
  const o = await guardPage(() => getOffering(ctx, { id }));
  const t = await getTranslations("offerings");
  return (
    <>
      <Link href="/admin/offerings" className="text-sm text-indigo-700 hover:underline">
        ← {t("backToList")}
      </Link>
      <PageHeader
        title={t("editNamed", { name: o.name })}
        description={o.inUse ? t("inUseNote") : undefined}
        actions={<Badge tone={o.active ? "green" : "gray"}>{o.active ? t("active") : t("inactive")}</Badge>}
      />
      <OfferingForm
        id={o.id}
        currency={env().ORQ_CURRENCY}
        save={updateOfferingAction}
        defaultValues={{
          name: o.name,
          description: o.description,
          vcpu: o.vcpu,
          memoryGib: mibToGib(o.memoryMb),
          diskGb: o.diskGb,
          diskTier: o.diskTier,
          monthlyPrice: centsToMoneyInput(o.monthlyPriceCents),
        }}
      />
    </>
  );
}

export default withMessages("all", EditOfferingPage);
