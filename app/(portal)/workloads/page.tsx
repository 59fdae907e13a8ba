import { getTranslations } from "next-intl/server";
import { pageContext } from "@/lib/actions/run-action";
import { guardPage } from "@/lib/actions/page-guard";
import { listWorkloadsSchema } from "@/lib/workloads/schemas";
import { listWorkloads } from "@/lib/workloads/get-workload";
import { workloadFormOptions } from "@/lib/workloads/form-options";
import { PageHeader } from "@/components/ui/card";
import { RequestWorkloadForm, WorkloadList } from "@/components/workloads/workloads";

export const dynamic = "force-dynamic";

export async function generateMetadata() {
  const t = await getTranslations("workloads");
  return { title: t("title") };
}

export default async function WorkloadsPage() {
  const ctx = await pageContext();
  const input = listWorkloadsSchema.parse({});
  const [data, options] = await guardPage(() => Promise.all([listWorkloads(ctx, input), workloadFormOptions(ctx)]));
  const t = await getTranslations("workloads");
  return (
    <>
      <PageHeader title={t("title")} description={t("description")} />
      <WorkloadList initial={data.items} />
      {options.projects.length ? <RequestWorkloadForm options={options} /> : null}
    </>
  );
}
