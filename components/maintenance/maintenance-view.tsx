"use client";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useFormatter, useTranslations } from "next-intl";
import { useState, useTransition } from "react";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { Field, Input, NativeSelect, Textarea } from "@/components/ui/field";
import { Table, Td, Th } from "@/components/ui/table";
import type { MaintenanceOverview } from "@/lib/maintenance/get-maintenance-overview";
import { fetchJson, fieldErrorsOf, useActionToast } from "@/components/machines/client-utils";
import {
  cancelMaintenanceWindowAction,
  confirmHostFencedAction,
  createMaintenanceWindowAction,
  returnHostToServiceAction,
  setHostMaintenanceAction,
  setSimHostHealthAction,
} from "@/app/(portal)/admin/maintenance/actions";
import { MaintenanceCalendar } from "./calendar";

const POLL_FAST = 1500;
const POLL_SLOW = 10_000;

/** The maintenance page body, polled (fast while a drain runs or a host failure is open). */
export function MaintenanceView({ initial }: { initial: MaintenanceOverview }) {
  const t = useTranslations("maintenance");
  const format = useFormatter();
  const qc = useQueryClient();
  const key = ["maintenance", initial.month];
  const { data } = useQuery({
    queryKey: key,
    queryFn: () => fetchJson<MaintenanceOverview>(`/api/maintenance?month=${initial.month}`),
    initialData: initial,
    refetchInterval: (q) => (q.state.data?.drains.some((d) => d.status === "RUNNING") || q.state.data?.incidents.some((i) => i.status !== "RESOLVED") ? POLL_FAST : POLL_SLOW),
  });
  const refresh = () => qc.invalidateQueries({ queryKey: key });
  const run = useActionToast();
  const [pending, startTransition] = useTransition();
  const act = (call: () => Promise<unknown>) => startTransition(async () => {
    await call();
    await refresh();
  });
  const when = (iso: string) => format.dateTime(new Date(iso), { dateStyle: "medium", timeStyle: "short" });
  const [hostId, setHostId] = useState(data.hosts[0]?.id ?? "");
  const host = data.hosts.find((h) => h.id === hostId);
  const hostName = host?.name ?? "";

  return (
    <div className="space-y-6">
      <div className="grid gap-4 lg:grid-cols-3">
        <Card className="lg:col-span-2">
          <CardBody>
            <MaintenanceCalendar month={data.month} windows={data.windows} today={data.now.slice(0, 10)} />
          </CardBody>
        </Card>
        <WindowForm data={data} onDone={refresh} />
      </div>

      <Card>
        <CardHeader>
          <h2 className="text-base font-semibold text-slate-900">{t("windows.title")}</h2>
        </CardHeader>
        <CardBody>
          {data.windows.length === 0 ? (
            <p className="text-sm text-slate-600">{t("windows.empty")}</p>
          ) : (
            <Table>
              <thead>
                <tr>
                  <Th>{t("windows.where")}</Th>
                  <Th>{t("windows.when")}</Th>
                  <Th>{t("windows.reason")}</Th>
                  <Th>{t("windows.status")}</Th>
                  <Th>{t("windows.actions")}</Th>
                </tr>
              </thead>
              <tbody className="divide-y divide-slate-100">
                {data.windows.map((w) => (
                  <tr key={w.id} data-window={w.where}>
                    <Td className="font-medium">
                      {w.where} <span className="text-xs text-slate-500">({t(`windows.kinds.${w.kind}`)})</span>
                    </Td>
                    <Td>
                      {when(w.startsAt)} – {when(w.endsAt)}
                    </Td>
                    <Td>{w.reason}</Td>
                    <Td>
                      <Badge tone={w.status === "ACTIVE" ? "yellow" : w.status === "SCHEDULED" ? "blue" : "gray"}>{t(`windows.statuses.${w.status}`)}</Badge>
                      {w.notified ? <span className="ml-2 text-xs text-slate-600">{t("windows.notified")}</span> : null}
                    </Td>
                    <Td>
                      {w.status === "SCHEDULED" ? (
                        <Button
                          size="sm"
                          variant="ghost"
                          disabled={pending}
                          aria-label={t("windows.cancelLabel", { where: w.where })}
                          onClick={() => act(() => run(cancelMaintenanceWindowAction({ windowId: w.id }), { success: t("windows.cancelled"), failure: t("failed") }))}
                        >
                          {t("windows.cancel")}
                        </Button>
                      ) : null}
                    </Td>
                  </tr>
                ))}
              </tbody>
            </Table>
          )}
        </CardBody>
      </Card>

      <Card>
        <CardHeader>
          <h2 className="text-base font-semibold text-slate-900">{t("hosts.title")}</h2>
          <p className="text-sm text-slate-600">{t("hosts.description")}</p>
        </CardHeader>
        <CardBody className="flex flex-wrap items-end gap-2">
          <Field id="m-host" label={t("hosts.host")} className="min-w-64">
            <NativeSelect value={hostId} onChange={(e) => setHostId(e.target.value)}>
              {data.hosts.map((h) => (
                <option key={h.id} value={h.id}>
                  {h.provider} / {h.name} ({t(`hosts.states.${h.state}`)})
                </option>
              ))}
            </NativeSelect>
          </Field>
          {host?.state === "ACTIVE" ? (
            <Button disabled={pending} onClick={() => act(() => run(setHostMaintenanceAction({ hostId, maintenance: true }), { success: t("hosts.draining", { name: hostName }), failure: t("failed") }))}>
              {t("hosts.drain")}
            </Button>
          ) : null}
          {host?.state === "MAINTENANCE" ? (
            <Button variant="secondary" disabled={pending} onClick={() => act(() => run(setHostMaintenanceAction({ hostId, maintenance: false }), { success: t("hosts.inService", { name: hostName }), failure: t("failed") }))}>
              {t("hosts.leave")}
            </Button>
          ) : null}
          {host?.state === "FAILED" ? (
            <Button variant="secondary" disabled={pending} onClick={() => act(() => run(returnHostToServiceAction({ hostId }), { success: t("hosts.inService", { name: hostName }), failure: t("failed") }))}>
              {t("hosts.returnToService")}
            </Button>
          ) : null}
          <Button variant="danger" disabled={pending} onClick={() => act(() => run(setSimHostHealthAction({ hostId, down: true, mode: "PARTITION" }), { success: t("hosts.failedOnPurpose", { name: hostName }), failure: t("failed") }))}>
            {t("hosts.fail")}
          </Button>
          <Button variant="ghost" disabled={pending} onClick={() => act(() => run(setSimHostHealthAction({ hostId, down: false }), { success: t("hosts.healed", { name: hostName }), failure: t("failed") }))}>
            {t("hosts.heal")}
          </Button>
        </CardBody>
      </Card>

      <section aria-labelledby="drains-title" className="space-y-3">
        <h2 id="drains-title" className="text-base font-semibold text-slate-900">
          {t("drains.title")}
        </h2>
        {data.drains.length === 0 ? <p className="text-sm text-slate-600">{t("drains.empty")}</p> : null}
        {data.drains.map((d) => {
          const moved = d.movedLive + d.movedCold;
          const total = Math.max(d.machinesAtStart, moved + d.remaining);
          return (
            <Card key={d.id} data-drain={d.host.name}>
              <CardBody className="space-y-2">
                <div className="flex flex-wrap items-center justify-between gap-2">
                  <p className="font-medium text-slate-900">
                    {d.host.name} <Badge tone={d.status === "RUNNING" ? "blue" : d.status === "COMPLETED" ? "green" : "gray"}>{t(`drains.statuses.${d.status}`)}</Badge>
                  </p>
                  <p className="text-xs text-slate-600">
                    {t("drains.started", { date: when(d.startedAt) })}
                    {d.finishedAt ? ` · ${t("drains.finished", { date: when(d.finishedAt) })}` : ""}
                  </p>
                </div>
                <progress className="h-2 w-full" max={Math.max(total, 1)} value={moved} aria-label={t("drains.progressLabel", { name: d.host.name })} />
                <p className="text-sm text-slate-700" role="status">
                  {t("drains.counts", { moved, total, live: d.movedLive, cold: d.movedCold, remaining: d.remaining, failed: d.failedMoves })}
                </p>
                {d.moves.length ? (
                  <ul className="grid gap-1 text-xs sm:grid-cols-2">
                    {d.moves.map((o) => (
                      <li key={o.id} className="flex justify-between gap-2 rounded bg-slate-50 px-2 py-1">
                        <span className="font-mono">{o.machine.name}</span>
                        <span>
                          {t(`drains.moveStatus.${o.status}`)}
                          {o.mode ? ` · ${t(`drains.modes.${o.mode}`)}` : ""}
                          {o.status === "RUNNING" || o.status === "QUEUED" ? ` · ${o.progress}%` : ""}
                        </span>
                      </li>
                    ))}
                  </ul>
                ) : null}
                {d.status === "RUNNING" && d.blocked.length ? (
                  <ul className="space-y-0.5 text-xs text-amber-800">
                    {d.blocked.map((b) => (
                      <li key={b.machineId}>
                        {b.name}: {t(`drains.blocked.${b.reason}`, { until: b.until ? when(b.until) : "", detail: b.detail ?? "" })}
                      </li>
                    ))}
                  </ul>
                ) : null}
              </CardBody>
            </Card>
          );
        })}
      </section>

      <section aria-labelledby="incidents-title" className="space-y-3">
        <h2 id="incidents-title" className="text-base font-semibold text-slate-900">
          {t("incidents.title")}
        </h2>
        {data.incidents.length === 0 ? <p className="text-sm text-slate-600">{t("incidents.empty")}</p> : null}
        {data.incidents.map((i) => (
          <Card key={i.id} data-incident={i.host.name}>
            <CardBody className="flex flex-wrap items-center justify-between gap-2">
              <div>
                <p className="font-medium text-slate-900">
                  {i.host.name} <Badge tone={i.status === "RESOLVED" ? "gray" : i.status === "FENCED" ? "yellow" : "red"}>{t(`incidents.statuses.${i.status}`)}</Badge>
                </p>
                <p className="text-xs text-slate-600" role="status">
                  {t("incidents.detail", { reason: i.reason, date: when(i.detectedAt), ha: i.haMachines, other: i.otherMachines })}
                  {i.fencedAt ? ` · ${t("incidents.fencedAt", { date: when(i.fencedAt) })}` : ""}
                </p>
              </div>
              {i.status === "DETECTED" ? (
                <Button size="sm" variant="secondary" disabled={pending} onClick={() => act(() => run(confirmHostFencedAction({ incidentId: i.id }), { success: t("incidents.confirmed"), failure: t("failed") }))}>
                  {t("incidents.confirmFenced")}
                </Button>
              ) : null}
            </CardBody>
          </Card>
        ))}
      </section>
    </div>
  );
}

