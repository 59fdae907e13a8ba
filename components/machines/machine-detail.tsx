"use client";
import Link from "next/link";
import { useQuery } from "@tanstack/react-query";
import { useFormatter, useTranslations } from "next-intl";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import type { MachineDetail } from "@/lib/machines/views";
import { StateBadge } from "./state-badge";
import { MachineActions } from "./machine-actions";
import { FailureNotice, OperationProgress } from "./operation-status";
import { OperationTimeline } from "./operation-timeline";
import { SnapshotsPanel } from "./snapshots-panel";
import { MachineMetricsPanel } from "@/components/monitoring/machine-metrics";
import { LeasePanel } from "./lease-panel";
import { DetailsPanel } from "./details-panel";
import { ConsolePanel } from "@/components/console/console-panel";
import { AvailabilityPanel, SchedulesPanel } from "./schedules-panel";
import { fetchJson, GiB } from "./client-utils";
import { FAST_POLL_MS, SLOW_POLL_MS } from "./machine-list";
import { ConnectionPanel } from "@/components/access/connection-panel";

/** The machine page body, kept live by polling its route handler (fast while an operation runs). */
export function MachineDetailView({ initial, currency }: { initial: MachineDetail; currency: string }) {
  const t = useTranslations("machines");
  const tc = useTranslations("common");
  const format = useFormatter();
  const { data: m, isError } = useQuery({
    queryKey: ["machine", initial.id],
    queryFn: () => fetchJson<MachineDetail>(`/api/machines/${initial.id}`),
    initialData: initial,
    refetchInterval: (q) => (q.state.data?.busy ? FAST_POLL_MS : SLOW_POLL_MS),
  });

  const rows: [string, React.ReactNode][] = [
    [t("detail.offering"), <>
      {m.offering.name}
      <span className="block text-xs text-slate-600">
        {t("detail.size", { vcpu: m.offering.vcpu, memory: GiB(m.offering.memoryMb), disk: m.offering.diskGb, tier: m.offering.diskTier })}
      </span>
    </>],
    [t("detail.price"), format.number(m.offering.monthlyPriceCents / 100, { style: "currency", currency })],
    [t("detail.template"), `${m.template.osName} ${m.template.osVersion}`],
    [t("detail.project"), m.project.name],
    [t("detail.provider"), m.provider ? `${m.provider.name} (${tc(`providerKinds.${m.provider.kind}`)})` : t("detail.notPlaced")],
    [t("detail.host"), m.hostName ?? t("detail.notPlaced")],
    [t("detail.ip"), m.ipAddress ? <span className="font-mono">{m.ipAddress}</span> : t("detail.noIp")],
    [t("detail.owner"), `${m.owner.name} (${m.owner.email})`],
    [t("detail.created"), format.dateTime(new Date(m.createdAt), "long")],
    ...(m.requestNumber
      ? ([[t("detail.request"), <Link key="request" href={`/requests/${m.requestNumber}`} className="text-indigo-700 hover:underline">{t("detail.requestLink", { number: m.requestNumber })}</Link>]] as [string, React.ReactNode][])
      : []),
  ];

  return (
    <>
      <nav className="mb-2 text-sm">
        <Link href="/machines" className="text-indigo-700 hover:underline">
          ← {t("detail.back")}
        </Link>
      </nav>
      <div className="mb-4 flex flex-col gap-3 sm:flex-row sm:items-start sm:justify-between">
        <div>
          <h1 className="flex flex-wrap items-center gap-3 text-2xl font-semibold text-slate-900">
            <span>{m.name}</span>
            <StateBadge state={m.state} id="machine-state" />
          </h1>
          {isError ? (
            <p role="alert" className="mt-1 text-sm text-red-700">
              {t("live.error")}
            </p>
          ) : null}
        </div>
        <section aria-label={t("detail.actions")}>
          <MachineActions machine={m} currency={currency} />
        </section>
      </div>
      {m.state === "DELETED" ? <p className="mb-4 text-sm text-slate-600">{t("detail.deletedNote")}</p> : null}
      {m.currentOperation ? <OperationProgress op={m.currentOperation} /> : null}
      <FailureNotice machine={m} />
      <div className="grid gap-4 lg:grid-cols-3">
        <div className="space-y-4 lg:col-span-2">
          <Card>
            <CardHeader>
              <h2 className="text-base font-semibold text-slate-900">{t("detail.overview")}</h2>
            </CardHeader>
            <CardBody>
              <dl className="grid gap-x-6 gap-y-3 text-sm sm:grid-cols-2">
                {rows.map(([k, v]) => (
                  <div key={k}>
                    <dt className="text-xs font-medium uppercase tracking-wide text-slate-500">{k}</dt>
                    <dd className="mt-0.5 text-slate-900">{v}</dd>
                  </div>
                ))}
              </dl>
            </CardBody>
          </Card>
          {m.state !== "DELETED" ? <SchedulesPanel machine={m} /> : null}
          {m.provider ? <MachineMetricsPanel machineId={m.id} running={m.state === "RUNNING"} /> : null}
          <OperationTimeline operations={m.operations} />
        </div>
        <div className="space-y-4">
          {m.state !== "DELETED" ? <DetailsPanel key={`${m.name}:${m.version}`} machine={m} /> : null}
          {m.state !== "DELETED" ? <ConnectionPanel machine={m} /> : null}
          <LeasePanel machine={m} />
          {m.state !== "DELETED" ? <ConsolePanel machine={m} /> : null}
          {m.state !== "DELETED" ? <SnapshotsPanel machine={m} /> : null}
          {m.state !== "DELETED" ? <AvailabilityPanel machine={m} /> : null}
        </div>
      </div>
    </>
  );
}
