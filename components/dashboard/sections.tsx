// The dashboard's sections, rendered on the server; charts are client islands with text
// equivalents next to them (a legend list, visually hidden tables).
import Link from "next/link";
import { getFormatter, getTranslations } from "next-intl/server";
import { AlertTriangle, ArrowRight } from "lucide-react";
import { Card } from "@/components/ui/card";
import { Badge } from "@/components/ui/badge";
import { RequestStatusBadge } from "@/components/requests/request-status-badge";
import { formatCount, formatGib, formatMoney } from "@/components/catalog/format";
import { formatCost } from "@/components/costs/format";
import type { Dashboard, DashboardProject } from "@/lib/dashboard/get-dashboard";
import type { MachineState } from "@/lib/generated/prisma/enums";
import { QuotaChart, type QuotaChartRow } from "./quota-chart";
import { StateDonut, STATE_COLOURS } from "./state-donut";

const linkCls = "inline-flex items-center gap-1 rounded text-sm font-medium text-indigo-700 hover:underline focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-600";

function Section({ id, title, description, action, children, className }: { id: string; title: string; description?: string; action?: React.ReactNode; children: React.ReactNode; className?: string }) {
  return (
    <Card className={className}>
      <section aria-labelledby={id} className="flex h-full flex-col">
        <div className="flex flex-wrap items-start justify-between gap-2 border-b border-slate-100 px-5 py-4">
          <div className="min-w-0">
            <h2 id={id} className="text-base font-semibold text-slate-900">
              {title}
            </h2>
            {description ? <p className="mt-0.5 text-sm text-slate-600">{description}</p> : null}
          </div>
          {action}
        </div>
        <div className="flex-1 px-5 py-4">{children}</div>
      </section>
    </Card>
  );
}

function Empty({ title, body, action }: { title: string; body: string; action?: React.ReactNode }) {
  return (
    <div className="flex h-full flex-col items-center justify-center rounded-md border border-dashed border-slate-300 px-4 py-8 text-center">
      <p className="text-sm font-medium text-slate-900">{title}</p>
      <p className="mt-1 text-sm text-slate-600">{body}</p>
      {action ? <div className="mt-3">{action}</div> : null}
    </div>
  );
}

function Stat({ label, value, hint, href, linkLabel, highlight }: { label: string; value: string; hint?: React.ReactNode; href?: string; linkLabel?: string; highlight?: boolean }) {
  return (
    <li className={`flex flex-col rounded-lg border bg-white px-4 py-3 shadow-sm sm:px-5 sm:py-4 ${highlight ? "border-amber-300" : "border-slate-200"}`}>
      <span className="text-sm font-medium text-slate-600">{label}</span>
      <span className="mt-1 break-words text-xl font-semibold tabular-nums text-slate-900 sm:text-2xl">{value}</span>
      {hint ? <span className="mt-0.5 text-xs text-slate-600">{hint}</span> : null}
      {href ? (
        <Link href={href} className={`${linkCls} mt-2 self-start`} aria-label={`${linkLabel}: ${label}`}>
          {linkLabel}
          <ArrowRight className="h-3.5 w-3.5" aria-hidden />
        </Link>
      ) : null}
    </li>
  );
}

export async function StatCards({ data }: { data: Dashboard }) {
  const t = await getTranslations("dashboard.stats");
  const f = await getFormatter();
  const projectsWithMachines = data.projectsWithMachines;
  return (
    <ul aria-label={t("label")} className="mb-6 grid grid-cols-2 gap-3 sm:grid-cols-[repeat(auto-fit,minmax(13rem,1fr))] sm:gap-4">
      <Stat label={t("machines")} value={formatCount(f, data.machineTotal)} hint={t("machinesHint", { count: projectsWithMachines })} href="/machines" linkLabel={t("view")} />
      <Stat label={t("monthlyCost")} value={formatMoney(f, data.monthlyCostCents, data.currency)} hint={t("monthlyCostHint")} />
      <Stat label={t("monthToDate")} value={formatCost(f, data.costs.monthToDateMillicents, data.currency)} hint={t("monthToDateHint")} href="/costs" linkLabel={t("view")} />
      <Stat label={t("forecast")} value={formatCost(f, data.costs.forecastMillicents, data.currency)} hint={t("forecastHint")} />
      <Stat
        label={t("pendingRequests")}
        value={formatCount(f, data.myPendingRequests)}
        hint={t("pendingRequestsHint")}
        href="/requests?status=PENDING_APPROVAL"
        linkLabel={t("view")}
      />
      {data.approvals ? (
        <Stat
          label={t("waitingForYou")}
          value={formatCount(f, data.approvals.requests)}
          hint={
            data.approvals.leaseExtensions ? (
              <Link href="/machines/extensions" className="text-indigo-700 hover:underline">
                {t("waitingForYouHint", { count: data.approvals.leaseExtensions })}
              </Link>
            ) : (
              t("waitingForYouHint", { count: 0 })
            )
          }
          href="/admin/approvals"
          linkLabel={t("view")}
          highlight={data.approvals.requests > 0}
        />
      ) : null}
    </ul>
  );
}

