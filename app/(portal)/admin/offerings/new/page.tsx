import Link from "next/link";
import { getTranslations } from "next-intl/server";
import { pageContext } from "@/lib/actions/run-action";
import { guardPage } from "@/lib/actions/page-guard";
import { assertCan } from "@/lib/auth/permissions";
import { env } from "@/lib/env";
import { PageHeader } from "@/components/ui/card";
import { OfferingForm } from "@/components/admin/offering-form";
import { createOfferingAction } from "../actions";
import { withMessages } from "@/components/layout/page-messages";

export async function generateMetadata() {
  return { title: (await getTranslations("offerings"))("newOffering") };
}

async function NewOfferingPage() {
  const ctx = await pageContext();
  await guardPage(async () => assertCan(ctx.actor, "offering.manage"));
  const t = await getTranslations("offerings");
  return (
    <>
      <Link href="/admin/offerings" className="text-sm text-indigo-700 hover:underline">
        ← {t("backToList")}
      </Link>
      <PageHeader title={t("newOffering")} />
      <OfferingForm
        currency={env().ORQ_CURRENCY}
        save={createOfferingAction}
        defaultValues={{ name: "", description: "", vcpu: 2, memoryGib: 4, diskGb: 50, diskTier: "SSD", monthlyPrice: "" }}
      />
    </>
  );
}

export default withMessages("all", NewOfferingPage);
