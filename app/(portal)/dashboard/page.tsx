import { getTranslations } from "next-intl/server";
import { EmptyState, PageHeader } from "@/components/ui/card";
import { FailedOperationsSection, MachinesSection, QuotaSection, RecentRequestsSection, StatCards } from "@/components/dashboard/sections";
import { guardPage } from "@/lib/actions/page-guard";
import { pageContext } from "@/lib/actions/run-action";
import { getDashboard } from "@/lib/dashboard/get-dashboard";
import { LiveDashboard } from "@/components/dashboard/live-dashboard";
import { can } from "@/lib/auth/permissions";

export async function generateMetadata() {
  const t = await getTranslations("dashboard");
  return { title: t("title") };
}

export default async function DashboardPage() {
  const ctx = await pageContext();
  const data = await guardPage(() => getDashboard(ctx));
  const t = await getTranslations("dashboard");
  return (
    <>
      <LiveDashboard />
      <PageHeader title={t("title")} description={t("greeting", { name: ctx.actor.name })} />
      <StatCards data={data} />
      {data.projectCount === 0 ? (
        <div className="mb-6">
          <EmptyState title={t("noProjects.title")} description={t("noProjects.body")} />
        </div>
      ) : null}
      <div className="grid grid-cols-1 gap-6 lg:grid-cols-2">
        {data.projects.length ? <QuotaSection data={data} allProjectsHref={can(ctx.actor, "project.manage") ? "/admin/projects" : undefined} /> : null}
        <MachinesSection data={data} />
        <RecentRequestsSection data={data} />
        <FailedOperationsSection data={data} />
      </div>
    </>
  );
}
