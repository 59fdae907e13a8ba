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
import { AutoSubmitForm } from "@/components/ui/auto-submit-form";
import { ChoiceSelect } from "@/components/ui/choice-select";
import { env } from "@/lib/env";
import { withMessages } from "@/components/layout/page-messages";

export async function generateMetadata() {
  const t = await getTranslations("machines");
  return { title: t("title") };
}

async function MachinesPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const raw = Object.fromEntries(Object.entries(await searchParams).map(([k, v]) => [k, Array.isArray(v) ? v[0] : v]));
  const input = listMachinesSchema.parse(raw);
  const ctx = await pageContext();
  const data = await guardPage(() => listMachines(ctx, input));
  const t = await getTranslations("machines");
  const sort = input.sort ?? "created";
  const dir = input.dir ?? (sort === "created" ? "desc" : "asc");
  const params = { projectId: input.projectId, providerId: input.providerId, state: input.state, q: input.q, sort: input.sort, dir: input.dir };
  const query = new URLSearchParams(Object.entries({ ...params, page: String(input.page) }).filter((e): e is [string, string] => !!e[1])).toString();
  const filtered = !!(input.projectId || input.providerId || input.state || input.q);
  const tl = await getTranslations("lists");
  return (
    <>
      <PageHeader title={t("title")} description={t("description")} />
      <AutoSubmitForm action="/machines" role="search" aria-label={t("filters.label")} className="mb-4 flex flex-wrap items-end gap-3">
        {input.sort ? <input type="hidden" name="sort" value={input.sort} /> : null}
        {input.dir ? <input type="hidden" name="dir" value={input.dir} /> : null}
        <div>
          <Label htmlFor="f-project">{t("filters.project")}</Label>
          <ChoiceSelect
            id="f-project"
            name="projectId"
            defaultValue={input.projectId ?? ""}
            emptyLabel={t("filters.allProjects")}
            choices={data.projects.map((p) => [p.id, p.name] as const)}
          />
        </div>
        <div>
          <Label htmlFor="f-provider">{tl("filters.provider")}</Label>
          <ChoiceSelect
            id="f-provider"
            name="providerId"
            defaultValue={input.providerId ?? ""}
            emptyLabel={tl("filters.allProviders")}
            choices={(data.providers ?? []).map((p) => [p.id, p.name] as const)}
          />
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
          <Label htmlFor="f-q">{tl("filters.searchMachines")}</Label>
          <Input id="f-q" name="q" type="search" defaultValue={input.q ?? ""} />
        </div>
        <noscript>
          <Button type="submit" variant="secondary">
            {t("filters.apply")}
          </Button>
        </noscript>
        {filtered ? (
          <Link href="/machines" className="py-2 text-sm text-indigo-700 hover:underline">
            {t("filters.clear")}
          </Link>
        ) : null}
      </AutoSubmitForm>
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
          {/* The table needs the rows, not the filter's choices (1,000 projects for an administrator). */}
          <MachineListTable initial={{ ...data, projects: [], providers: [] }} query={query} params={params} sort={sort} dir={dir} currency={env().ORQ_CURRENCY} />
          <Pagination page={data.page} pageCount={data.pageCount} basePath="/machines" params={params} />
        </>
      )}
    </>
  );
}

export default withMessages(["lists"], MachinesPage);
