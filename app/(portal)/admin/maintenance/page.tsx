import { getTranslations } from "next-intl/server";
import { pageContext } from "@/lib/actions/run-action";
import { guardPage } from "@/lib/actions/page-guard";
import { maintenanceCalendarSchema } from "@/lib/maintenance/schemas";
import { getMaintenanceOverview } from "@/lib/maintenance/get-maintenance-overview";
import { PageHeader } from "@/components/ui/card";
import { MaintenanceView } from "@/components/maintenance/maintenance-view";
import { withMessages } from "@/components/layout/page-messages";

export async function generateMetadata() {
  const t = await getTranslations("maintenance");
  return { title: t("title") };
}

async function MaintenancePage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const sp = await searchParams;
  const input = maintenanceCalendarSchema.parse({ month: Array.isArray(sp.month) ? sp.month[0] : sp.month });
  const ctx = await pageContext();
  const data = await guardPage(() => getMaintenanceOverview(ctx, input));
  const t = await getTranslations("maintenance");
  return (
    <>
      <PageHeader title={t("title")} description={t("description")} />
      <MaintenanceView initial={data} />
    </>
  );
}

export default withMessages(["maintenance"], MaintenancePage);
