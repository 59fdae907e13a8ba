import { getFormatter, getTranslations } from "next-intl/server";
import { Card } from "@/components/ui/card";
import { EmptyState, PageHeader } from "@/components/ui/card";
import { Button } from "@/components/ui/button";
import { Field, Input, NativeSelect } from "@/components/ui/field";
import { formatCost } from "@/components/costs/format";
import { BreakdownChart, DailyChart, TrendChart } from "@/components/costs/cost-charts";
import { RunCostsButton } from "@/components/costs/run-costs-button";
import { guardPage } from "@/lib/actions/page-guard";
import { pageContext } from "@/lib/actions/run-action";
import { can } from "@/lib/auth/permissions";
import { getCosts } from "@/lib/costs/get-costs";
import { COST_GROUPS, costsPageQuerySchema } from "@/lib/costs/schemas";
import { requestCostRunAction } from "./actions";
import { withMessages } from "@/components/layout/page-messages";

export async function generateMetadata() {
  const t = await getTranslations("costs");
  return { title: t("title") };
}

function Section({ id, title, description, children, className }: { id: string; title: string; description?: string; children: React.ReactNode; className?: string }) {
  return (
    <Card className={className}>
      <section aria-labelledby={id} className="flex h-full flex-col">
        <div className="border-b border-slate-100 px-5 py-4">
          <h2 id={id} className="text-base font-semibold text-slate-900">
            {title}
          </h2>
          {description ? <p className="mt-0.5 text-sm text-slate-600">{description}</p> : null}
        </div>
        <div className="flex-1 px-5 py-4">{children}</div>
      </section>
    </Card>
  );
}

function Stat({ label, value, hint, testId }: { label: string; value: string; hint?: string; testId?: string }) {
  return (
    <li className="flex flex-col rounded-lg border border-slate-200 bg-white px-4 py-3 shadow-sm sm:px-5 sm:py-4">
      <span className="text-sm font-medium text-slate-600">{label}</span>
      <span className="mt-1 break-words text-xl font-semibold tabular-nums text-slate-900 sm:text-2xl" data-testid={testId}>
        {value}
      </span>
      {hint ? <span className="mt-0.5 text-xs text-slate-600">{hint}</span> : null}
    </li>
  );
}

