import Link from "next/link";
import { getFormatter, getTranslations } from "next-intl/server";
import { pageContext } from "@/lib/actions/run-action";
import { guardPage } from "@/lib/actions/page-guard";
import { getProject } from "@/lib/projects/get-project";
import { DAY2_ACTIONS } from "@/lib/projects/schemas";
import { centsToUnits, mibToGib } from "@/lib/offerings/units";
import { env } from "@/lib/env";
import { Button } from "@/components/ui/button";
import { Card, CardBody, CardHeader, PageHeader } from "@/components/ui/card";
import { Badge } from "@/components/ui/badge";
import { UsageMeter } from "@/components/ui/meter";
import { ProjectMembers } from "@/components/admin/project-members";
import { ProjectLifecycleActions } from "@/components/admin/project-lifecycle-actions";
import { ProjectCostSettingsCard } from "@/components/costs/project-cost-settings-card";
import { updateProjectCostSettingsAction } from "./cost-actions";
import { ProjectProvidersForm } from "@/components/admin/project-providers-form";
import { ApprovalStagesForm } from "@/components/approvals/approval-stages-form";
import { getApprovalStages } from "@/lib/approvals/get-approval-stages";
import { setApprovalStagesAction } from "./stage-actions";
import { withMessages } from "@/components/layout/page-messages";
import {
  addProjectMemberAction,
  changeMemberRoleAction,
  deleteProjectAction,
  removeProjectMemberAction,
  setProjectArchivedAction,
  setProjectProvidersAction,
} from "../actions";

export async function generateMetadata() {
  return { title: (await getTranslations("projects"))("title") };
}

async function ProjectPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const ctx = await pageContext();
  const p = await guardPage(() => getProject(ctx, { id }));
  const t = await getTranslations("projects");
  const ta = await getTranslations("approvals");
  const stages = await guardPage(() => getApprovalStages(ctx, { projectId: p.id }));
  const tc = await getTranslations("common");
  const format = await getFormatter();
  const currency = env().ORQ_CURRENCY;
  const n = (v: number) => format.number(v);
  const money = (cents: number | null) => (cents === null ? null : format.number(centsToUnits(cents), { style: "currency", currency }));
  const off = DAY2_ACTIONS.filter((a) => p.disabledActions.includes(a));
  const dl = "text-xs font-medium uppercase tracking-wide text-slate-600";
  return (
    <>
      <Link href="/admin/projects" className="text-sm text-indigo-700 hover:underline">
        ← {t("backToList")}
      </Link>
      <PageHeader
        title={p.name}
        description={p.description || undefined}
        actions={
          <>
            <Badge tone={p.archived ? "gray" : "green"} className="self-center">
              {p.archived ? t("archived") : t("active")}
            </Badge>
            <Button asChild size="sm" variant="secondary">
              <Link href={`/admin/projects/${p.id}/edit`}>{t("edit")}</Link>
            </Button>
            <ProjectLifecycleActions
              id={p.id}
              name={p.name}
              archived={p.archived}
              hasHistory={p.hasHistory}
              setArchived={setProjectArchivedAction}
              remove={deleteProjectAction}
            />
          </>
        }
      />
      {p.archived ? (
        <p role="status" className="mb-4 rounded-md border border-amber-200 bg-amber-50 px-3 py-2 text-sm text-amber-900">
          {t("archivedNote")}
        </p>
      ) : null}
      <div className="grid gap-6 lg:grid-cols-2">
        <Card>
          <CardHeader>
            <h2 className="text-base font-semibold text-slate-900">{t("usage")}</h2>
          </CardHeader>
          <CardBody className="space-y-3">
            <UsageMeter label={t("vcpu")} used={p.usedVcpu} limit={p.quotaVcpu} format={n} />
            <UsageMeter label={t("memory")} used={mibToGib(p.usedMemoryMb)} limit={mibToGib(p.quotaMemoryMb)} format={n} />
            <UsageMeter label={t("diskSsd")} used={p.usedDiskSsdGb} limit={p.quotaDiskSsdGb} format={n} />
            <UsageMeter label={t("diskHdd")} used={p.usedDiskHddGb} limit={p.quotaDiskHddGb} format={n} />
            <UsageMeter label={t("machines")} used={p.usedMachines} limit={p.quotaMachines} format={n} />
            {p.monthlyBudgetCents !== null ? (
              <UsageMeter label={t("monthlySpend")} used={p.usedMonthlyCents} limit={p.monthlyBudgetCents} format={(c) => money(c)!} />
            ) : null}
          </CardBody>
        </Card>
        <Card>
          <CardHeader>
            <h2 className="text-base font-semibold text-slate-900">{t("settings")}</h2>
          </CardHeader>
          <CardBody>
            <dl className="grid grid-cols-2 gap-x-4 gap-y-3 text-sm">
              <div>
                <dt className={dl}>{t("slug")}</dt>
                <dd className="font-mono">{p.slug}</dd>
              </div>
              <div>
                <dt className={dl}>{t("monthlyBudget")}</dt>
                <dd>{money(p.monthlyBudgetCents) ?? t("unlimited")}</dd>
              </div>
              <div>
                <dt className={dl}>{t("autoApproveBelow")}</dt>
                <dd>{money(p.autoApproveBelowCents) ?? t("never")}</dd>
              </div>
              <div>
                <dt className={dl}>{t("maxLeaseDays")}</dt>
                <dd>{p.maxLeaseDays === null ? t("unlimited") : n(p.maxLeaseDays)}</dd>
              </div>
              <div>
                <dt className={dl}>{t("leaseGraceDays")}</dt>
                <dd>{n(p.leaseGraceDays)}</dd>
              </div>
              <div className="col-span-2">
                <dt className={dl}>{t("disabledActions")}</dt>
                <dd>{off.length ? off.map((a) => t(`actions.${a}`)).join(", ") : tc("none")}</dd>
              </div>
            </dl>
          </CardBody>
        </Card>
      </div>
      <div className="mt-6">
        <ProjectCostSettingsCard ctx={ctx} projectId={p.id} action={updateProjectCostSettingsAction} />
      </div>
      <section aria-labelledby="providers-heading" className="mt-8">
        <h2 id="providers-heading" className="mb-1 text-lg font-semibold text-slate-900">
          {t("providers.title")}
        </h2>
        <p className="mb-3 text-sm text-slate-600">{t("providers.description")}</p>
        <ProjectProvidersForm
          projectId={p.id}
          providers={p.providerChoices}
          allowedIds={p.allowedProviderIds}
          defaultProviderId={p.defaultProviderId}
          save={setProjectProvidersAction}
        />
      </section>
      <section aria-labelledby="stages-heading" className="mt-8">
        <h2 id="stages-heading" className="mb-1 text-lg font-semibold text-slate-900">
          {ta("stages.title")}
        </h2>
        <p className="mb-3 text-sm text-slate-600">{ta("stages.description")}</p>
        <ApprovalStagesForm view={stages} save={setApprovalStagesAction} />
      </section>
      <section aria-labelledby="members-heading" className="mt-8">
        <h2 id="members-heading" className="mb-3 text-lg font-semibold text-slate-900">
          {t("members")}
        </h2>
        <ProjectMembers
          projectId={p.id}
          members={p.members.map((m) => ({ ...m, since: m.since.toISOString() }))}
          addMember={addProjectMemberAction}
          changeRole={changeMemberRoleAction}
          removeMember={removeProjectMemberAction}
        />
      </section>
    </>
  );
}

export default withMessages("all", ProjectPage);
