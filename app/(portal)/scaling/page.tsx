import Link from "next/link";
import { getTranslations } from "next-intl/server";
import { Card, CardBody, EmptyState, PageHeader } from "@/components/ui/card";
import { Table, Td, Th } from "@/components/ui/table";
import { CreateScalingGroupForm } from "@/components/scaling/create-group-form";
import { guardPage } from "@/lib/actions/page-guard";
import { pageContext } from "@/lib/actions/run-action";
import { getScalingOverview } from "@/lib/scaling/read-groups";
import { createScalingGroupAction } from "./actions";
import { withMessages } from "@/components/layout/page-messages";

export async function generateMetadata() {
  const t = await getTranslations("scaling");
  return { title: t("title") };
}

async function ScalingPage() {
  const data = await guardPage(async () => getScalingOverview(await pageContext(), {}));
  const t = await getTranslations("scaling");
  return (
    <>
      <PageHeader title={t("title")} description={t("description")} />
      {data.items.length ? (
        <Table className="mb-6">
          <thead>
            <tr>
              <Th>{t("name")}</Th>
              <Th>{t("project")}</Th>
              <Th>{t("offering")}</Th>
              <Th>{t("size")}</Th>
              <Th>{t("bounds")}</Th>
              <Th>{t("target")}</Th>
            </tr>
          </thead>
          <tbody>
            {data.items.map((g) => (
              <tr key={g.id}>
                <Td>
                  <Link href={`/scaling/${g.id}`} className="font-medium text-indigo-700 hover:underline">
                    {g.name}
                  </Link>
                </Td>
                <Td>{g.projectName}</Td>
                <Td>{g.offeringName}</Td>
                <Td>{t("sizeValue", { running: g.running, actual: g.actual, desired: g.desired })}</Td>
                <Td>{t("boundsValue", { min: g.minSize, max: g.maxSize })}</Td>
                <Td>{t("targetValue", { target: g.targetCpuPercent })}</Td>
              </tr>
            ))}
          </tbody>
        </Table>
      ) : (
        <EmptyState title={t("emptyTitle")} description={t("empty")} />
      )}
      {data.form.projects.length ? (
        <Card className="mt-6">
          <CardBody>
            <h2 className="mb-1 text-lg font-semibold">{t("newGroup")}</h2>
            <p className="mb-4 text-sm text-slate-600">{t("newGroupHelp")}</p>
            <CreateScalingGroupForm projects={data.form.projects} offerings={data.form.offerings} templates={data.form.templates} action={createScalingGroupAction} />
          </CardBody>
        </Card>
      ) : (
        <p className="mt-6 text-sm text-slate-600">{t("onlyApprovers")}</p>
      )}
    </>
  );
}

export default withMessages("all", ScalingPage);
