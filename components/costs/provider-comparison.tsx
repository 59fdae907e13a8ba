"use client";
// The price comparison on the request form: what the machines cost per month on every
// provider that can serve them, cheapest first, with their room now (GET
// /api/v1/price-comparison, the same call API clients make). When the caller may target a
// provider (the project's providerChoice, or an approver), a radio group picks one: the same
// choice as the placement select (placement PROVIDER), or leaves it to the project.
import { useQuery } from "@tanstack/react-query";
import { useFormatter, useTranslations } from "next-intl";
import { Badge, type BadgeTone } from "@/components/ui/badge";
import { formatMoney } from "@/components/catalog/format";
import type { Comparison, ComparisonRow } from "@/lib/costs/compare-providers";

const AVAILABILITY_TONE: Record<ComparisonRow["availability"], BadgeTone> = {
  AVAILABLE: "green",
  PARTIAL: "yellow",
  FULL: "red",
  NO_DISK_TIER: "gray",
  UNAVAILABLE: "gray",
};

async function fetchComparison(q: URLSearchParams): Promise<Comparison> {
  const res = await fetch(`/api/v1/price-comparison?${q}`, { cache: "no-store", headers: { Accept: "application/json" } });
  if (!res.ok) throw new Error(`HTTP ${res.status}`);
  return (await res.json()) as Comparison;
}

