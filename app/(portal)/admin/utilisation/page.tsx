import { getTranslations } from "next-intl/server";
import { pageContext } from "@/lib/actions/run-action";
import { guardPage } from "@/lib/actions/page-guard";
import { assertCan } from "@/lib/auth/permissions";
import { PageHeader } from "@/components/ui/card";
import { UtilisationCharts } from "@/components/monitoring/utilisation-charts";
import { withMessages } from "@/components/layout/page-messages";

export const dynamic = "force-dynamic";

export async function generateMetadata() {
  const t = await getTranslations("alerts.admin");
  return { title: t("title") };
}

async function UtilisationPage() {
  await guardPage(async () => assertCan((await pageContext()).actor, "host.manage"));
  const t = await getTranslations("alerts.admin");
  return (
    <>
      <PageHeader title={t("title")} description={t("description")} />
      <UtilisationCharts />
    </>
  );
}

export default withMessages(["alerts", "monitoring"], UtilisationPage);
