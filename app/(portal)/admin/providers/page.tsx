import Link from "next/link";
import { getFormatter, getTranslations } from "next-intl/server";
import { statusReasonText } from "@/lib/providers/status-reason";
import { pageContext } from "@/lib/actions/run-action";
import { guardPage } from "@/lib/actions/page-guard";
import { listProviders, PROVIDER_KINDS, PROVIDER_SORTS, PROVIDER_STATUSES, providerSortDefaultDir } from "@/lib/capacity/list-providers";
import { ListFilters, pickParam, oneParam, SearchField, SelectField } from "@/components/ui/list-filters";
import { Badge } from "@/components/ui/badge";
import { Card, CardBody, CardHeader, EmptyState, PageHeader } from "@/components/ui/card";
import { UsageMeters } from "@/components/capacity/usage-meters";
import { withMessages } from "@/components/layout/page-messages";

export async function generateMetadata() {
  const t = await getTranslations("capacity.providers");
  return { title: t("title") };
}

async function ProvidersPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const sp = await searchParams;
  const q = oneParam(sp.q)?.slice(0, 100);
  const kind = pickParam(sp.kind, PROVIDER_KINDS);
  const status = pickParam(sp.status, PROVIDER_STATUSES);
  const sort = pickParam(sp.sort, PROVIDER_SORTS);
  const dir = pickParam(sp.dir, ["asc", "desc"] as const);
  const ctx = await pageContext();
  const providers = await guardPage(() => listProviders(ctx, { q, kind, status, sort, dir }));
  const t = await getTranslations("capacity.providers");
  const tp = await getTranslations("providers");
  const tl = await getTranslations("adminLists");
  const filtered = Boolean(q || kind || status);
  const format = await getFormatter();
  return (
    <>
      <PageHeader
        title={t("title")}
        description={t("description")}
        actions={
          <Link href="/admin/providers/new" className="inline-flex h-10 items-center rounded-md bg-indigo-600 px-4 text-sm font-medium text-white hover:bg-indigo-700">
            {tp("newProvider")}
          </Link>
        }
      />
      <ListFilters action="/admin/providers" label={tl("providers.filters")} clearLabel={tl("clear")} filtered={filtered}>
        <SearchField id="provider-q" label={tl("providers.search")} value={q} />
        <SelectField id="provider-kind" name="kind" label={tl("providers.kind")} value={kind} anyLabel={tl("any")} options={PROVIDER_KINDS.map((k) => ({ value: k, label: tp(`kinds.${k}`) }))} />
        <SelectField
          id="provider-status"
          name="status"
          label={tl("providers.status")}
          value={status}
          anyLabel={tl("any")}
          options={PROVIDER_STATUSES.map((s) => ({ value: s, label: t(`statuses.${s}`) }))}
        />
        <SelectField id="provider-sort" name="sort" label={tl("sortBy")} value={sort ?? "name"} options={PROVIDER_SORTS.map((s) => ({ value: s, label: tl(`providers.sorts.${s}`) }))} />
        <SelectField
          id="provider-dir"
          name="dir"
          label={tl("direction")}
          value={dir ?? providerSortDefaultDir(sort)}
          options={[
            { value: "asc", label: tl("asc") },
            { value: "desc", label: tl("desc") },
          ]}
        />
      </ListFilters>
      {providers.length === 0 ? (
        <EmptyState title={filtered ? tl("emptyFiltered") : t("empty")} />
      ) : (
        <ul className="grid gap-4 lg:grid-cols-2">
          {providers.map((p) => (
            <li key={p.id} data-provider={p.name}>
              <Card>
                <CardHeader className="flex flex-wrap items-start justify-between gap-2">
                  <div>
                    <h2 className="text-base font-semibold text-slate-900">
                      {p.name}{" "}
                      <Link href={`/admin/providers/${p.id}`} className="ml-1 text-sm font-medium text-indigo-700 hover:underline" aria-label={tp("editLinkLabel", { name: p.name })}>
                        {tp("editLink")}
                      </Link>
                    </h2>
                    <p className="text-xs text-slate-600">
                      {t("kind")}: {tp(`kinds.${p.kind}`)} · {t("policy")}: {t(`policies.${p.placementPolicy}`)}
                    </p>
                  </div>
                  <div className="text-right">
                    <Badge tone={p.status === "ACTIVE" ? "green" : p.status === "UNAVAILABLE" ? "red" : "gray"}>{t(`statuses.${p.status}`)}</Badge>
                    {p.statusReason ? <p className="mt-1 max-w-60 text-xs text-red-800">{statusReasonText(p.statusReason, tp)}</p> : null}
                  </div>
                </CardHeader>
                <CardBody className="space-y-3">
                  <dl className="grid grid-cols-2 gap-2 text-sm">
                    <div>
                      <dt className="text-xs font-medium uppercase tracking-wide text-slate-500">{t("endpoint")}</dt>
                      <dd className="break-all font-mono text-xs text-slate-900">{p.endpoint || "—"}</dd>
                    </div>
                    <div>
                      <dt className="text-xs font-medium uppercase tracking-wide text-slate-500">{t("hosts")}</dt>
                      <dd className="text-slate-900">
                        {t("hostsSummary", { count: p.hostCount, maintenance: p.hostsInMaintenance })}
                        <span className="block text-xs text-slate-600">{t("machines", { count: p.machineCount })}</span>
                      </dd>
                    </div>
                  </dl>
                  <UsageMeters usage={p.usage} />
                  <div className="flex flex-wrap items-center justify-between gap-2 text-xs text-slate-600">
                    <span>{p.lastSyncAt ? t("lastSync", { date: format.dateTime(new Date(p.lastSyncAt), "long") }) : t("neverSynced")}</span>
                    <Link href={`/admin/hosts?providerId=${p.id}`} className="font-medium text-indigo-700 hover:underline">
                      {t("viewHosts", { name: p.name })}
                    </Link>
                  </div>
                </CardBody>
              </Card>
            </li>
          ))}
        </ul>
      )}
    </>
  );
}

export default withMessages(["capacity"], ProvidersPage);
