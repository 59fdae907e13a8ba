import Link from "next/link";
import { getTranslations } from "next-intl/server";
import { pageContext } from "@/lib/actions/run-action";
import { guardPage } from "@/lib/actions/page-guard";
import { listMachinesSchema } from "@/lib/machines/schemas";
import { listMachines } from "@/lib/machines/list-machines";
import { MachineState } from "@/lib/generated/prisma/enums";
import { Button } from "@/components/ui/button";
import { EmptyState, PageHeader } from "@/components/ui/card";
import { Input, Label, NativeSelect } from "@/components/ui/field";
import { Pagination } from "@/components/ui/pagination";
import { MachineListTable } from "@/components/machines/machine-list";

export default async function MachinesPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const raw = Object.fromEntries(Object.entries(await searchParams).map(([k, v]) => [k, Array.isArray(v) ? v[0] : v]));
  const input = listMachinesSchema.parse(raw);
  const ctx = await pageContext();
  const data = await guardPage(() => listMachines(ctx, input));
  const t = await getTranslations("machines");
  const params = { projectId: input.projectId, state: input.state, q: input.q };
  const query = new URLSearchParams(Object.entries({ ...params, page: String(input.page) }).filter((e): e is [string, string] => !!e[1])).toString();
  const filtered = !!(input.projectId || input.state || input.q);
  return (
    <>
      <PageHeader title={t("title")} description={t("description")} />
      <form method="get" role="search" aria-label={t("filters.label")} className="mb-4 flex flex-wrap items-end gap-3">
        <div>
          <Label htmlFor="f-project">{t("filters.project")}</Label>
          <NativeSelect id="f-project" name="projectId" defaultValue={input.projectId ?? ""}>
            <option value="">{t("filters.allProjects")}</option>
            {data.projects.map((p) => (
              <option key={p.id} value={p.id}>
                {p.name}
              </option>
            ))}
          </NativeSelect>
        </div>
        <div>
          <Label htmlFor="f-state">{t("filters.state")}</Label>
          <NativeSelect id="f-state" name="state" defaultValue={input.state ?? ""}>
            <option value="">{t("filters.allStates")}</option>
            {Object.values(MachineState).map((s) => (
              <option key={s} value={s}>
                {t(`states.${s}`)}
              </option>
            ))}
          </NativeSelect>
        </div>
        <div>
          <Label htmlFor="f-q">{t("filters.search")}</Label>
          <Input id="f-q" name="q" type="search" defaultValue={input.q ?? ""} />
        </div>
        <Button type="submit" variant="secondary">
          {t("filters.apply")}
        </Button>
        {filtered ? (
          <Link href="/machines" className="py-2 text-sm text-indigo-700 hover:underline">
            {t("filters.clear")}
          </Link>
        ) : null}
      </form>
      {data.total === 0 ? (
        <EmptyState
          title={filtered ? t("empty.filtered") : t("empty.title")}
          description={t("empty.description")}
          action={
            <Button asChild>
              <Link href="/catalog">{t("empty.cta")}</Link>
            </Button>
          }
        />
      ) : (
        <>
          <MachineListTable initial={data} query={query} />
          <Pagination page={data.page} pageCount={data.pageCount} basePath="/machines" params={params} />
        </>
      )}
    </>
  );
}