type Resource = "vcpu" | "memory" | "ssd" | "hdd" | "machines" | "budget";

export async function QuotaSection({ data, allProjectsHref }: { data: Dashboard; allProjectsHref?: string }) {
  const t = await getTranslations("dashboard.quota");
  const f = await getFormatter();
  const share = (used: number, limit: number) => (limit > 0 ? used / limit : used > 0 ? 1 : 0);
  const pctText = (s: number) => f.number(s, { style: "percent", maximumFractionDigits: 0 });
  const rowsFor = (p: DashboardProject) => {
    const gib = (mib: number) => t("gib", { value: formatGib(f, mib) });
    const gb = (n: number) => t("gb", { value: formatCount(f, n) });
    const money = (c: number) => formatMoney(f, c, data.currency);
    const num = (n: number) => formatCount(f, n);
    const list: { key: Resource; used: number; limit: number | null; fmt: (n: number) => string }[] = [
      { key: "vcpu", used: p.vcpu.used, limit: p.vcpu.limit, fmt: num },
      { key: "memory", used: p.memoryMb.used, limit: p.memoryMb.limit, fmt: gib },
      { key: "ssd", used: p.diskSsdGb.used, limit: p.diskSsdGb.limit, fmt: gb },
      { key: "hdd", used: p.diskHddGb.used, limit: p.diskHddGb.limit, fmt: gb },
      { key: "machines", used: p.machines.used, limit: p.machines.limit, fmt: num },
      { key: "budget", used: p.monthlyCents.used, limit: p.monthlyCents.limit, fmt: money },
    ];
    return list.map((r) => {
      const s = r.limit === null ? null : share(r.used, r.limit);
      return {
        key: r.key,
        label: t(`resources.${r.key}`),
        used: r.fmt(r.used),
        limit: r.limit === null ? t("noBudget") : r.fmt(r.limit),
        share: s,
        shareText: s === null ? "—" : pctText(s),
      };
    });
  };
  return (
    <Section
      id="dash-quota"
      title={t("title")}
      description={data.projectCount > data.projects.length ? `${t("description")} ${t("nearest", { shown: data.projects.length, count: data.projectCount })}` : t("description")}
      action={
        data.projectCount > data.projects.length && allProjectsHref ? (
          <Link href={allProjectsHref} className={linkCls}>
            {t("allProjects", { count: data.projectCount })}
          </Link>
        ) : undefined
      }
      className="lg:col-span-2"
    >
      <div className="grid grid-cols-1 gap-6 md:grid-cols-2 2xl:grid-cols-3">
        {data.projects.map((p) => {
          const rows = rowsFor(p);
          const chart: QuotaChartRow[] = rows
            .filter((r) => r.share !== null)
            // recharts draws neither the track nor the label of a zero-length bar: give it a hair.
            .map((r) => ({ label: r.label, pct: Math.max(0.01, Math.min(100, (r.share ?? 0) * 100)), detail: `${r.used} / ${r.limit}`, share: r.shareText }));
          const captionId = `quota-${p.id}`;
          return (
            <figure key={p.id} aria-labelledby={captionId} className="relative min-w-0">
              <figcaption id={captionId} className="mb-2 flex flex-wrap items-center gap-2 text-sm font-semibold text-slate-900">
                {p.name}
                {p.archived ? <Badge>{t("archived")}</Badge> : null}
              </figcaption>
              <QuotaChart rows={chart} />
              {/* A div, not the table, is visually hidden: tables ignore the 1px width and would widen the page. */}
              <div className="sr-only">
              <table>
                <caption>{t("tableCaption", { project: p.name })}</caption>
                <thead>
                  <tr>
                    <th scope="col">{t("columns.resource")}</th>
                    <th scope="col">{t("columns.used")}</th>
                    <th scope="col">{t("columns.limit")}</th>
                    <th scope="col">{t("columns.share")}</th>
                  </tr>
                </thead>
                <tbody>
                  {rows.map((r) => (
                    <tr key={r.key}>
                      <th scope="row">{r.label}</th>
                      <td>{r.used}</td>
                      <td>{r.limit}</td>
                      <td>{r.shareText}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
              </div>
              {p.monthlyCents.limit === null ? (
                <p className="mt-1 text-xs text-slate-600">
                  {t("resources.budget")}: {t("noBudget")} ({rows[5].used})
                </p>
              ) : null}
            </figure>
          );
        })}
      </div>
    </Section>
  );
}

export async function MachinesSection({ data }: { data: Dashboard }) {
  const t = await getTranslations("dashboard.machines");
  const tm = await getTranslations("machines");
  const f = await getFormatter();
  const slices = (Object.entries(data.machinesByState) as [MachineState, number][]).map(([state, count]) => ({ state, label: tm(`states.${state}`), count }));
  return (
    <Section
      id="dash-machines"
      title={t("title")}
      description={t("description")}
      action={
        data.machineTotal ? (
          <Link href="/machines" className={linkCls}>
            {t("viewAll")}
            <ArrowRight className="h-3.5 w-3.5" aria-hidden />
          </Link>
        ) : null
      }
    >
      {data.machineTotal === 0 ? (
        <Empty
          title={t("emptyTitle")}
          body={t("emptyBody")}
          action={
            <Link href="/catalog" className={linkCls}>
              {t("emptyCta")}
            </Link>
          }
        />
      ) : (
        <figure className="flex flex-col items-center gap-6 sm:flex-row sm:items-center">
          <StateDonut slices={slices} total={t("total", { count: data.machineTotal })} />
          <figcaption className="w-full min-w-0">
            <span className="sr-only">{t("tableCaption")}: </span>
            <ul className="divide-y divide-slate-100">
              {slices.map((s) => (
                <li key={s.state} className="flex items-center justify-between gap-3 py-1.5 text-sm">
                  <Link href={`/machines?state=${s.state}`} className="flex min-w-0 items-center gap-2 rounded text-slate-800 hover:underline focus-visible:outline-2 focus-visible:outline-indigo-600">
                    <span className="h-3 w-3 shrink-0 rounded-sm" style={{ background: STATE_COLOURS[s.state] }} aria-hidden />
                    {s.label}
                  </Link>
                  <span className="font-medium tabular-nums text-slate-900">{formatCount(f, s.count)}</span>
                </li>
              ))}
            </ul>
          </figcaption>
        </figure>
      )}
    </Section>
  );
}

export async function RecentRequestsSection({ data }: { data: Dashboard }) {
  const t = await getTranslations("dashboard.requests");
  const f = await getFormatter();
  return (
    <Section
      id="dash-requests"
      title={t("title")}
      action={
        data.recentRequests.length ? (
          <Link href="/requests" className={linkCls}>
            {t("viewAll")}
            <ArrowRight className="h-3.5 w-3.5" aria-hidden />
          </Link>
        ) : null
      }
    >
      {data.recentRequests.length === 0 ? (
        <Empty
          title={t("emptyTitle")}
          body={t("emptyBody")}
          action={
            <Link href="/catalog" className={linkCls}>
              {t("emptyCta")}
            </Link>
          }
        />
      ) : (
        <ul className="divide-y divide-slate-100">
          {data.recentRequests.map((r) => (
            <li key={r.id} className="flex flex-wrap items-start justify-between gap-x-3 gap-y-1 py-2.5">
              <div className="min-w-0">
                <p className="text-sm font-medium text-slate-900">
                  {t("summary", { number: r.number, quantity: r.quantity, offering: r.offeringName, project: r.projectName })}
                </p>
                <p className="text-xs text-slate-600">
                  {t("submitted", { date: f.dateTime(r.createdAt, "long") })} · {formatMoney(f, r.monthlyCostCents, data.currency)}
                </p>
              </div>
              <RequestStatusBadge status={r.status} />
            </li>
          ))}
        </ul>
      )}
    </Section>
  );
}

export async function FailedOperationsSection({ data }: { data: Dashboard }) {
  const t = await getTranslations("dashboard.failures");
  const tm = await getTranslations("machines");
  const f = await getFormatter();
  return (
    <Section id="dash-failures" title={t("title")} description={t("description")} className="lg:col-span-2">
      {data.failedOperations.length === 0 ? (
        <Empty title={t("emptyTitle")} body={t("emptyBody")} />
      ) : (
        <ul className="divide-y divide-slate-100">
          {data.failedOperations.map((o) => {
            const what = t("operation", { kind: tm(`kinds.${o.kind}`), machine: o.machineName });
            return (
              <li key={o.id} className="flex gap-3 py-2.5">
                <AlertTriangle className="mt-0.5 h-4 w-4 shrink-0 text-red-600" aria-hidden />
                <div className="min-w-0">
                  <p className="text-sm font-medium text-slate-900">
                    {o.machineDeleted ? (
                      <>
                        {what} <span className="font-normal text-slate-600">{t("machineDeleted")}</span>
                      </>
                    ) : (
                      <Link href={`/machines/${o.machineId}`} className="rounded hover:underline focus-visible:outline-2 focus-visible:outline-indigo-600">
                        {what}
                      </Link>
                    )}{" "}
                    <span className="font-normal text-slate-600">{t("inProject", { project: o.projectName })}</span>
                  </p>
                  {o.error ? <p className="break-words text-sm text-red-800">{o.error}</p> : null}
                  <p className="text-xs text-slate-600">{t("at", { date: f.dateTime(o.finishedAt ?? o.createdAt, "long") })}</p>
                </div>
              </li>
            );
          })}
        </ul>
      )}
    </Section>
  );
}