async function CostsPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const raw = await searchParams;
  const query = costsPageQuerySchema.parse(Object.fromEntries(Object.entries(raw).map(([k, v]) => [k, Array.isArray(v) ? v[0] : v]).filter(([, v]) => v !== "" && v !== undefined)));
  const ctx = await pageContext();
  const data = await guardPage(() => getCosts(ctx, query));
  const t = await getTranslations("costs");
  const tp = await getTranslations("costs.page");
  const f = await getFormatter();
  const money = (m: number) => formatCost(f, m, data.currency);
  const monthName = (m: string) => f.dateTime(new Date(`${m}-15T12:00:00Z`), { month: "long", year: "numeric", timeZone: "UTC" });
  const monthShort = (m: string) => f.dateTime(new Date(`${m}-15T12:00:00Z`), { month: "short", year: "2-digit", timeZone: "UTC" });
  const dayLabel = (d: string) => f.dateTime(new Date(`${d}T12:00:00Z`), { day: "numeric", month: "short", timeZone: "UTC" });
  const groupName = tp(`groups.${data.groupBy}`);
  const budgetM = data.budgetCents === null ? null : data.budgetCents * 1000;
  const exportQuery = new URLSearchParams({ month: data.month, ...(data.project ? { projectId: data.project.id } : {}) });
  const empty = data.total.totalMillicents === 0 && data.breakdown.length === 0;
  const pct = (share: number) => f.number(share, { style: "percent", maximumFractionDigits: 1 });
  const hasAny = data.trend.some((m) => m.totalMillicents !== 0);

  return (
    <>
      <PageHeader
        title={data.project ? `${t("title")}: ${data.project.name}` : t("title")}
        description={t("description")}
        actions={
          <>
            <Button asChild variant="secondary" size="sm">
              <a href={`/api/v1/costs/export?${exportQuery}`} download aria-label={tp("exportLabel", { month: monthName(data.month) })}>
                {tp("export")}
              </a>
            </Button>
            {can(ctx.actor, "price.manage") ? <RunCostsButton action={requestCostRunAction} /> : null}
          </>
        }
      />

      <form method="get" aria-label={tp("filters")} className="mb-6 flex flex-wrap items-end gap-4 rounded-lg border border-slate-200 bg-white px-4 py-3">
        <Field id="projectId" label={tp("project")} className="min-w-56">
          <NativeSelect name="projectId" defaultValue={data.project?.id ?? ""}>
            <option value="">{data.canSeeAll ? tp("allProjectsAdmin") : tp("allProjects")}</option>
            {data.projects.map((p) => (
              <option key={p.id} value={p.id}>
                {p.name}
              </option>
            ))}
          </NativeSelect>
        </Field>
        <Field id="month" label={tp("month")}>
          <Input type="month" name="month" defaultValue={data.month} className="w-44" />
        </Field>
        <Field id="groupBy" label={tp("groupBy")}>
          <NativeSelect name="groupBy" defaultValue={data.groupBy}>
            {COST_GROUPS.map((g) => (
              <option key={g} value={g}>
                {tp(`groups.${g}`)}
              </option>
            ))}
          </NativeSelect>
        </Field>
        <Button type="submit" size="sm" className="mb-0.5">
          {tp("show")}
        </Button>
      </form>

      <ul aria-label={tp("stats.label")} className="mb-6 grid grid-cols-1 gap-3 sm:grid-cols-2 lg:grid-cols-4">
        <Stat
          label={data.isCurrentMonth ? tp("stats.monthToDate") : tp("stats.monthTotal")}
          value={money(data.total.totalMillicents)}
          hint={tp("stats.split", { compute: money(data.total.computeMillicents), storage: money(data.total.storageMillicents) })}
          testId="cost-month-to-date"
        />
        {data.forecast ? (
          <Stat
            label={tp("stats.forecast")}
            value={money(data.forecast.totalMillicents)}
            hint={tp("stats.forecastHint", { rate: money(data.forecast.ratePerHourMillicents) })}
            testId="cost-forecast"
          />
        ) : null}
        {data.project ? (
          <Stat
            label={tp("stats.budget")}
            value={budgetM === null ? tp("stats.noBudget") : money(budgetM)}
            hint={
              budgetM === null || budgetM === 0
                ? undefined
                : data.forecast
                  ? tp("stats.budgetHint", { actual: pct(data.total.totalMillicents / budgetM), forecast: pct(data.forecast.totalMillicents / budgetM) })
                  : tp("stats.budgetHintPast", { actual: pct(data.total.totalMillicents / budgetM) })
            }
          />
        ) : null}
        <Stat
          label={tp("stats.accrued")}
          value={data.accruedUntil ? f.dateTime(new Date(data.accruedUntil), { dateStyle: "medium", timeStyle: "short" }) : tp("stats.accruedNever")}
        />
      </ul>

      {empty && !hasAny ? (
        <div className="mb-6">
          <EmptyState title={tp("emptyTitle")} description={tp("emptyBody")} />
        </div>
      ) : null}

      <div className="grid grid-cols-1 gap-6 lg:grid-cols-2">
        <Section id="costs-trend" title={tp("trend.title")} description={tp("trend.description")}>
          <figure aria-labelledby="costs-trend">
            <TrendChart
              currency={data.currency}
              labels={{ compute: tp("columns.compute"), storage: tp("columns.storage") }}
              points={data.trend.map((m) => ({ label: monthShort(m.month), compute: m.computeMillicents / 100_000, storage: m.storageMillicents / 100_000 }))}
            />
            <div className="sr-only">
              <table>
                <caption>{tp("trend.caption")}</caption>
                <thead>
                  <tr>
                    <th scope="col">{tp("trend.month")}</th>
                    <th scope="col">{tp("columns.compute")}</th>
                    <th scope="col">{tp("columns.storage")}</th>
                    <th scope="col">{tp("columns.total")}</th>
                  </tr>
                </thead>
                <tbody>
                  {data.trend.map((m) => (
                    <tr key={m.month}>
                      <th scope="row">{monthName(m.month)}</th>
                      <td>{money(m.computeMillicents)}</td>
                      <td>{money(m.storageMillicents)}</td>
                      <td>{money(m.totalMillicents)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </figure>
        </Section>

        <Section id="costs-daily" title={tp("daily.title")} description={tp("daily.description")}>
          <figure aria-labelledby="costs-daily">
            <DailyChart
              currency={data.currency}
              budget={data.budgetCents === null ? null : data.budgetCents / 100}
              labels={{ cumulative: tp("daily.cumulative"), budget: tp("daily.budgetLine") }}
              points={data.daily.map((d) => ({ label: dayLabel(d.day), cumulative: d.cumulativeMillicents / 100_000 }))}
            />
            <div className="sr-only">
              <table>
                <caption>{tp("daily.caption", { month: monthName(data.month) })}</caption>
                <thead>
                  <tr>
                    <th scope="col">{tp("daily.day")}</th>
                    <th scope="col">{tp("daily.cost")}</th>
                    <th scope="col">{tp("daily.cumulative")}</th>
                  </tr>
                </thead>
                <tbody>
                  {data.daily.map((d) => (
                    <tr key={d.day}>
                      <th scope="row">{dayLabel(d.day)}</th>
                      <td>{money(d.totalMillicents)}</td>
                      <td>{money(d.cumulativeMillicents)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </figure>
        </Section>

        <Section id="costs-breakdown" title={tp("breakdown.title", { group: groupName.toLowerCase() })} description={tp("breakdown.description")} className="lg:col-span-2">
          {data.breakdown.length === 0 ? (
            <p className="text-sm text-slate-600">{tp("breakdown.empty")}</p>
          ) : (
            <div className="grid grid-cols-1 gap-6 xl:grid-cols-2">
              <BreakdownChart currency={data.currency} points={data.breakdown.slice(0, 12).map((b) => ({ label: b.label, total: b.totalMillicents / 100_000, share: pct(b.share) }))} />
              {/* Focusable: a table wider than its column scrolls, and keyboard users must reach it. */}
              <div tabIndex={0} role="region" aria-label={tp("breakdown.caption", { month: monthName(data.month), group: groupName.toLowerCase() })} className="relative overflow-x-auto rounded-lg border border-slate-200 bg-white focus-visible:outline-2 focus-visible:outline-indigo-600">
                <table className="min-w-full divide-y divide-slate-200 text-sm" data-testid="cost-breakdown">
                  <caption className="sr-only">{tp("breakdown.caption", { month: monthName(data.month), group: groupName.toLowerCase() })}</caption>
                  <thead className="bg-slate-50 text-left text-xs font-semibold uppercase tracking-wide text-slate-700">
                    <tr>
                      <th scope="col" className="px-3 py-2">
                        {groupName}
                      </th>
                      <th scope="col" className="px-3 py-2 text-right">
                        {tp("columns.compute")}
                      </th>
                      <th scope="col" className="px-3 py-2 text-right">
                        {tp("columns.storage")}
                      </th>
                      <th scope="col" className="px-3 py-2 text-right">
                        {tp("columns.total")}
                      </th>
                      <th scope="col" className="px-3 py-2 text-right">
                        {tp("columns.share")}
                      </th>
                      <th scope="col" className="px-3 py-2 text-right">
                        {tp("columns.hours")}
                      </th>
                    </tr>
                  </thead>
                  <tbody className="divide-y divide-slate-100">
                    {data.breakdown.map((b) => (
                      <tr key={b.id}>
                        <th scope="row" className="px-3 py-2 text-left font-medium text-slate-900">
                          {b.label === b.id ? tp("breakdown.deleted") : b.label}
                          {b.detail ? <span className="block text-xs font-normal text-slate-600">{b.kind && t.has(`comparison.kinds.${b.kind}`) ? t(`comparison.kinds.${b.kind}`) : b.detail}</span> : null}
                        </th>
                        <td className="px-3 py-2 text-right tabular-nums">{money(b.computeMillicents)}</td>
                        <td className="px-3 py-2 text-right tabular-nums">{money(b.storageMillicents)}</td>
                        <td className="px-3 py-2 text-right font-semibold tabular-nums">{money(b.totalMillicents)}</td>
                        <td className="px-3 py-2 text-right tabular-nums">{pct(b.share)}</td>
                        <td className="px-3 py-2 text-right tabular-nums">{f.number(b.poweredHours, { maximumFractionDigits: 1 })}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            </div>
          )}
        </Section>
      </div>
    </>
  );
}

export default withMessages(["costs"], CostsPage);
