import Link from "next/link";
import { getTranslations } from "next-intl/server";
import { AutoSubmitForm } from "@/components/ui/auto-submit-form";
import { Input, Label, NativeSelect } from "@/components/ui/field";
import { pageContext } from "@/lib/actions/run-action";
import { guardPage } from "@/lib/actions/page-guard";
import { listWorkloadsSchema } from "@/lib/workloads/schemas";
import { listWorkloads } from "@/lib/workloads/get-workload";
import { workloadFormOptions } from "@/lib/workloads/form-options";
import { PageHeader } from "@/components/ui/card";
import { KeysetPager } from "@/components/ui/list";
import { RequestWorkloadForm, WorkloadList } from "@/components/workloads/workloads";
import { withMessages } from "@/components/layout/page-messages";

export const dynamic = "force-dynamic";

export async function generateMetadata() {
  const t = await getTranslations("workloads");
  return { title: t("title") };
}

async function WorkloadsPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const raw = Object.fromEntries(Object.entries(await searchParams).map(([k, v]) => [k, Array.isArray(v) ? v[0] : v]));
  const ctx = await pageContext();
  const input = listWorkloadsSchema.parse(raw);
  const [data, options] = await guardPage(() => Promise.all([listWorkloads(ctx, input), workloadFormOptions(ctx)]));
  const t = await getTranslations("workloads");
  const tw = await getTranslations("workloadList");
  const tl = await getTranslations("lists");
  const params = { projectId: input.projectId, q: input.q || undefined, sort: input.sort, dir: input.dir };
  const filterQuery = new URLSearchParams(Object.entries(params).filter((e): e is [string, string] => !!e[1])).toString();
  // The live list polls the page it shows (same cursor).
  const query = new URLSearchParams(Object.entries({ ...params, cursor: input.cursor }).filter((e): e is [string, string] => !!e[1])).toString();
  const sort = input.sort ?? "created";
  const dir = input.dir ?? (sort === "created" ? "desc" : "asc");
  const filtered = !!(input.projectId || input.q);
  return (
    <>
      <PageHeader title={t("title")} description={t("description")} />
      <AutoSubmitForm action="/workloads" role="search" aria-label={tw("filters")} className="mb-4 flex flex-wrap items-end gap-3">
        {input.sort ? <input type="hidden" name="sort" value={input.sort} /> : null}
        {input.dir ? <input type="hidden" name="dir" value={input.dir} /> : null}
        <div>
          <Label htmlFor="w-project">{t("fields.project")}</Label>
          <NativeSelect id="w-project" name="projectId" defaultValue={input.projectId ?? ""}>
            <option value="">{tw("allProjects")}</option>
            {data.projects.map((p) => (
              <option key={p.id} value={p.id}>
                {p.name}
              </option>
            ))}
          </NativeSelect>
        </div>
        <div>
          <Label htmlFor="w-q">{tw("search")}</Label>
          <Input id="w-q" name="q" type="search" defaultValue={input.q ?? ""} />
        </div>
        {filtered ? (
          <Link href="/workloads" className="py-2 text-sm text-indigo-700 hover:underline">
            {tw("clear")}
          </Link>
        ) : null}
      </AutoSubmitForm>
      {data.items.length ? (
        <p className="mb-2 flex text-sm">
          <a href={`/api/workloads/export?${filterQuery}`} download className="ml-auto text-indigo-700 underline hover:text-indigo-900">
            {tl("exportCsv")}
          </a>
        </p>
      ) : null}
      <WorkloadList initial={data.items} query={query} params={params} sort={sort} dir={dir} filtered={filtered} />
      <KeysetPager basePath="/workloads" params={params} nextCursor={data.nextCursor} atStart={!input.cursor} labels={{ nav: tl("pager.label"), next: tl("pager.next"), first: tl("pager.first") }} />
      {options.projects.length ? <RequestWorkloadForm options={options} /> : null}
    </>
  );
}

export default withMessages(["workloadList", "workloads"], WorkloadsPage);
