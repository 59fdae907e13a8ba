"use client";
// A project's alert rules (state, last fired; edit and delete for those who may) and its alert
// history (fired/resolved with values and machine links), live: polled from
// /api/monitoring/projects/{id}/alerts, faster while something is firing.
import Link from "next/link";
import { useState } from "react";
import { useQueryClient } from "@tanstack/react-query";
import { useFormatter, useTranslations } from "next-intl";
import { toast } from "sonner";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card, CardBody, CardHeader, EmptyState } from "@/components/ui/card";
import { Dialog, DialogContent } from "@/components/ui/dialog";
import { Table, Td, Th } from "@/components/ui/table";
import { useLiveQuery } from "@/components/live/use-live-query";
import { fetchJson } from "@/components/machines/client-utils";
import { useActionErrorToast, type ClientActionResult } from "@/components/admin/action-result";
import { PERCENT_METRICS } from "@/lib/monitoring/schemas";
import type { ProjectAlerts } from "@/lib/monitoring/alert-rules";
import { AlertRuleForm, NEW_RULE } from "./alert-rule-form";

type Rule = ProjectAlerts["rules"][number];

function useValue() {
  const f = useFormatter();
  return (metric: string, v: number) => {
    if (PERCENT_METRICS.includes(metric)) return `${f.number(v, { maximumFractionDigits: 1 })} %`;
    const units = ["B/s", "KiB/s", "MiB/s", "GiB/s", "TiB/s"];
    let x = v;
    let i = 0;
    while (x >= 1024 && i < units.length - 1) {
      x /= 1024;
      i++;
    }
    return `${f.number(x, { maximumFractionDigits: x < 10 ? 1 : 0 })} ${units[i]}`;
  };
}

