import { getTranslations } from "next-intl/server";
import { pageContext } from "@/lib/actions/run-action";
import { guardPage } from "@/lib/actions/page-guard";
import { getProjectMonitoring } from "@/lib/monitoring/alert-rules";
import { EmptyState, PageHeader } from "@/components/ui/card";
import { Button } from "@/components/ui/button";
import { NativeSelect } from "@/components/ui/field";
import { ProjectCharts } from "@/components/monitoring/project-charts";
import { ProjectAlertsView } from "@/components/monitoring/project-alerts";
import { createAlertRuleAction, deleteAlertRuleAction, updateAlertRuleAction } from "./actions";
import { withMessages } from "@/components/layout/page-messages";

export const dynamic = "force-dynamic";

export async function generateMetadata() {
  const t = await getTranslations("alerts");
  return { title: t("title") };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

async function MonitoringPage({ searchParams }: { searchParams: Promise<{ project?: string }> }) {
  const { project: asked } = await searchParams;
  const data = await guardPage(async () => getProjectMonitoring(await pageContext(), { projectId: asked && UUID.test(asked) ? asked : undefined }));
  const t = await getTranslations("alerts");
  return (
    <>
      <PageHeader title={t("title")} description={t("description")} />
      {!data.project ? (
        <EmptyState title={t("noProjects")} />
      ) : (
        <div className="space-y-6">
          <form method="get" action="/monitoring" className="flex flex-wrap items-end gap-2">
            <div className="space-y-1">
              <label htmlFor="monitoring-project" className="block text-sm font-medium text-slate-800">
                {t("project")}
              </label>
              <NativeSelect id="monitoring-project" name="project" defaultValue={data.project.id}>
                {data.projects.map((p) => (
                  <option key={p.id} value={p.id}>
                    {p.name}
                  </option>
                ))}
              </NativeSelect>
            </div>
            <Button type="submit" variant="secondary">
              {t("show")}
            </Button>
          </form>
          <ProjectCharts key={`charts-${data.project.id}`} projectId={data.project.id} />
          <ProjectAlertsView
            key={`alerts-${data.project.id}`}
            project={data.project}
            machines={data.machines}
            canManage={data.canManage}
            initial={{ rules: data.rules, events: data.events }}
            createAction={createAlertRuleAction}
            updateAction={updateAlertRuleAction}
            deleteAction={deleteAlertRuleAction}
          />
        </div>
      )}
    </>
  );
}

export default withMessages("all", MonitoringPage);
