import Link from "next/link";
import { getTranslations } from "next-intl/server";
import { PageHeader } from "@/components/ui/card";
import { ExportMachines } from "@/components/stacks/export-machines";
import { guardPage } from "@/lib/actions/page-guard";
import { pageContext } from "@/lib/actions/run-action";
import { exportableMachines } from "@/lib/stacks/exportable-machines";
import { exportMachinesAction } from "../actions";
import { withMessages } from "@/components/layout/page-messages";

export const dynamic = "force-dynamic";

export async function generateMetadata() {
  const t = await getTranslations("stacks");
  return { title: t("exportTitle") };
}

async function ExportStackPage({ searchParams }: { searchParams: Promise<{ project?: string }> }) {
  const { project } = await searchParams;
  const data = await guardPage(async () => exportableMachines(await pageContext(), { projectId: typeof project === "string" ? project : undefined }));
  const t = await getTranslations("stacks");
  return (
    <>
      <PageHeader
        title={t("exportTitle")}
        description={t("exportDescription")}
        actions={
          <Link href="/stacks" className="text-sm font-medium text-indigo-700 hover:underline">
            {t("back")}
          </Link>
        }
      />
      <ExportMachines key={data.projectId ?? "none"} data={data} exportAction={exportMachinesAction} />
    </>
  );
}

export default withMessages(["stacks"], ExportStackPage);
