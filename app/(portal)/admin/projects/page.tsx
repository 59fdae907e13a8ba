import Link from "next/link";
import { getFormatter, getTranslations } from "next-intl/server";
import { pageContext } from "@/lib/actions/run-action";
import { guardPage } from "@/lib/actions/page-guard";
import { listProjectPage } from "@/lib/projects/list-project-page";
import { PROJECT_SORTS } from "@/lib/projects/schemas";
import { centsToUnits, mibToGib } from "@/lib/offerings/units";
import { env } from "@/lib/env";
import { Button } from "@/components/ui/button";
import { EmptyState, PageHeader } from "@/components/ui/card";
import { Badge } from "@/components/ui/badge";
import { Table, Td, Th } from "@/components/ui/table";
import { UsageMeter } from "@/components/ui/meter";
import { Input, Label } from "@/components/ui/field";
import { AutoSubmitForm } from "@/components/ui/auto-submit-form";
import { KeysetPager, PhoneSortLinks, SortableTh } from "@/components/ui/list";

export async function generateMetadata() {
  return { title: (await getTranslations("projects"))("title") };
}

/** Below 640 px each row is a card (one table: each project appears once). */
const CARD_ROW = "max-sm:block max-sm:space-y-2 max-sm:rounded-lg max-sm:border max-sm:border-slate-200 max-sm:p-3";
const CARD_CELL = "max-sm:block max-sm:p-0";

export default async function ProjectsPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const sp = await searchParams;
  const one = (v: string | string[] | undefined) => (typeof v === "string" && v.trim() ? v.trim() : undefined);
  const q = one(sp.q)?.slice(0, 100);
  const sort = PROJECT_SORTS.find((x) => x === one(sp.sort));
  const dirRaw = one(sp.dir);
  const dir = dirRaw === "asc" || dirRaw === "desc" ? dirRaw : undefined;
  const cursor = one(sp.cursor)?.slice(0, 300);
  const ctx = await pageContext();
  const list = await guardPage(() => listProjectPage(ctx, { q, sort, dir, cursor }));
  const projects = list.items;
  const t = await getTranslations("projects");
  const tp = await getTranslations("projectList");
  const tl = await getTranslations("lists");
  const params = { q, sort, dir };
  const sortProps = { sort: sort ?? "", dir: list.dir, basePath: "/admin/projects", params } as const;
  const exportQuery = new URLSearchParams(Object.entries(params).filter((e): e is [string, string] => !!e[1])).toString();
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
      <AutoSubmitForm action="/admin/projects" role="search" aria-label={tp("search")} className="mb-4 flex max-w-lg items-end gap-2">
        {sort ? <input type="hidden" name="sort" value={sort} /> : null}
        {dir ? <input type="hidden" name="dir" value={dir} /> : null}
        <div className="flex-1">
          <Label htmlFor="project-search">{tp("search")}</Label>
          <Input id="project-search" name="q" type="search" defaultValue={q ?? ""} maxLength={100} />
        </div>
        {q ? (
          <Link href="/admin/projects" className="py-2 text-sm text-indigo-700 hover:underline">
            {tp("clear")}
          </Link>
        ) : null}
      </AutoSubmitForm>
      {projects.length ? (
        <p className="mb-2 flex text-sm">
          <a href={`/api/admin/projects/export?${exportQuery}`} download className="ml-auto text-indigo-700 underline hover:text-indigo-900">
            {tl("exportCsv")}
          </a>
        </p>
      ) : null}
      {projects.length === 0 ? (
        q ? (
          <EmptyState title={tp("emptyFiltered")} />
        ) : (
          <EmptyState title={t("empty")} description={t("emptyBody")} action={newButton} />
        )
      ) : (
        <>
        <PhoneSortLinks columns={[{ column: "name", label: t("name") }, { column: "machines", label: t("usage"), firstDir: "desc" }, { column: "members", label: t("members"), firstDir: "desc" }]} {...sortProps} />
        <Table className="max-sm:block max-sm:divide-y-0">
          <thead className="max-sm:sr-only">
            <tr>
              <SortableTh column="name" label={t("name")} {...sortProps} />
              <SortableTh column="machines" label={t("usage")} firstDir="desc" className="w-[28rem]" {...sortProps} />
              <Th>{t("budget")}</Th>
              <SortableTh column="members" label={t("members")} firstDir="desc" {...sortProps} />
              <Th>{t("status")}</Th>
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100 max-sm:block max-sm:space-y-2 max-sm:divide-y-0 max-sm:p-2">
            {projects.map((p) => (
              <tr key={p.id} data-project={p.name} className={`${CARD_ROW} ${p.archived ? "bg-slate-50" : ""}`}>
                <Td className={CARD_CELL}>
                  <Link href={`/admin/projects/${p.id}`} className="font-medium text-indigo-700 hover:underline">
                    {p.name}
                  </Link>
                  <p className="font-mono text-xs text-slate-600">{p.slug}</p>
                </Td>
                <Td className={CARD_CELL}>
                  <div className="grid gap-2 sm:grid-cols-2">
                    <UsageMeter label={t("vcpu")} used={p.usedVcpu} limit={p.quotaVcpu} format={n} />
                    <UsageMeter label={t("memory")} used={mibToGib(p.usedMemoryMb)} limit={mibToGib(p.quotaMemoryMb)} format={n} />
                    <UsageMeter label={t("diskSsd")} used={p.usedDiskSsdGb} limit={p.quotaDiskSsdGb} format={n} />
                    <UsageMeter label={t("diskHdd")} used={p.usedDiskHddGb} limit={p.quotaDiskHddGb} format={n} />
                    <UsageMeter label={t("machines")} used={p.usedMachines} limit={p.quotaMachines} format={n} />
                  </div>
                </Td>
                <Td className={`${CARD_CELL} tabular-nums`}>
                  {p.monthlyBudgetCents === null ? (
                    <span className="text-slate-600">{t("unlimited")}</span>
                  ) : (
                    <UsageMeter label={t("monthlySpend")} used={p.usedMonthlyCents} limit={p.monthlyBudgetCents} format={money} />
                  )}
                </Td>
                <Td className={`${CARD_CELL} max-sm:inline-block max-sm:pr-3`}>{t("memberCount", { count: p.memberCount })}</Td>
                <Td className={`${CARD_CELL} max-sm:inline-block`}>
                  <Badge tone={p.archived ? "gray" : "green"}>{p.archived ? t("archived") : t("active")}</Badge>
                </Td>
              </tr>
            ))}
          </tbody>
        </Table>
        </>
      )}
      <KeysetPager basePath="/admin/projects" params={params} nextCursor={list.nextCursor} atStart={!cursor} labels={{ nav: tl("pager.label"), next: tl("pager.next"), first: tl("pager.first") }} />
    </>
  );
}
