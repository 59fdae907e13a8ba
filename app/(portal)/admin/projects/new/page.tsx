import Link from "next/link";
import { getTranslations } from "next-intl/server";
import { pageContext } from "@/lib/actions/run-action";
import { guardPage } from "@/lib/actions/page-guard";
import { assertCan } from "@/lib/auth/permissions";
import { env } from "@/lib/env";
import { PageHeader } from "@/components/ui/card";
import { ProjectForm } from "@/components/admin/project-form";
import { timeZoneChoices } from "@/lib/schedules/cron";
import { createProjectAction } from "../actions";
import { withMessages } from "@/components/layout/page-messages";

export async function generateMetadata() {
  return { title: (await getTranslations("projects"))("newProject") };
}

async function NewProjectPage() {
  const ctx = await pageContext();
  await guardPage(async () => assertCan(ctx.actor, "project.manage"));
  const t = await getTranslations("projects");
  return (
    <>
      <Link href="/admin/projects" className="text-sm text-indigo-700 hover:underline">
        ← {t("backToList")}
      </Link>
      <PageHeader title={t("newProject")} />
      <ProjectForm
        currency={env().ORQ_CURRENCY}
        save={createProjectAction}
        timeZones={timeZoneChoices()}
        defaultValues={{
          name: "",
          slug: "",
          description: "",
          quotaVcpu: 16,
          quotaMemoryGib: 64,
          quotaDiskSsdGb: 1000,
          quotaDiskHddGb: 0,
          quotaMachines: 10,
          monthlyBudget: "",
          autoApproveBelow: "",
          maxLeaseDays: null,
          leaseGraceDays: 7,
          disabledActions: [],
          timeZone: "UTC",
        }}
      />
    </>
  );
}

export default withMessages("all", NewProjectPage);
