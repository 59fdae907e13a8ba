import { getTranslations } from "next-intl/server";
import { pageContext } from "@/lib/actions/run-action";
import { guardPage } from "@/lib/actions/page-guard";
import { listHostsSchema } from "@/lib/capacity/schemas";
import { listHosts } from "@/lib/capacity/list-hosts";
import { HostState } from "@/lib/generated/prisma/enums";
import { Button } from "@/components/ui/button";
import { EmptyState, PageHeader } from "@/components/ui/card";
import { Input, Label, NativeSelect } from "@/components/ui/field";
import { AutoSubmitForm } from "@/components/ui/auto-submit-form";
import { SortableTh } from "@/components/ui/list";
import { Pagination } from "@/components/ui/pagination";
import { Table, Th } from "@/components/ui/table";
import { HostRows } from "@/components/capacity/host-rows";
import { HostChart } from "@/components/capacity/host-chart";
import { withMessages } from "@/components/layout/page-messages";

export async function generateMetadata() {
  const t = await getTranslations("capacity.hosts");
  return { title: t("title") };
}

async function HostsPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const sp = await searchParams;
  const one = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v);
  const input = listHostsSchema.parse({ providerId: one(sp.providerId), state: one(sp.state), q: one(sp.q), sort: one(sp.sort), dir: one(sp.dir), page: one(sp.page) });
  const ctx = await pageContext();
  const data = await guardPage(() => listHosts(ctx, input));
  const t = await getTranslations("capacity.hosts");
  const tm = await getTranslations("machines");
  // What the URL says (only what differs from the defaults), kept by the headers and pages.
  const params = { providerId: input.providerId, state: input.state, q: input.q, sort: one(sp.sort) ? input.sort : undefined, dir: one(sp.dir) ? input.dir : undefined };
  const sortProps = { sort: input.sort, dir: input.dir, basePath: "/admin/hosts", params };
  const chart = data.items.map((h) => ({ name: h.name, used: h.usage.vcpu.used, free: Math.max(0, h.usage.vcpu.capacity - h.usage.vcpu.used) }));
  return (
    <>
      <PageHeader title={t("title")} description={t("description")} />
      <AutoSubmitForm action="/admin/hosts" role="search" aria-label={t("filters")} className="mb-4 flex flex-wrap items-end gap-3">
        {params.sort ? <input type="hidden" name="sort" value={params.sort} /> : null}
        {params.dir ? <input type="hidden" name="dir" value={params.dir} /> : null}
        <div>
          <Label htmlFor="h-provider">{t("provider")}</Label>
          <NativeSelect id="h-provider" name="providerId" defaultValue={input.providerId ?? ""}>
            <option value="">{t("allProviders")}</option>
            {data.providers.map((p) => (
              <option key={p.id} value={p.id}>
                {p.name}
              </option>
            ))}
          </NativeSelect>
        </div>
        <div>
          <Label htmlFor="h-state">{t("state")}</Label>
          <NativeSelect id="h-state" name="state" defaultValue={input.state ?? ""}>
            <option value="">{t("allStates")}</option>
            {Object.values(HostState).map((s) => (
              <option key={s} value={s}>
                {t(`states.${s}`)}
              </option>
            ))}
          </NativeSelect>
        </div>
        <div>
          <Label htmlFor="h-q">{t("search")}</Label>
          <Input id="h-q" name="q" type="search" defaultValue={input.q ?? ""} />
        </div>
        <noscript>
          <Button type="submit" variant="secondary">
            {t("apply")}
          </Button>
        </noscript>
      </AutoSubmitForm>
      {data.items.length === 0 ? (
        <EmptyState title={t("empty")} />
      ) : (
        <>
          <HostChart rows={chart} />
          <Table>
            <thead>
              <tr>
                <SortableTh column="name" label={t("name")} {...sortProps} />
                <SortableTh column="provider" label={t("provider")} {...sortProps} />
                <SortableTh column="state" label={t("state")} {...sortProps} />
                <Th>{t("machines")}</Th>
                <SortableTh column="cpu" label={t("usage")} firstDir="desc" {...sortProps} />
                <Th>{t("actions")}</Th>
              </tr>
            </thead>
            <HostRows
              rows={data.items.map((h) => ({
                id: h.id,
                name: h.name,
                providerName: h.provider.name,
                state: h.state,
                stateLabel: t(`states.${h.state}`),
                machinesLabel: tm("count", { total: h.machineCount }),
                usage: h.usage,
              }))}
            />
          </Table>
          <Pagination page={data.page} pageCount={data.pageCount} basePath="/admin/hosts" params={params} />
        </>
      )}
    </>
  );
}

export default withMessages(["capacity"], HostsPage);