function WindowForm({ data, onDone }: { data: MaintenanceOverview; onDone: () => Promise<unknown> }) {
  const t = useTranslations("maintenance");
  const run = useActionToast();
  const [errors, setErrors] = useState<Record<string, string[]>>({});
  const [pending, startTransition] = useTransition();
  const submit = (e: React.FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const f = new FormData(e.currentTarget);
    const form = e.currentTarget;
    const target = String(f.get("target") ?? "");
    const [kind, id] = target.split(":");
    // datetime-local is the browser's local time: sent as an instant.
    const at = (name: string) => (f.get(name) ? new Date(String(f.get(name))).toISOString() : "");
    startTransition(async () => {
      const r = await run(
        createMaintenanceWindowAction({ hostId: kind === "host" ? id : undefined, providerId: kind === "provider" ? id : undefined, startsAt: at("startsAt"), endsAt: at("endsAt"), reason: f.get("reason") }),
        { success: t("form.created"), failure: t("failed") },
      );
      setErrors(fieldErrorsOf(r));
      if (r.ok) form.reset();
      await onDone();
    });
  };
  const err = (k: string) => (errors[k]?.length ? t("form.invalid") : null);
  return (
    <Card>
      <CardHeader>
        <h2 className="text-base font-semibold text-slate-900">{t("form.title")}</h2>
      </CardHeader>
      <CardBody>
        <form onSubmit={submit} className="space-y-3" noValidate>
          <Field id="w-target" label={t("form.target")} error={err("hostId")}>
            <NativeSelect name="target" defaultValue="">
              <option value="" disabled>
                {t("form.choose")}
              </option>
              <optgroup label={t("form.hosts")}>
                {data.hosts.map((h) => (
                  <option key={h.id} value={`host:${h.id}`}>
                    {h.provider} / {h.name}
                  </option>
                ))}
              </optgroup>
              <optgroup label={t("form.providers")}>
                {data.providers.map((p) => (
                  <option key={p.id} value={`provider:${p.id}`}>
                    {p.name}
                  </option>
                ))}
              </optgroup>
            </NativeSelect>
          </Field>
          <Field id="w-start" label={t("form.startsAt")} error={err("startsAt")}>
            <Input type="datetime-local" name="startsAt" />
          </Field>
          <Field id="w-end" label={t("form.endsAt")} error={err("endsAt")}>
            <Input type="datetime-local" name="endsAt" />
          </Field>
          <Field id="w-reason" label={t("form.reason")} error={err("reason")}>
            <Textarea name="reason" rows={2} maxLength={500} />
          </Field>
          <Button type="submit" disabled={pending}>
            {t("form.submit")}
          </Button>
        </form>
      </CardBody>
    </Card>
  );
}
