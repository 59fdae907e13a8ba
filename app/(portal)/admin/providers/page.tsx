import Link from "next/link";
import { getFormatter, getTranslations } from "next-intl/server";
import { pageContext } from "@/lib/actions/run-action";
import { guardPage } from "@/lib/actions/page-guard";
import { listProviders } from "@/lib/capacity/list-providers";
import { Badge } from "@/components/ui/badge";
import { Card, CardBody, CardHeader, EmptyState, PageHeader } from "@/components/ui/card";
import { UsageMeters } from "@/components/capacity/usage-meters";

export async function generateMetadata() {
  const t = await getTranslations("capacity.providers");
  return { title: t("title") };
}

export default async function ProvidersPage() {
  const ctx = await pageContext();
  const providers = await guardPage(() => listProviders(ctx));
  const t = await getTranslations("capacity.providers");
  const tp = await getTranslations("providers");
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
      {providers.length === 0 ? (
        <EmptyState title={t("empty")} />
      ) : (
        <ul className="grid gap-4 lg:grid-cols-2">
          {providers.map((p) => (
            <li key={p.id}>
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
                      {t("kind")}: {p.kind} · {t("policy")}: {t(`policies.${p.placementPolicy}`)}
                    </p>
                  </div>
                  <div className="text-right">
                    <Badge tone={p.status === "ACTIVE" ? "green" : p.status === "UNAVAILABLE" ? "red" : "gray"}>{t(`statuses.${p.status}`)}</Badge>
                    {p.statusReason ? <p className="mt-1 max-w-60 text-xs text-red-800">{p.statusReason}</p> : null}
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