export function ProviderComparison({
  offeringId,
  templateId,
  quantity,
  projectId,
  currency,
  chosen,
  onPick,
}: {
  offeringId: string;
  templateId: string;
  quantity: number;
  projectId: string;
  currency: string;
  /** The provider targeted (""): the portal chooses (the project's default, then its policy). */
  chosen: string;
  /** A provider picked, or "" to leave it to the project. */
  onPick: (providerId: string) => void;
}) {
  const t = useTranslations("costs.comparison");
  const tp = useTranslations("costs.policies");
  const f = useFormatter();
  const ready = Boolean(offeringId && templateId && quantity > 0);
  const q = new URLSearchParams({ offeringId, templateId, quantity: String(quantity) });
  if (projectId) q.set("projectId", projectId);
  const { data, isError, isFetching } = useQuery({ queryKey: ["price-comparison", q.toString()], queryFn: () => fetchComparison(q), enabled: ready, staleTime: 15_000 });
  const money = (cents: number) => formatMoney(f, cents, currency);

  if (!ready) return <p className="text-sm text-slate-600">{t("chooseTemplate")}</p>;
  if (isError) return <p role="alert" className="text-sm text-red-700">{t("loadError")}</p>;
  if (!data) return <p className="text-sm text-slate-600" aria-busy="true">{t("loading")}</p>;
  if (!data.rows.length) return <p className="text-sm text-slate-700">{t("noProviders")}</p>;

  const choice = Boolean(data.project?.canChoose);
  const recommended = data.rows.find((r) => r.recommended) ?? null;
  const policy = data.project?.placementPolicy ?? "CHEAPEST";
  const cheapest = data.rows.find((r) => r.totalCents !== null) ?? null;
  const policyLine = data.project
    ? recommended
      ? t("policyPicks", { policy: tp(policy), provider: recommended.name })
      : policy === "SPREAD" || policy === "PACK"
        ? t("policyHosts", { policy: tp(policy) })
        : t("policyNone", { policy: tp(policy) })
    : t("chooseProject");

  return (
    <div className="space-y-3" aria-busy={isFetching}>
      <p className="text-sm text-slate-700" aria-live="polite" data-testid="comparison-policy">
        {policyLine}
      </p>
      <fieldset className="min-w-0">
        <legend className="sr-only">{choice ? t("legendChoose") : t("legend")}</legend>
        <div className="relative overflow-x-auto rounded-lg border border-slate-200 bg-white">
          <table className="min-w-full divide-y divide-slate-200 text-sm" data-testid="price-comparison">
            <caption className="sr-only">{t("caption", { quantity: data.quantity, offering: data.offering.name })}</caption>
            <thead className="bg-slate-50 text-left text-xs font-semibold uppercase tracking-wide text-slate-700">
              <tr>
                {choice ? (
                  <th scope="col" className="w-10 px-3 py-2">
                    <span className="sr-only">{t("columns.pick")}</span>
                  </th>
                ) : null}
                <th scope="col" className="px-3 py-2">
                  {t("columns.provider")}
                </th>
                <th scope="col" className="px-3 py-2 text-right">
                  {t("columns.monthly")}
                </th>
                <th scope="col" className="hidden px-3 py-2 sm:table-cell">
                  {t("columns.capacity")}
                </th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {choice ? (
                <tr>
                  <td className="px-3 py-2">
                    <input type="radio" id="provider-policy" name="comparison-provider" value="" onChange={() => onPick("")} checked={chosen === ""} className="h-4 w-4 accent-indigo-600" />
                  </td>
                  <td className="px-3 py-2" colSpan={3}>
                    <label htmlFor="provider-policy" className="font-medium text-slate-900">
                      {t("letPolicyChoose")}
                    </label>
                  </td>
                </tr>
              ) : null}
              {data.rows.map((r) => {
                const radioId = `provider-${r.providerId}`;
                const name = (
                  <span className="font-medium text-slate-900">
                    {r.name}
                  </span>
                );
                const capacity = (
                  <>
                    <Badge tone={AVAILABILITY_TONE[r.availability]}>{t(`availability.${r.availability}`)}</Badge>
                    {r.availability === "AVAILABLE" || r.availability === "PARTIAL" || r.availability === "FULL" ? (
                      <div className="mt-0.5 text-xs text-slate-600">{t("fits", { count: r.fits })}</div>
                    ) : null}
                  </>
                );
                return (
                  <tr key={r.providerId} data-provider={r.name} className={r.recommended ? "bg-indigo-50/60" : undefined}>
                    {choice ? (
                      <td className="px-3 py-2">
                        <input
                          type="radio"
                          id={radioId}
                          name="comparison-provider"
                          value={r.providerId}
                          onChange={() => onPick(r.providerId)}
                          checked={chosen === r.providerId}
                          disabled={!r.selectable}
                          aria-describedby={`${radioId}-why`}
                          className="h-4 w-4 accent-indigo-600 disabled:opacity-40"
                        />
                      </td>
                    ) : null}
                    <td className="px-3 py-2">
                      {choice ? <label htmlFor={radioId}>{name}</label> : name}
                      <div className="mt-0.5 flex flex-wrap gap-1 text-xs text-slate-600">
                        <span>{t.has(`kinds.${r.kind}`) ? t(`kinds.${r.kind}`) : r.kind}</span>
                        <span aria-hidden>·</span>
                        <span>{t(`cloud.${r.cloud}`)}</span>
                        {r.instanceType ? (
                          <>
                            <span aria-hidden>·</span>
                            <span className="font-mono">{r.instanceType}</span>
                          </>
                        ) : null}
                      </div>
                      <div className="mt-1 flex flex-wrap gap-1">
                        {r.recommended ? <Badge tone="indigo">{t("recommended")}</Badge> : null}
                        {cheapest && r.providerId === cheapest.providerId ? <Badge tone="green">{t("cheapest")}</Badge> : null}
                        {!r.allowed ? <Badge>{t("notAllowed")}</Badge> : null}
                      </div>
                      <div className="mt-1 sm:hidden" data-testid="provider-capacity-phone">
                        {capacity}
                      </div>
                    </td>
                    <td className="px-3 py-2 text-right tabular-nums">
                      {r.totalCents === null ? (
                        <span className="text-slate-600">{t(`unpriced.${r.unpriced ?? "NO_PRICE_BOOK"}`)}</span>
                      ) : (
                        <>
                          <span className="font-semibold text-slate-900" data-testid="provider-monthly">
                            {money(r.totalCents)}
                          </span>
                          {data.quantity > 1 && r.perMachineCents !== null ? (
                            <div className="text-xs text-slate-600">{t("perMachine", { amount: money(r.perMachineCents) })}</div>
                          ) : null}
                          <div className="text-xs text-slate-600">
                            {t("split", { compute: money(r.computeCents ?? 0), storage: money(r.storageCents ?? 0) })}
                          </div>
                        </>
                      )}
                    </td>
                    {/* On a phone the room column would push the table sideways: it is shown under
                        the provider's name instead (the hidden cell still describes the radio). */}
                    <td className="hidden px-3 py-2 sm:table-cell" id={`${radioId}-why`}>
                      {capacity}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      </fieldset>
      <p className="text-xs text-slate-600">{t("footnote")}</p>
    </div>
  );
}
