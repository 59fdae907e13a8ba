"use client";
// The administrators' host utilisation: per provider, vCPU and memory over time (capacity,
// allocated by the sampled machines, measured use), 1 h / 24 h / 7 d / 30 d, polled from
// /api/monitoring/utilisation. Charts are hidden from assistive technology; each provider has a
// summary sentence and a table toggle with the same figures.
import { useState } from "react";
import { useQuery } from "@tanstack/react-query";
import { useFormatter, useTranslations } from "next-intl";
import { CartesianGrid, ComposedChart, Area, Legend, Line, ReferenceLine, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { Button } from "@/components/ui/button";
import { Card, CardBody, CardHeader, EmptyState } from "@/components/ui/card";
import { Table, Td, Th } from "@/components/ui/table";
import { fetchJson } from "@/components/machines/client-utils";
import { METRIC_RANGES, type MetricRange } from "@/lib/monitoring/schemas";
import type { ProviderUtilisation } from "@/lib/monitoring/get-utilisation";
import { AXIS, POLL_MS, RangePicker, useTimeLabel } from "./chart-bits";

interface Utilisation {
  range: MetricRange;
  stepSeconds: number;
  providers: ProviderUtilisation[];
}

const gib = (mb: number) => Math.round((mb / 1024) * 10) / 10;

function ProviderCard({ p, range }: { p: ProviderUtilisation; range: MetricRange }) {
  const t = useTranslations("alerts.admin");
  const tc = useTranslations("alerts.charts");
  const tk = useTranslations("common");
  const f = useFormatter();
  const time = useTimeLabel(range);
  const [asTable, setAsTable] = useState(false);
  const n = (v: number) => f.number(v, { maximumFractionDigits: 1 });
  const points = p.series.map((s) => ({ ...s, label: time(s.at), memAllocatedGib: gib(s.memoryMbAllocated), memUsedGib: gib(s.memoryMbUsed) }));
  const peak = (sel: (x: (typeof points)[number]) => number) => (points.length ? Math.max(...points.map(sel)) : 0);
  const headingId = `provider-${p.id}`;
  const chart = (testId: string, title: string, allocated: string, used: string, capacity: number | null) => (
    <div>
      <h4 className="mb-1 text-sm font-medium text-slate-800">{title}</h4>
      <div className="h-44 w-full" aria-hidden data-testid={testId}>
        <ResponsiveContainer width="100%" height="100%">
          <ComposedChart accessibilityLayer={false} data={points} margin={{ top: 8, right: 8, bottom: 0, left: 0 }}>
            <CartesianGrid vertical={false} stroke="#e2e8f0" />
            <XAxis dataKey="label" tick={AXIS} tickLine={false} axisLine={false} interval="preserveStartEnd" minTickGap={24} />
            {/* Scaled to the data: a capacity far above it would flatten the series (the sentence above states it). */}
            <YAxis tick={AXIS} tickLine={false} axisLine={false} width={40} domain={[0, (max: number) => Math.max(1, Math.ceil(max * 1.25))]} />
            <Tooltip formatter={(v) => n(Number(v))} />
            <Legend wrapperStyle={{ fontSize: 11 }} />
            {capacity !== null ? <ReferenceLine y={capacity} ifOverflow="discard" stroke="#dc2626" strokeDasharray="4 3" label={{ value: t("capacity"), fontSize: 11, fill: "#991b1b", position: "insideTopRight" }} /> : null}
            <Area type="monotone" dataKey={allocated} name={t("allocated")} stroke="#4f46e5" fill="#c7d2fe" isAnimationActive={false} />
            <Line type="monotone" dataKey={used} name={t("used")} stroke="#d97706" dot={false} isAnimationActive={false} />
          </ComposedChart>
        </ResponsiveContainer>
      </div>
    </div>
  );
  return (
    <Card aria-labelledby={headingId} data-testid="provider-utilisation" data-provider={p.name}>
      <CardHeader>
        <div className="flex flex-wrap items-center justify-between gap-2">
          <h3 id={headingId} className="text-base font-semibold text-slate-900">
            {p.name} <span className="text-xs font-normal text-slate-600">{tk(`providerKinds.${p.kind}`)}</span>
          </h3>
          {points.length ? (
            <Button type="button" size="sm" variant="secondary" aria-pressed={asTable} onClick={() => setAsTable(!asTable)}>
              {asTable ? tc("showChart") : tc("showTable")}
            </Button>
          ) : null}
        </div>
      </CardHeader>
      <CardBody className="space-y-3">
        <p className="text-sm text-slate-800">
          {p.capacity && p.allocatedNow
            ? t("now", { allocated: p.allocatedNow.vcpu, capacity: p.capacity.vcpu, memAllocated: n(gib(p.allocatedNow.memoryMb)), memCapacity: n(gib(p.capacity.memoryMb)) })
            : t("noHosts")}
        </p>
        <p className="text-sm text-slate-800" data-testid="utilisation-summary">
          {points.length === 0
            ? tc("noData")
            : t("summary", {
                points: points.length,
                peakVcpu: n(peak((x) => x.vcpuAllocated)),
                peakUsed: n(peak((x) => x.vcpuUsed)),
                peakMem: n(peak((x) => x.memAllocatedGib)),
                peakMemUsed: n(peak((x) => x.memUsedGib)),
              })}
        </p>
        {asTable && points.length ? (
          <div className="max-h-72 overflow-auto">
            <Table aria-label={t("tableLabel", { provider: p.name })}>
              <thead>
                <tr>
                  <Th>{t("time")}</Th>
                  <Th>{t("machines")}</Th>
                  <Th>{`${t("vcpu")}: ${t("allocated")}`}</Th>
                  <Th>{`${t("vcpu")}: ${t("used")}`}</Th>
                  <Th>{`${t("memory")}: ${t("allocated")}`}</Th>
                  <Th>{`${t("memory")}: ${t("used")}`}</Th>
                </tr>
              </thead>
              <tbody className="divide-y divide-slate-100">
                {points.map((x) => (
                  <tr key={x.at}>
                    <Td>{x.label}</Td>
                    <Td>{x.machines}</Td>
                    <Td>{n(x.vcpuAllocated)}</Td>
                    <Td>{n(x.vcpuUsed)}</Td>
                    <Td>{n(x.memAllocatedGib)}</Td>
                    <Td>{n(x.memUsedGib)}</Td>
                  </tr>
                ))}
              </tbody>
            </Table>
          </div>
        ) : points.length ? (
          <div className="grid gap-4 md:grid-cols-2">
            {chart("chart-host-vcpu", t("vcpu"), "vcpuAllocated", "vcpuUsed", p.capacity?.vcpu ?? null)}
            {chart("chart-host-memory", t("memory"), "memAllocatedGib", "memUsedGib", p.capacity ? gib(p.capacity.memoryMb) : null)}
          </div>
        ) : null}
      </CardBody>
    </Card>
  );
}

export function UtilisationCharts() {
  const t = useTranslations("alerts.admin");
  const tc = useTranslations("alerts.charts");
  const [range, setRange] = useState<MetricRange>("1h");
  const { data, isError } = useQuery({
    queryKey: ["utilisation", range],
    queryFn: () => fetchJson<Utilisation>(`/api/monitoring/utilisation?range=${range}`),
    refetchInterval: POLL_MS[range],
  });
  return (
    <div className="space-y-4">
      <RangePicker label={tc("range")} value={range} onChange={setRange} ranges={METRIC_RANGES} />
      {isError ? (
        <p role="alert" className="text-sm text-red-700">
          {tc("error")}
        </p>
      ) : null}
      {data && data.providers.length === 0 ? <EmptyState title={t("noProviders")} /> : null}
      {(data?.providers ?? []).map((p) => (
        <ProviderCard key={p.id} p={p} range={range} />
      ))}
    </div>
  );
}
