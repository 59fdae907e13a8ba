import { getTranslations } from "next-intl/server";
import { pageContext } from "@/lib/actions/run-action";
import { guardPage } from "@/lib/actions/page-guard";
import { listBackupsSchema } from "@/lib/backups/schemas";
import { listBackups } from "@/lib/backups/list-backups";
import { PageHeader } from "@/components/ui/card";
import { BackupsView } from "@/components/backups/backups-view";
import { withMessages } from "@/components/layout/page-messages";

export async function generateMetadata() {
  const t = await getTranslations("backups");
  return { title: t("title") };
}

async function BackupsPage() {
  const ctx = await pageContext();
  const data = await guardPage(() => listBackups(ctx, listBackupsSchema.parse({})));
  const t = await getTranslations("backups");
  return (
    <>
      <PageHeader title={t("title")} description={t("description")} />
      <BackupsView initial={data} />
    </>
  );
}

export default withMessages(["backups"], BackupsPage);
