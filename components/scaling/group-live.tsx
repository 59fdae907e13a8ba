"use client";
// A scaling group's page body, polled from /api/scaling-groups/{id}: size and latest
// evaluation, the chart of desired vs actual vs metric (Recharts; decorative for assistive
// technology, the figures are given as text and in the decision log), members, the decision
// log (changes and refusals), and for approvers the edit form and the delete dialog.
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import { useQuery } from "@tanstack/react-query";
import { useFormatter, useTranslations } from "next-intl";
import { toast } from "sonner";
import { CartesianGrid, ComposedChart, Legend, Line, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { Badge, type BadgeTone } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { Dialog, DialogContent, DialogTrigger } from "@/components/ui/dialog";
import { Field, Input } from "@/components/ui/field";
import { Table, Td, Th } from "@/components/ui/table";
import { StateBadge } from "@/components/machines/state-badge";
import { useFieldMessage } from "@/components/ui/use-field-message";
import { fetchJson, fieldErrorsOf, useErrorText } from "@/components/machines/client-utils";
import type { ActionResult } from "@/lib/actions/run-action";
import type { ScalingGroupPage } from "@/lib/scaling/read-groups";
import { numberOr } from "./create-group-form";

const OUTCOME_TONE: Record<string, BadgeTone> = { HOLD: "gray", SCALED_OUT: "blue", SCALED_IN: "indigo", QUOTA_REFUSED: "red" };
const axis = { fontSize: 11, fill: "#334155" };

export function ScalingGroupLive({
  initial,
  updateAction,
  deleteAction,
}: {
  initial: ScalingGroupPage;
  updateAction: (input: unknown) => Promise<ActionResult<{ id: string; desired: number }>>;
  deleteAction: (input: unknown) => Promise<ActionResult<{ id: string; deletedMachines: number }>>;
}) {
  const t = useTranslations("scaling");
  const f = useFormatter();
  const { data } = useQuery({
    queryKey: ["scaling-group", initial.id],
    queryFn: () => fetchJson<ScalingGroupPage>(`/api/scaling-groups/${initial.id}`),
    initialData: initial,
    refetchInterval: 5000,
  });
  const g = data ?? initial;
  const actual = g.members.filter((m) => m.state !== "FAILED" && m.state !== "DELETING").length;
  const running = g.members.filter((m) => m.state === "RUNNING").length;
  const points = g.series.map((p) => ({ ...p, label: f.dateTime(new Date(p.at), { hour: "2-digit", minute: "2-digit" }) }));

  return (
    <div className="space-y-4">
      <Card>
        <CardBody>
          <dl className="grid gap-4 sm:grid-cols-4">
            <div>
              <dt className="text-xs font-medium uppercase text-slate-600">{t("size")}</dt>
              <dd className="text-2xl font-semibold text-slate-900" data-testid="group-size">
                {t("sizeValue", { running, actual, desired: g.desired })}
              </dd>
            </div>
            <div>
              <dt className="text-xs font-medium uppercase text-slate-600">{t("bounds")}</dt>
              <dd className="text-lg text-slate-900">{t("boundsValue", { min: g.minSize, max: g.maxSize })}</dd>
            </div>
            <div>
              <dt className="text-xs font-medium uppercase text-slate-600">{t("target")}</dt>
              <dd className="text-lg text-slate-900">{t("targetValue", { target: g.targetCpuPercent })}</dd>
            </div>
            <div>
              <dt className="text-xs font-medium uppercase text-slate-600">{t("latestMetric")}</dt>
              <dd className="text-lg text-slate-900">{g.latest?.metricValue != null ? t("cpuValue", { value: g.latest.metricValue }) : t("noMetric")}</dd>
            </div>
          </dl>
          {g.latest ? (
            <p className="mt-3 text-sm text-slate-700" data-testid="latest-reason">
              {t("latestEvaluation", { at: f.dateTime(new Date(g.latest.at), { hour: "2-digit", minute: "2-digit", second: "2-digit" }), reason: g.latest.reason })}
            </p>
          ) : (
            <p className="mt-3 text-sm text-slate-700">{t("notEvaluated")}</p>
          )}
        </CardBody>
      </Card>

      <Card>
        <CardHeader>
          <h2 className="text-base font-semibold">{t("chartTitle")}</h2>
        </CardHeader>
        <CardBody>
          {points.length ? (
            <div className="h-64 w-full" aria-hidden data-testid="scaling-chart">
              <ResponsiveContainer width="100%" height="100%">
                <ComposedChart accessibilityLayer={false} data={points} margin={{ top: 5, right: 10, bottom: 0, left: 0 }}>
                  <CartesianGrid strokeDasharray="3 3" stroke="#e2e8f0" />
                  <XAxis dataKey="label" tick={axis} minTickGap={24} />
                  <YAxis yAxisId="n" allowDecimals={false} tick={axis} width={32} />
                  <YAxis yAxisId="pct" orientation="right" domain={[0, 100]} tick={axis} width={36} unit="%" />
                  <Tooltip />
                  <Legend />
                  <Line yAxisId="n" type="stepAfter" dataKey="desired" name={t("series.desired")} stroke="#4f46e5" strokeWidth={2} dot={false} isAnimationActive={false} />
                  <Line yAxisId="n" type="stepAfter" dataKey="actual" name={t("series.actual")} stroke="#0f766e" strokeWidth={2} strokeDasharray="4 2" dot={false} isAnimationActive={false} />
                  <Line yAxisId="pct" type="monotone" dataKey="metric" name={t("series.metric")} stroke="#b45309" dot={false} connectNulls isAnimationActive={false} />
                </ComposedChart>
              </ResponsiveContainer>
            </div>
          ) : (
            <p className="text-sm text-slate-600">{t("noSeries")}</p>
          )}
        </CardBody>
      </Card>

      <Card>
        <CardHeader>
          <h2 className="text-base font-semibold">{t("members")}</h2>
        </CardHeader>
        <CardBody>
          {g.members.length ? (
            <Table>
              <thead>
                <tr>
                  <Th>{t("machine")}</Th>
                  <Th>{t("state")}</Th>
                  <Th>{t("ip")}</Th>
                  <Th>{t("createdAt")}</Th>
                </tr>
              </thead>
              <tbody data-testid="members">
                {g.members.map((m) => (
                  <tr key={m.id}>
                    <Td>
                      <Link href={`/machines/${m.id}`} className="font-medium text-indigo-700 hover:underline">
                        {m.name}
                      </Link>
                    </Td>
                    <Td>
                      <StateBadge state={m.state} />
                    </Td>
                    <Td>{m.ipAddress ?? "—"}</Td>
                    <Td>{f.dateTime(new Date(m.createdAt), { dateStyle: "short", timeStyle: "short" })}</Td>
                  </tr>
                ))}
              </tbody>
            </Table>
          ) : (
            <p className="text-sm text-slate-600">{t("noMembers")}</p>
          )}
        </CardBody>
      </Card>

      <Card>
        <CardHeader>
          <h2 className="text-base font-semibold">{t("decisions")}</h2>
        </CardHeader>
        <CardBody>
          {g.decisions.length ? (
            <Table>
              <thead>
                <tr>
                  <Th>{t("when")}</Th>
                  <Th>{t("outcome")}</Th>
                  <Th>{t("metric")}</Th>
                  <Th>{t("desiredChange")}</Th>
                  <Th>{t("reason")}</Th>
                </tr>
              </thead>
              <tbody data-testid="decisions">
                {g.decisions.map((d) => (
                  <tr key={d.id}>
                    <Td>{f.dateTime(new Date(d.at), { dateStyle: "short", timeStyle: "medium" })}</Td>
                    <Td>
                      <Badge tone={OUTCOME_TONE[d.outcome] ?? "gray"}>{t(`outcomes.${d.outcome}`)}</Badge>
                    </Td>
                    <Td>{d.metricValue != null ? t("cpuValue", { value: d.metricValue }) : "—"}</Td>
                    <Td>{t("desiredChangeValue", { before: d.desiredBefore, after: d.desiredAfter })}</Td>
                    <Td className="max-w-md text-xs text-slate-700">{d.reason}</Td>
                  </tr>
                ))}
              </tbody>
            </Table>
          ) : (
            <p className="text-sm text-slate-600">{t("noDecisions")}</p>
          )}
        </CardBody>
      </Card>

      {g.canManage ? <ManageGroup group={g} updateAction={updateAction} deleteAction={deleteAction} /> : null}
    </div>
  );
}

function ManageGroup({
  group,
  updateAction,
  deleteAction,
}: {
  group: ScalingGroupPage;
  updateAction: (input: unknown) => Promise<ActionResult<{ id: string; desired: number }>>;
  deleteAction: (input: unknown) => Promise<ActionResult<{ id: string; deletedMachines: number }>>;
}) {
  const t = useTranslations("scaling");
  const tc = useTranslations("common");
  const errorText = useErrorText();
  const fieldMessage = useFieldMessage();
  const router = useRouter();
  const [pending, start] = useTransition();
  const [errors, setErrors] = useState<Record<string, string[]>>({});
  const [confirm, setConfirm] = useState("");
  const [deleteError, setDeleteError] = useState<string[] | undefined>();

  return (
    <Card>
      <CardHeader>
        <h2 className="text-base font-semibold">{t("editTitle")}</h2>
      </CardHeader>
      <CardBody>
        <form
          noValidate
          className="space-y-4"
          onSubmit={(e) => {
            e.preventDefault();
            const f = new FormData(e.currentTarget);
            const input = {
              groupId: group.id,
              minSize: numberOr(f.get("minSize")),
              maxSize: numberOr(f.get("maxSize")),
              targetCpuPercent: numberOr(f.get("targetCpuPercent")),
              scaleOutCooldownSeconds: numberOr(f.get("scaleOutCooldownSeconds"), 120),
              scaleInCooldownSeconds: numberOr(f.get("scaleInCooldownSeconds"), 300),
              stepSize: numberOr(f.get("stepSize"), 1),
              windowSeconds: group.windowSeconds,
            };
            start(async () => {
              const r = await updateAction(input);
              if (r.ok) {
                setErrors({});
                toast.success(t("saved"));
                router.refresh();
              } else {
                const fields = fieldErrorsOf(r);
                setErrors(Object.fromEntries(Object.entries(fields).map(([k, v]) => [k, v.map(fieldMessage)])));
                toast.error(t("saveFailed"), Object.keys(fields).length ? undefined : { description: errorText(r.error) });
              }
            });
          }}
        >
          <div className="grid gap-4 sm:grid-cols-3">
            <Field id="edit-min" label={t("minSize")} error={errors.minSize}>
              <Input name="minSize" type="number" min={0} max={100} defaultValue={group.minSize} />
            </Field>
            <Field id="edit-max" label={t("maxSize")} error={errors.maxSize}>
              <Input name="maxSize" type="number" min={1} max={100} defaultValue={group.maxSize} />
            </Field>
            <Field id="edit-target" label={t("targetCpu")} error={errors.targetCpuPercent}>
              <Input name="targetCpuPercent" type="number" min={5} max={95} defaultValue={group.targetCpuPercent} />
            </Field>
            <Field id="edit-cool-out" label={t("scaleOutCooldown")} error={errors.scaleOutCooldownSeconds}>
              <Input name="scaleOutCooldownSeconds" type="number" min={0} defaultValue={group.scaleOutCooldownSeconds} />
            </Field>
            <Field id="edit-cool-in" label={t("scaleInCooldown")} error={errors.scaleInCooldownSeconds}>
              <Input name="scaleInCooldownSeconds" type="number" min={0} defaultValue={group.scaleInCooldownSeconds} />
            </Field>
            <Field id="edit-step" label={t("stepSize")} error={errors.stepSize}>
              <Input name="stepSize" type="number" min={1} max={10} defaultValue={group.stepSize} />
            </Field>
          </div>
          <div className="flex flex-wrap gap-3">
            <Button type="submit" disabled={pending}>
              {t("save")}
            </Button>
            <Dialog>
              <DialogTrigger asChild>
                <Button type="button" variant="danger">
                  {t("delete")}
                </Button>
              </DialogTrigger>
              <DialogContent title={t("deleteTitle", { name: group.name })} description={t("deleteHelp", { count: group.members.length })} closeLabel={tc("close")}>
                <Field id="delete-confirm" label={t("deleteConfirm", { name: group.name })} error={deleteError}>
                  <Input value={confirm} onChange={(e) => setConfirm(e.target.value)} autoComplete="off" />
                </Field>
                <Button
                  type="button"
                  variant="danger"
                  className="mt-4"
                  disabled={pending || confirm.trim() !== group.name}
                  onClick={() =>
                    start(async () => {
                      const r = await deleteAction({ groupId: group.id, confirmName: confirm });
                      if (r.ok) {
                        toast.success(t("deleted", { count: r.data.deletedMachines }));
                        router.push("/scaling");
                      } else {
                        setDeleteError(fieldErrorsOf(r).confirmName?.map(fieldMessage));
                        toast.error(t("deleteFailed"), { description: errorText(r.error) });
                      }
                    })
                  }
                >
                  {t("deleteNow")}
                </Button>
              </DialogContent>
            </Dialog>
          </div>
        </form>
      </CardBody>
    </Card>
  );
}
