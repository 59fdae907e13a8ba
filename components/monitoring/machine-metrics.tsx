"use client";
// The machine page's monitoring panel: CPU, memory, disk and network over 1 h / 24 h / 7 d /
// 30 d (Recharts), polled from /api/machines/{id}/metrics. The charts are decorative for
// assistive technology (aria-hidden); the latest figures are given as text.
import { useState } from "react";
import { useQuery } from "@tanstack/react-query";
import { useFormatter, useTranslations } from "next-intl";
import { Area, AreaChart, CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { fetchJson } from "@/components/machines/client-utils";
import { METRIC_RANGES, type MetricRange } from "@/lib/monitoring/schemas";
import { AXIS as axis, POLL_MS, RangePicker, useBytes, useTimeLabel } from "./chart-bits";
import type { MachineMetrics } from "@/lib/monitoring/views";

export function MachineMetricsPanel({ machineId, running }: { machineId: string; running: boolean }) {
  const t = useTranslations("monitoring.charts");
  const f = useFormatter();
  const bytes = useBytes();
  const [range, setRange] = useState<MetricRange>("1h");
  const { data, isError } = useQuery({
    queryKey: ["machine-metrics", machineId, range],
    queryFn: () => fetchJson<MachineMetrics>(`/api/machines/${machineId}/metrics?range=${range}`),
    refetchInterval: running ? POLL_MS[range] : false,
  });
  const time = useTimeLabel(range);
  const points = (data?.points ?? []).map((p) => ({ ...p, label: time(p.at) }));
  const last = points.at(-1);

  const chart = (title: string, testId: string, body: React.ReactNode) => (
    <div>
      <h3 className="mb-1 text-sm font-medium text-slate-800">{title}</h3>
      <div className="h-40 w-full" aria-hidden data-testid={testId}>
        <ResponsiveContainer width="100%" height="100%">
          {body as React.ReactElement}
        </ResponsiveContainer>
      </div>
    </div>
  );

  return (
    <Card className="mt-4">
      <CardHeader>
        <div className="flex flex-wrap items-center justify-between gap-2">
          <h2 className="text-lg font-semibold text-slate-900">{t("title")}</h2>
          <RangePicker label={t("range")} value={range} onChange={setRange} ranges={METRIC_RANGES} />
        </div>
      </CardHeader>
      <CardBody>
        {isError ? (
          <p role="alert" className="text-sm text-red-700">
            {t("error")}
          </p>
        ) : null}
        {data && !data.supported ? <p className="text-sm text-slate-700">{t("unsupported")}</p> : null}
        {data && data.supported && points.length === 0 ? <p className="text-sm text-slate-700">{t("noData", { seconds: data.stepSeconds })}</p> : null}
        {last ? (
          <p className="mb-3 text-sm text-slate-800" data-testid="metrics-latest">
            {t("latest", { cpu: last.cpuPercent === null ? t("cpuPending") : `${f.number(last.cpuPercent, { maximumFractionDigits: 1 })} %`, memory: bytes(last.memoryUsedBytes) })}
          </p>
        ) : null}
        {points.length > 0 ? (
          <div className="grid gap-4 md:grid-cols-2">
            {chart(
              t("cpu"),
              "chart-cpu",
              <AreaChart accessibilityLayer={false} data={points} margin={{ top: 4, right: 8, bottom: 0, left: 0 }}>
                <CartesianGrid vertical={false} stroke="#e2e8f0" />
                <XAxis dataKey="label" tick={axis} tickLine={false} axisLine={false} interval="preserveStartEnd" minTickGap={24} />
                <YAxis domain={[0, 100]} tick={axis} tickLine={false} axisLine={false} width={36} unit="%" />
                <Tooltip formatter={(v) => `${f.number(Number(v), { maximumFractionDigits: 1 })} %`} />
                <Area type="monotone" dataKey="cpuPercent" name={t("cpuPercent")} stroke="#4f46e5" fill="#c7d2fe" isAnimationActive={false} connectNulls />
              </AreaChart>,
            )}
            {chart(
              t("memory"),
              "chart-memory",
              <AreaChart accessibilityLayer={false} data={points} margin={{ top: 4, right: 8, bottom: 0, left: 0 }}>
                <CartesianGrid vertical={false} stroke="#e2e8f0" />
                <XAxis dataKey="label" tick={axis} tickLine={false} axisLine={false} interval="preserveStartEnd" minTickGap={24} />
                <YAxis tickFormatter={(v: number) => bytes(v)} tick={axis} tickLine={false} axisLine={false} width={64} />
                <Tooltip formatter={(v) => bytes(Number(v))} />
                <Area type="monotone" dataKey="memoryUsedBytes" name={t("memoryUsed")} stroke="#0ea5e9" fill="#bae6fd" isAnimationActive={false} />
              </AreaChart>,
            )}
            {chart(
              t("disk"),
              "chart-disk",
              <LineChart accessibilityLayer={false} data={points} margin={{ top: 4, right: 8, bottom: 0, left: 0 }}>
                <CartesianGrid vertical={false} stroke="#e2e8f0" />
                <XAxis dataKey="label" tick={axis} tickLine={false} axisLine={false} interval="preserveStartEnd" minTickGap={24} />
                <YAxis tickFormatter={(v: number) => bytes(v)} tick={axis} tickLine={false} axisLine={false} width={64} />
                <Tooltip formatter={(v) => t("perSecond", { value: bytes(Number(v)) })} />
                <Legend wrapperStyle={{ fontSize: 11 }} />
                <Line type="monotone" dataKey="diskReadBps" name={t("diskRead")} stroke="#16a34a" dot={false} isAnimationActive={false} />
                <Line type="monotone" dataKey="diskWriteBps" name={t("diskWrite")} stroke="#d97706" dot={false} isAnimationActive={false} />
              </LineChart>,
            )}
            {chart(
              t("network"),
              "chart-network",
              <LineChart accessibilityLayer={false} data={points} margin={{ top: 4, right: 8, bottom: 0, left: 0 }}>
                <CartesianGrid vertical={false} stroke="#e2e8f0" />
                <XAxis dataKey="label" tick={axis} tickLine={false} axisLine={false} interval="preserveStartEnd" minTickGap={24} />
                <YAxis tickFormatter={(v: number) => bytes(v)} tick={axis} tickLine={false} axisLine={false} width={64} />
                <Tooltip formatter={(v) => t("perSecond", { value: bytes(Number(v)) })} />
                <Legend wrapperStyle={{ fontSize: 11 }} />
                <Line type="monotone" dataKey="netInBps" name={t("netIn")} stroke="#7c3aed" dot={false} isAnimationActive={false} />
                <Line type="monotone" dataKey="netOutBps" name={t("netOut")} stroke="#db2777" dot={false} isAnimationActive={false} />
              </LineChart>,
            )}
          </div>
        ) : null}
      </CardBody>
    </Card>
  );
}
