import Link from "next/link";
import { getFormatter, getTranslations } from "next-intl/server";
import { pageContext } from "@/lib/actions/run-action";
import { guardPage } from "@/lib/actions/page-guard";
import { getProject } from "@/lib/projects/get-project";
import { DAY2_ACTIONS } from "@/lib/projects/schemas";
import { centsToMoneyInput, centsToUnits, mibToGib } from "@/lib/offerings/units";
import { env } from "@/lib/env";
import { PageHeader } from "@/components/ui/card";
import { ProjectForm } from "@/components/admin/project-form";
import { timeZoneChoices } from "@/lib/schedules/cron";
import { updateProjectAction } from "../../actions";
import { withMessages } from "@/components/layout/page-messages";

export async function generateMetadata() {
  return { title: (await getTranslations("projects"))("editProject") };
}

async function EditProjectPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const ctx = await pageContext();
  const p = await guardPage(() => getProject(ctx, { id }));
  const t = await getTranslations("projects");
  const format = await getFormatter();
  const currency = env().ORQ_CURRENCY;
  const n = (v: number) => format.number(v);
  return (
    <>
      <Link href={`/admin/projects/${p.id}`} className="text-sm text-indigo-700 hover:underline">
        ← {t("backToProject", { name: p.name })}
      </Link>
      <PageHeader title={t("editProject")} />
      <ProjectForm
        id={p.id}
        currency={currency}
        save={updateProjectAction}
        timeZones={timeZoneChoices(p.timeZone)}
        usage={{
          vcpu: n(p.usedVcpu),
          memory: n(mibToGib(p.usedMemoryMb)),
          diskSsd: n(p.usedDiskSsdGb),
          diskHdd: n(p.usedDiskHddGb),
          machines: n(p.usedMachines),
          monthly: format.number(centsToUnits(p.usedMonthlyCents), { style: "currency", currency }),
        }}
        defaultValues={{
          name: p.name,
          slug: p.slug,
          description: p.description,
          quotaVcpu: p.quotaVcpu,
          quotaMemoryGib: mibToGib(p.quotaMemoryMb),
          quotaDiskSsdGb: p.quotaDiskSsdGb,
          quotaDiskHddGb: p.quotaDiskHddGb,
          quotaMachines: p.quotaMachines,
          monthlyBudget: centsToMoneyInput(p.monthlyBudgetCents),
          autoApproveBelow: centsToMoneyInput(p.autoApproveBelowCents),
          maxLeaseDays: p.maxLeaseDays,
          leaseGraceDays: p.leaseGraceDays,
          disabledActions: DAY2_ACTIONS.filter((a) => p.disabledActions.includes(a)),
          timeZone: p.timeZone,
        }}
      />
    </>
  );
}

export default withMessages("all", EditProjectPage);
