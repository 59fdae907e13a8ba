import Link from "next/link";
import { getFormatter, getTranslations } from "next-intl/server";
import { pageContext } from "@/lib/actions/run-action";
import { guardPage } from "@/lib/actions/page-guard";
import { listProjects } from "@/lib/projects/list-projects";
import { centsToUnits, mibToGib } from "@/lib/offerings/units";
import { env } from "@/lib/env";
import { Button } from "@/components/ui/button";
import { EmptyState, PageHeader } from "@/components/ui/card";
import { Badge } from "@/components/ui/badge";
import { Table, Td, Th } from "@/components/ui/table";
import { UsageMeter } from "@/components/ui/meter";

export async function generateMetadata() {
  return { title: (await getTranslations("projects"))("title") };
}

export default async function ProjectsPage() {
  const ctx = await pageContext();
  const projects = await guardPage(() => listProjects(ctx));
  const t = await getTranslations("projects");
  const format = await getFormatter();
  const currency = env().ORQ_CURRENCY;
  const n = (v: number) => format.number(v);
  const money = (cents: number) => format.number(centsToUnits(cents), { style: "currency", currency });
  const newButton = (
    <Button asChild>
      <Link href="/admin/projects/new">{t("newProject")}</Link>
    </Button>
  );
  return (
    <>
      <PageHeader title={t("title")} description={t("description")} actions={newButton} />
      {projects.length === 0 ? (
        <EmptyState title={t("empty")} description={t("emptyBody")} action={newButton} />
      ) : (
        <Table>
          <thead>
            <tr>
              <Th>{t("name")}</Th>
              <Th className="w-[28rem]">{t("usage")}</Th>
              <Th>{t("budget")}</Th>
              <Th>{t("members")}</Th>
              <Th>{t("status")}</Th>
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100">
            {projects.map((p) => (
              <tr key={p.id} className={p.archived ? "bg-slate-50" : undefined}>
                <Td>
                  <Link href={`/admin/projects/${p.id}`} className="font-medium text-indigo-700 hover:underline">
                    {p.name}
                  </Link>
                  <p className="font-mono text-xs text-slate-600">{p.slug}</p>
                </Td>
                <Td>
                  <div className="grid gap-2 sm:grid-cols-2">
                    <UsageMeter label={t("vcpu")} used={p.usedVcpu} limit={p.quotaVcpu} format={n} />
                    <UsageMeter label={t("memory")} used={mibToGib(p.usedMemoryMb)} limit={mibToGib(p.quotaMemoryMb)} format={n} />
                    <UsageMeter label={t("diskSsd")} used={p.usedDiskSsdGb} limit={p.quotaDiskSsdGb} format={n} />
                    <UsageMeter label={t("diskHdd")} used={p.usedDiskHddGb} limit={p.quotaDiskHddGb} format={n} />
                    <UsageMeter label={t("machines")} used={p.usedMachines} limit={p.quotaMachines} format={n} />
                  </div>
                </Td>
                <Td className="tabular-nums">
                  {p.monthlyBudgetCents === null ? (
                    <span className="text-slate-600">{t("unlimited")}</span>
                  ) : (
                    <UsageMeter label={t("monthlySpend")} used={p.usedMonthlyCents} limit={p.monthlyBudgetCents} format={money} />
                  )}
                </Td>
                <Td>{t("memberCount", { count: p.memberCount })}</Td>
                <Td>
                  <Badge tone={p.archived ? "gray" : "green"}>{p.archived ? t("archived") : t("active")}</Badge>
                </Td>
              </tr>
            ))}
          </tbody>
        </Table>
      )}
    </>
  );
}
