import Link from "next/link";
import { getTranslations } from "next-intl/server";
import { PageHeader } from "@/components/ui/card";
import { ScalingGroupLive } from "@/components/scaling/group-live";
import { guardPage } from "@/lib/actions/page-guard";
import { pageContext } from "@/lib/actions/run-action";
import { getScalingGroup } from "@/lib/scaling/read-groups";
import { deleteScalingGroupAction, updateScalingGroupAction } from "../actions";
import { withMessages } from "@/components/layout/page-messages";

export async function generateMetadata() {
  const t = await getTranslations("scaling");
  return { title: t("title") };
}

async function ScalingGroupPage({ params }: { params: Promise<{ groupId: string }> }) {
  const { groupId } = await params;
  const group = await guardPage(async () => getScalingGroup(await pageContext(), { groupId }));
  const t = await getTranslations("scaling");
  return (
    <>
      <PageHeader
        title={t("groupTitle", { name: group.name })}
        description={t("groupDescription", { project: group.projectName, offering: group.offeringName, template: group.templateName })}
        actions={
          <Link href="/scaling" className="text-sm font-medium text-indigo-700 hover:underline">
            {t("backToList")}
          </Link>
        }
      />
      <ScalingGroupLive initial={group} updateAction={updateScalingGroupAction} deleteAction={deleteScalingGroupAction} />
    </>
  );
}

export default withMessages("all", ScalingGroupPage);