export function ProjectAlertsView({
  project,
  machines,
  canManage,
  initial,
  createAction,
  updateAction,
  deleteAction,
}: {
  project: { id: string; name: string };
  machines: { id: string; name: string }[];
  canManage: boolean;
  initial: ProjectAlerts;
  createAction: (input: unknown) => Promise<ClientActionResult>;
  updateAction: (input: unknown) => Promise<ClientActionResult>;
  deleteAction: (input: unknown) => Promise<ClientActionResult>;
}) {
  const t = useTranslations("alerts");
  const f = useFormatter();
  const value = useValue();
  const toastError = useActionErrorToast();
  const qc = useQueryClient();
  const key = ["project-alerts", project.id];
  const { data } = useLiveQuery<ProjectAlerts>({
    queryKey: key,
    queryFn: () => fetchJson<ProjectAlerts>(`/api/monitoring/projects/${project.id}/alerts`),
    initialData: initial,
    busy: (d) => d.rules.some((r) => r.firing > 0),
  });
  const refresh = () => qc.invalidateQueries({ queryKey: key });
  const [editing, setEditing] = useState<Rule | null>(null);
  const [deleting, setDeleting] = useState<Rule | null>(null);
  const rules = data?.rules ?? [];
  const events = data?.events ?? [];
  const when = (iso: string) => f.dateTime(new Date(iso), "long");
  const condition = (r: { metric: string; comparator: string; threshold: number; durationSeconds: number }) =>
    t("condition", { metric: t(`metrics.${r.metric}` as never), comparator: t(`comparators.${r.comparator}` as never), threshold: value(r.metric, r.threshold), minutes: Math.round(r.durationSeconds / 60) });

  return (
    <div className="space-y-6">
      <section aria-labelledby="alert-rules" className="space-y-3">
        <h2 id="alert-rules" className="text-lg font-semibold text-slate-900">
          {t("rules.title")}
        </h2>
        <p className="text-sm text-slate-600">{t("rules.help")}</p>
        {rules.length === 0 ? (
          <EmptyState title={t("rules.empty")} />
        ) : (
          <div className="overflow-x-auto">
            <Table aria-label={t("rules.label", { project: project.name })} data-testid="alert-rules">
              <thead>
                <tr>
                  <Th>{t("rules.name")}</Th>
                  <Th>{t("rules.condition")}</Th>
                  <Th>{t("rules.scope")}</Th>
                  <Th>{t("rules.notify")}</Th>
                  <Th>{t("rules.state")}</Th>
                  <Th>{t("rules.lastFired")}</Th>
                  {canManage ? <Th>{t("rules.actions")}</Th> : null}
                </tr>
              </thead>
              <tbody className="divide-y divide-slate-100">
                {rules.map((r) => (
                  <tr key={r.id} data-rule={r.name}>
                    <Td className="font-medium">{r.name}</Td>
                    <Td>{condition(r)}</Td>
                    <Td>
                      {r.machineId ? (
                        <Link href={`/machines/${r.machineId}`} className="text-indigo-700 underline-offset-2 hover:underline">
                          {r.machineName ?? t("history.deletedMachine")}
                        </Link>
                      ) : (
                        t("rules.allMachines")
                      )}
                    </Td>
                    <Td>{r.notify ? t("rules.yes") : t("rules.no")}</Td>
                    <Td>
                      {!r.enabled ? (
                        <Badge tone="gray">{t("rules.disabled")}</Badge>
                      ) : r.firing > 0 ? (
                        <Badge tone="red">{t("rules.firing", { count: r.firing })}</Badge>
                      ) : (
                        <Badge tone="green">{t("rules.ok")}</Badge>
                      )}
                    </Td>
                    <Td>{r.lastFiredAt ? when(r.lastFiredAt) : t("rules.never")}</Td>
                    {canManage ? (
                      <Td>
                        <span className="flex gap-2">
                          <Button type="button" size="sm" variant="secondary" aria-label={t("rules.editRule", { name: r.name })} onClick={() => setEditing(r)}>
                            {t("rules.edit")}
                          </Button>
                          <Button type="button" size="sm" variant="danger" aria-label={t("rules.deleteRule", { name: r.name })} onClick={() => setDeleting(r)}>
                            {t("rules.delete")}
                          </Button>
                        </span>
                      </Td>
                    ) : null}
                  </tr>
                ))}
              </tbody>
            </Table>
          </div>
        )}
      </section>

      {canManage ? (
        <Card aria-labelledby="new-alert-rule">
          <CardHeader>
            <h2 id="new-alert-rule" className="text-base font-semibold">
              {t("form.createTitle")}
            </h2>
          </CardHeader>
          <CardBody>
            <AlertRuleForm idPrefix="new-rule" machines={machines} defaultValues={NEW_RULE} submit={(v) => createAction({ ...v, projectId: project.id })} onDone={refresh} />
          </CardBody>
        </Card>
      ) : (
        <p className="text-sm text-slate-600">{t("rules.readOnly")}</p>
      )}

      <section aria-labelledby="alert-history" className="space-y-3">
        <h2 id="alert-history" className="text-lg font-semibold text-slate-900">
          {t("history.title")}
        </h2>
        <p className="text-xs text-slate-600">{t("history.live")}</p>
        {events.length === 0 ? (
          <EmptyState title={t("history.empty")} />
        ) : (
          <div className="overflow-x-auto">
            <Table aria-label={t("history.label", { project: project.name })} data-testid="alert-history">
              <thead>
                <tr>
                  <Th>{t("history.rule")}</Th>
                  <Th>{t("history.machine")}</Th>
                  <Th>{t("history.fired")}</Th>
                  <Th>{t("history.firedValue")}</Th>
                  <Th>{t("history.resolved")}</Th>
                  <Th>{t("history.resolvedValue")}</Th>
                </tr>
              </thead>
              <tbody className="divide-y divide-slate-100">
                {events.map((e) => (
                  <tr key={e.id} data-alert-rule={e.ruleName} data-state={e.resolvedAt ? "resolved" : "firing"}>
                    <Td className="font-medium">{e.ruleName}</Td>
                    <Td>
                      {e.machineName ? (
                        <Link href={`/machines/${e.machineId}`} className="text-indigo-700 underline-offset-2 hover:underline">
                          {e.machineName}
                        </Link>
                      ) : (
                        t("history.deletedMachine")
                      )}
                    </Td>
                    <Td>{when(e.firedAt)}</Td>
                    <Td>{value(e.metric, e.firedValue)}</Td>
                    <Td>{e.resolvedAt ? when(e.resolvedAt) : <Badge tone="red">{t("history.stillFiring")}</Badge>}</Td>
                    <Td>{e.resolvedValue === null ? "-" : value(e.metric, e.resolvedValue)}</Td>
                  </tr>
                ))}
              </tbody>
            </Table>
          </div>
        )}
      </section>

      <Dialog open={editing !== null} onOpenChange={(open) => (open ? null : setEditing(null))}>
        {editing ? (
          <DialogContent title={t("form.editTitle")} closeLabel={t("rules.close")} className="max-w-2xl">
            <AlertRuleForm
              key={editing.id}
              idPrefix="edit-rule"
              editing
              machines={machines}
              defaultValues={{
                name: editing.name,
                metric: editing.metric as (typeof NEW_RULE)["metric"],
                comparator: editing.comparator as (typeof NEW_RULE)["comparator"],
                threshold: editing.threshold,
                durationSeconds: editing.durationSeconds,
                machineId: editing.machineId,
                notify: editing.notify,
                enabled: editing.enabled,
              }}
              submit={(v) => updateAction({ ...v, ruleId: editing.id })}
              onDone={() => {
                setEditing(null);
                void refresh();
              }}
            />
          </DialogContent>
        ) : null}
      </Dialog>

      <Dialog open={deleting !== null} onOpenChange={(open) => (open ? null : setDeleting(null))}>
        {deleting ? (
          <DialogContent title={t("rules.deleteRule", { name: deleting.name })} description={t("rules.deleteConfirm", { name: deleting.name })} closeLabel={t("rules.close")}>
            <div className="flex justify-end gap-2">
              <Button type="button" variant="secondary" onClick={() => setDeleting(null)}>
                {t("rules.cancel")}
              </Button>
              <Button
                type="button"
                variant="danger"
                onClick={async () => {
                  const r = await deleteAction({ ruleId: deleting.id });
                  setDeleting(null);
                  if (r.ok) {
                    toast.success(t("rules.deleted"));
                    void refresh();
                  } else toastError(r.error);
                }}
              >
                {t("rules.delete")}
              </Button>
            </div>
          </DialogContent>
        ) : null}
      </Dialog>
    </div>
  );
}
