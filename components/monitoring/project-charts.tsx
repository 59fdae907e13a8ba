"use client";
// A project's aggregate charts: top consumers (average CPU and memory per machine) and the
// project's average CPU and memory in use over time, 1 h / 24 h / 7 d / 30 d, polled from
// /api/monitoring/projects/{id}/metrics. The charts are hidden from assistive technology; a
// summary sentence, the top-consumers table and a table toggle for the series carry the data.
import Link from "next/link";
import { useState } from "react";
import { useQuery } from "@tanstack/react-query";
import { useFormatter, useTranslations } from "next-intl";
import { Area, AreaChart, CartesianGrid, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { Button } from "@/components/ui/button";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { Table, Td, Th } from "@/components/ui/table";
import { fetchJson } from "@/components/machines/client-utils";
import { METRIC_RANGES, type MetricRange } from "@/lib/monitoring/schemas";
import { RangePicker, useBytes, useTimeLabel, AXIS, POLL_MS } from "./chart-bits";

interface ProjectMetrics {
  projectId: string;
  range: MetricRange;
  resolution: string;
  topConsumers: { machineId: string; name: string; cpuPercent: number | null; memoryUsedBytes: number }[];
  series: { at: string; cpuPercent: number | null; memoryUsedBytes: number; machines: number }[];
}

export function ProjectCharts({ projectId }: { projectId: string }) {
  const t = useTranslations("alerts.charts");
  const f = useFormatter();
  const bytes = useBytes();
  const [range, setRange] = useState<MetricRange>("1h");
  const [asTable, setAsTable] = useState(false);
  const time = useTimeLabel(range);
  const { data, isError } = useQuery({
    queryKey: ["project-metrics", projectId, range],
    queryFn: () => fetchJson<ProjectMetrics>(`/api/monitoring/projects/${projectId}/metrics?range=${range}`),
    refetchInterval: POLL_MS[range],
  });
  const points = (data?.series ?? []).map((p) => ({ ...p, label: time(p.at) }));
  const pct = (v: number | null) => (v === null ? "-" : `${f.number(v, { maximumFractionDigits: 1 })} %`);
  const cpus = points.map((p) => p.cpuPercent).filter((v): v is number => v !== null);
  const summary = t("summary", {
    points: points.length,
    avgCpu: pct(cpus.length ? cpus.reduce((a, b) => a + b, 0) / cpus.length : null),
    peakCpu: pct(cpus.length ? Math.max(...cpus) : null),
    memory: points.length ? bytes(points.at(-1)!.memoryUsedBytes) : "-",
  });

  return (
    <Card aria-labelledby="project-utilisation">
      <CardHeader>
        <div className="flex flex-wrap items-center justify-between gap-2">
          <h2 id="project-utilisation" className="text-lg font-semibold text-slate-900">
            {t("title")}
          </h2>
          <RangePicker label={t("range")} value={range} onChange={setRange} ranges={METRIC_RANGES} />
        </div>
      </CardHeader>
      <CardBody className="space-y-4">
        {isError ? (
          <p role="alert" className="text-sm text-red-700">
            {t("error")}
          </p>
        ) : null}
        <p className="text-sm text-slate-800" data-testid="project-metrics-summary">
          {data && points.length === 0 ? t("noData") : summary}
        </p>
        <div className="grid gap-6 lg:grid-cols-2">
          <div>
            <h3 className="mb-2 text-sm font-medium text-slate-800">{t("topConsumers")}</h3>
            <div className="overflow-x-auto">
              <Table aria-label={t("topLabel")} data-testid="top-consumers">
                <thead>
                  <tr>
                    <Th>{t("machine")}</Th>
                    <Th>{t("avgCpu")}</Th>
                    <Th>{t("avgMemory")}</Th>
                  </tr>
                </thead>
                <tbody className="divide-y divide-slate-100">
                  {(data?.topConsumers ?? []).map((c) => (
                    <tr key={c.machineId}>
                      <Td>
                        <Link href={`/machines/${c.machineId}`} className="text-indigo-700 underline-offset-2 hover:underline">
                          {c.name}
                        </Link>
                      </Td>
                      <Td>
                        <span className="flex items-center gap-2">
                          <span className="inline-block h-2 w-16 overflow-hidden rounded bg-slate-200" aria-hidden>
                            <span className="block h-2 bg-indigo-600" style={{ width: `${Math.min(100, c.cpuPercent ?? 0)}%` }} />
                          </span>
                          {pct(c.cpuPercent)}
                        </span>
                      </Td>
                      <Td>{bytes(c.memoryUsedBytes)}</Td>
                    </tr>
                  ))}
                </tbody>
              </Table>
            </div>
          </div>
          <div>
            <div className="mb-2 flex items-center justify-between gap-2">
              <h3 className="text-sm font-medium text-slate-800">{t("overTime")}</h3>
              <Button type="button" size="sm" variant="secondary" aria-pressed={asTable} onClick={() => setAsTable(!asTable)}>
                {asTable ? t("showChart") : t("showTable")}
              </Button>
            </div>
            {asTable ? (
              <div className="max-h-72 overflow-auto">
                <Table aria-label={t("seriesLabel")} data-testid="project-series-table">
                  <thead>
                    <tr>
                      <Th>{t("time")}</Th>
                      <Th>{t("avgCpuSeries")}</Th>
                      <Th>{t("memorySeries")}</Th>
                      <Th>{t("machines")}</Th>
                    </tr>
                  </thead>
                  <tbody className="divide-y divide-slate-100">
                    {points.map((p) => (
                      <tr key={p.at}>
                        <Td>{p.label}</Td>
                        <Td>{pct(p.cpuPercent)}</Td>
                        <Td>{bytes(p.memoryUsedBytes)}</Td>
                        <Td>{p.machines}</Td>
                      </tr>
                    ))}
                  </tbody>
                </Table>
              </div>
            ) : points.length ? (
              <div className="space-y-3">
                <div className="h-36 w-full" aria-hidden data-testid="chart-project-cpu">
                  <ResponsiveContainer width="100%" height="100%">
                    <AreaChart accessibilityLayer={false} data={points} margin={{ top: 4, right: 8, bottom: 0, left: 0 }}>
                      <CartesianGrid vertical={false} stroke="#e2e8f0" />
                      <XAxis dataKey="label" tick={AXIS} tickLine={false} axisLine={false} interval="preserveStartEnd" minTickGap={24} />
                      <YAxis domain={[0, 100]} tick={AXIS} tickLine={false} axisLine={false} width={36} unit="%" />
                      <Tooltip formatter={(v) => pct(Number(v))} />
                      <Area type="monotone" dataKey="cpuPercent" name={t("avgCpuSeries")} stroke="#4f46e5" fill="#c7d2fe" isAnimationActive={false} connectNulls />
                    </AreaChart>
                  </ResponsiveContainer>
                </div>
                <div className="h-36 w-full" aria-hidden data-testid="chart-project-memory">
                  <ResponsiveContainer width="100%" height="100%">
                    <LineChart accessibilityLayer={false} data={points} margin={{ top: 4, right: 8, bottom: 0, left: 0 }}>
                      <CartesianGrid vertical={false} stroke="#e2e8f0" />
                      <XAxis dataKey="label" tick={AXIS} tickLine={false} axisLine={false} interval="preserveStartEnd" minTickGap={24} />
                      <YAxis tickFormatter={(v: number) => bytes(v)} tick={AXIS} tickLine={false} axisLine={false} width={80} />
                      <Tooltip formatter={(v) => bytes(Number(v))} />
                      <Line type="monotone" dataKey="memoryUsedBytes" name={t("memorySeries")} stroke="#0ea5e9" dot={false} isAnimationActive={false} />
                    </LineChart>
                  </ResponsiveContainer>
                </div>
              </div>
            ) : null}
          </div>
        </div>
      </CardBody>
    </Card>
  );
}
