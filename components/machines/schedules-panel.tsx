"use client";
// The machine page's Schedules panel (operations on a cron schedule in the project's time
// zone: "stop at 20:00 on weekdays", "start at 07:00", "snapshot nightly") and Availability
// panel (the HA flag and the owner's stop window for cold moves). Both read
// /api/machines/<id>/schedules (next and last runs change by themselves) and change through
// the machine page's server actions, which call the same verbs as the API.
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useFormatter, useTranslations } from "next-intl";
import { useState, useTransition } from "react";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { Dialog, DialogContent, DialogTrigger } from "@/components/ui/dialog";
import { Field, Input, NativeSelect } from "@/components/ui/field";
import { Table, Td, Th } from "@/components/ui/table";
import type { MachineDetail } from "@/lib/machines/views";
import type { SchedulesView } from "@/lib/schedules/list-schedules";
import { SCHEDULE_ACTIONS, type ScheduleAction } from "@/lib/schedules/actions";
import { hasCapability } from "@/lib/machines/capabilities";
import { buildCron, CRON_DAYS, describeCron, type CronDays } from "@/lib/schedules/cron-builder";
import { createScheduleAction, deleteScheduleAction, setMachineAvailabilityAction, setScheduleEnabledAction } from "@/app/(portal)/machines/[id]/actions";
import { fetchJson, fieldErrorsOf, useActionToast } from "./client-utils";

const key = (machineId: string) => ["machine-schedules", machineId];

function useSchedules(machineId: string) {
  return useQuery({
    queryKey: key(machineId),
    queryFn: () => fetchJson<SchedulesView>(`/api/machines/${machineId}/schedules`),
    refetchInterval: 30_000,
  });
}

/** "Weekdays at 20:00", or the cron expression itself when the form did not make it. */
function useWhen() {
  const t = useTranslations("schedules");
  return (cron: string) => {
    const d = describeCron(cron);
    return d ? t(`when.${d.days}`, { time: d.time }) : cron;
  };
}

type WhenMode = CronDays | "custom";

/** Every day / weekdays / weekends at a time, or a cron expression; yields the expression (null: not valid yet). */
function WhenFields({ idPrefix, mode, setMode, time, setTime, cron, setCron, error, timeZone }: {
  idPrefix: string;
  mode: WhenMode;
  setMode: (m: WhenMode) => void;
  time: string;
  setTime: (v: string) => void;
  cron: string;
  setCron: (v: string) => void;
  error: string | null;
  timeZone: string;
}) {
  const t = useTranslations("schedules");
  return (
    <>
      <Field id={`${idPrefix}-days`} label={t("fields.days")}>
        <NativeSelect value={mode} onChange={(e) => setMode(e.target.value as WhenMode)}>
          {CRON_DAYS.map((d) => (
            <option key={d} value={d}>
              {t(`days.${d}`)}
            </option>
          ))}
          <option value="custom">{t("days.custom")}</option>
        </NativeSelect>
      </Field>
      {mode === "custom" ? (
        <Field id={`${idPrefix}-cron`} label={t("fields.cron")} hint={t("fields.cronHint", { tz: timeZone })} error={error}>
          <Input value={cron} onChange={(e) => setCron(e.target.value)} className="font-mono" spellCheck={false} autoComplete="off" maxLength={100} />
        </Field>
      ) : (
        <Field id={`${idPrefix}-time`} label={t("fields.time")} hint={t("fields.timeHint", { tz: timeZone })} error={error}>
          <Input type="time" value={time} onChange={(e) => setTime(e.target.value)} required step={60} />
        </Field>
      )}
    </>
  );
}

export function SchedulesPanel({ machine }: { machine: MachineDetail }) {
  const t = useTranslations("schedules");
  const tm = useTranslations("machines");
  const format = useFormatter();
  const { data, isError } = useSchedules(machine.id);
  const when = useWhen();
  const at = (iso: string | null) => (iso ? format.dateTime(new Date(iso), "long") : "–");

  return (
    <Card>
      <CardHeader>
        <h2 className="text-base font-semibold text-slate-900" id="schedules-title">
          {t("title")}
        </h2>
        {data?.timeZone ? <p className="mt-0.5 text-xs text-slate-600">{t("timeZoneNote", { tz: data.timeZone })}</p> : null}
      </CardHeader>
      <CardBody className="space-y-4">
        {isError ? (
          <p role="alert" className="text-sm text-red-700">
            {tm("live.error")}
          </p>
        ) : !data ? (
          <p className="text-sm text-slate-600" role="status">
            {t("loading")}
          </p>
        ) : (
          <>
            {data.items.length === 0 ? (
              <p className="text-sm text-slate-600">{t("empty")}</p>
            ) : (
              <Table aria-labelledby="schedules-title">
                <thead>
                  <tr>
                    <Th>{t("columns.name")}</Th>
                    <Th>{t("columns.action")}</Th>
                    <Th>{t("columns.when")}</Th>
                    <Th>{t("columns.next")}</Th>
                    <Th>{t("columns.last")}</Th>
                    <Th>{t("columns.enabled")}</Th>
                    <Th>
                      <span className="sr-only">{t("columns.manage")}</span>
                    </Th>
                  </tr>
                </thead>
                <tbody className="divide-y divide-slate-100">
                  {data.items.map((s) => (
                    <tr key={s.id} data-schedule={s.name}>
                      <Td className="font-medium">
                        {s.name}
                        {s.scope === "project" ? <span className="block text-xs font-normal text-slate-600">{t("projectWide", { project: s.project })}</span> : null}
                      </Td>
                      <Td>
                        {tm(`kinds.${s.action}`)}
                        {s.keep ? <span className="block text-xs text-slate-600">{t("keepShort", { n: s.keep })}</span> : null}
                      </Td>
                      <Td>
                        {when(s.cron)}
                        <span className="block font-mono text-xs text-slate-600">{s.cron}</span>
                      </Td>
                      <Td>{s.enabled ? at(s.nextRunAt) : <Badge tone="gray">{t("paused")}</Badge>}</Td>
                      <Td>
                        {at(s.lastRunAt)}
                        {s.firings[0]?.outcome === "MISSED" ? <span className="block text-xs text-amber-800">{t("missed")}</span> : null}
                      </Td>
                      <Td>
                        <EnabledSwitch machineId={machine.id} schedule={s} />
                      </Td>
                      <Td>{s.canManage ? <DeleteSchedule machineId={machine.id} schedule={s} /> : null}</Td>
                    </tr>
                  ))}
                </tbody>
              </Table>
            )}
            {data.canManage && machine.state !== "DELETED" ? <NewSchedule machine={machine} data={data} /> : null}
          </>
        )}
      </CardBody>
    </Card>
  );
}

function EnabledSwitch({ machineId, schedule }: { machineId: string; schedule: SchedulesView["items"][number] }) {
  const t = useTranslations("schedules");
  const run = useActionToast();
  const qc = useQueryClient();
  const [pending, startTransition] = useTransition();
  const toggle = () =>
    startTransition(async () => {
      const enabled = !schedule.enabled;
      await run(setScheduleEnabledAction({ scheduleId: schedule.id, enabled }), {
        success: t(enabled ? "resumed" : "pausedToast", { name: schedule.name }),
        failure: t("failed"),
      });
      await qc.invalidateQueries({ queryKey: key(machineId) });
    });
  return (
    <button
      type="button"
      role="switch"
      aria-checked={schedule.enabled}
      aria-label={t("enabledLabel", { name: schedule.name })}
      disabled={!schedule.canManage || pending}
      onClick={toggle}
      className="inline-flex items-center gap-2 rounded-md text-sm text-slate-800 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-600 disabled:cursor-not-allowed disabled:opacity-60"
    >
      <span aria-hidden className={`relative inline-block h-5 w-9 rounded-full transition-colors ${schedule.enabled ? "bg-indigo-600" : "bg-slate-300"}`}>
        <span className={`absolute top-0.5 h-4 w-4 rounded-full bg-white shadow transition-all ${schedule.enabled ? "left-4.5" : "left-0.5"}`} />
      </span>
      <span>{schedule.enabled ? t("on") : t("off")}</span>
    </button>
  );
}

function DeleteSchedule({ machineId, schedule }: { machineId: string; schedule: SchedulesView["items"][number] }) {
  const t = useTranslations("schedules");
  const tc = useTranslations("common");
  const run = useActionToast();
  const qc = useQueryClient();
  const [open, setOpen] = useState(false);
  const [pending, startTransition] = useTransition();
  const label = t("deleteLabel", { name: schedule.name });
  const confirm = () =>
    startTransition(async () => {
      const r = await run(deleteScheduleAction({ scheduleId: schedule.id }), { success: t("deleted", { name: schedule.name }), failure: t("failed") });
      if (r.ok) setOpen(false);
      await qc.invalidateQueries({ queryKey: key(machineId) });
    });
  return (
    <Dialog open={open} onOpenChange={setOpen}>
      <DialogTrigger asChild>
        <Button size="sm" variant="ghost" aria-label={label}>
          {t("delete")}
        </Button>
      </DialogTrigger>
      <DialogContent title={t("deleteTitle", { name: schedule.name })} description={schedule.scope === "project" ? t("deleteProjectWide", { project: schedule.project }) : t("deleteBody")} closeLabel={tc("close")}>
        <div className="flex justify-end gap-2">
          <Button type="button" variant="ghost" onClick={() => setOpen(false)}>
            {tc("cancel")}
          </Button>
          <Button type="button" variant="danger" disabled={pending} onClick={confirm} aria-label={label}>
            {t("delete")}
          </Button>
        </div>
      </DialogContent>
    </Dialog>
  );
}

/** Why an action cannot be scheduled on this machine (its provider, or the project's policy), or null. */
function unavailable(machine: MachineDetail, action: ScheduleAction): "capability" | "disabled" | null {
  const why = machine.actions[action as keyof MachineDetail["actions"]];
  return why === "capability" || why === "disabled" ? why : null;
}

function NewSchedule({ machine, data }: { machine: MachineDetail; data: SchedulesView }) {
  const t = useTranslations("schedules");
  const tm = useTranslations("machines");
  const run = useActionToast();
  const qc = useQueryClient();
  const when = useWhen();
  const choices = SCHEDULE_ACTIONS.filter((a) => !unavailable(machine, a) && (a !== "BACKUP" || data.targets.length > 0));
  const [action, setAction] = useState<ScheduleAction>(choices.includes("STOP") ? "STOP" : (choices[0] ?? "STOP"));
  const [mode, setMode] = useState<WhenMode>("weekdays");
  const [time, setTime] = useState("20:00");
  const [cron, setCron] = useState("0 2 * * *");
  const [name, setName] = useState("");
  const [targetId, setTargetId] = useState(data.targets[0]?.id ?? "");
  const [keep, setKeep] = useState("7");
  const [errors, setErrors] = useState<Record<string, string[]>>({});
  const [pending, startTransition] = useTransition();
  if (choices.length === 0) return null;

  const expression = mode === "custom" ? cron.trim() : buildCron(mode, time);
  const suggested = expression ? t("suggestedName", { action: tm(`kinds.${action}`), when: when(expression) }) : "";
  const err = (f: string) => (errors[f]?.length ? t(`errors.${f}`) : null);

  const submit = (e: React.FormEvent) => {
    e.preventDefault();
    if (!expression) return setErrors({ cron: ["invalid"] });
    startTransition(async () => {
      const finalName = (name.trim() || suggested).slice(0, 100);
      const r = await run(
        createScheduleAction({
          machineId: machine.id,
          name: finalName,
          action,
          cron: expression,
          ...(action === "BACKUP" ? { targetId } : {}),
          ...(action === "SNAPSHOT_CREATE" && keep ? { keep } : {}),
        }),
        { success: t("created", { name: finalName }), failure: t("failed") },
      );
      setErrors(fieldErrorsOf(r));
      if (r.ok) setName("");
      await qc.invalidateQueries({ queryKey: key(machine.id) });
    });
  };

  return (
    <form onSubmit={submit} noValidate aria-labelledby="new-schedule-title" className="space-y-3 border-t border-slate-100 pt-4">
      <h3 id="new-schedule-title" className="text-sm font-semibold text-slate-900">
        {t("new")}
      </h3>
      <div className="grid gap-3 sm:grid-cols-[minmax(0,1fr)_minmax(0,2fr)_minmax(0,1fr)]">
        <Field id="schedule-action" label={t("fields.action")} error={err("action")}>
          <NativeSelect value={action} onChange={(e) => setAction(e.target.value as ScheduleAction)}>
            {choices.map((a) => (
              <option key={a} value={a}>
                {tm(`kinds.${a}`)}
              </option>
            ))}
          </NativeSelect>
        </Field>
        <WhenFields idPrefix="schedule" mode={mode} setMode={setMode} time={time} setTime={setTime} cron={cron} setCron={setCron} error={err("cron")} timeZone={data.timeZone ?? "UTC"} />
        {action === "BACKUP" ? (
          <Field id="schedule-target" label={t("fields.target")} error={err("targetId")}>
            <NativeSelect value={targetId} onChange={(e) => setTargetId(e.target.value)}>
              {data.targets.map((x) => (
                <option key={x.id} value={x.id}>
                  {x.name}
                </option>
              ))}
            </NativeSelect>
          </Field>
        ) : null}
        {action === "SNAPSHOT_CREATE" ? (
          <Field id="schedule-keep" label={t("fields.keep")} hint={t("fields.keepHint")} error={err("keep")}>
            <Input type="number" inputMode="numeric" min={1} max={100} value={keep} onChange={(e) => setKeep(e.target.value)} />
          </Field>
        ) : null}
        <Field id="schedule-name" label={t("fields.name")} hint={t("fields.nameHint")} error={err("name")} className="sm:col-span-2">
          <Input value={name} onChange={(e) => setName(e.target.value)} placeholder={suggested} maxLength={100} autoComplete="off" />
        </Field>
      </div>
      <div className="flex flex-wrap items-center gap-3">
        <Button type="submit" variant="secondary" disabled={pending}>
          {t("submit")}
        </Button>
        {expression ? <p className="font-mono text-xs text-slate-600">{expression}</p> : null}
      </div>
      {SCHEDULE_ACTIONS.some((a) => unavailable(machine, a)) ? (
        <p className="text-xs text-slate-600">
          {t("notOffered", {
            actions: SCHEDULE_ACTIONS.filter((a) => unavailable(machine, a))
              .map((a) => tm(`kinds.${a}`))
              .join(", "),
          })}
        </p>
      ) : null}
    </form>
  );
}

/** The HA flag and the stop window a drain may use to stop the machine for a cold move. */
export function AvailabilityPanel({ machine }: { machine: MachineDetail }) {
  const t = useTranslations("schedules");
  const format = useFormatter();
  const { data } = useSchedules(machine.id);
  return (
    <Card>
      <CardHeader>
        <h2 className="text-base font-semibold text-slate-900">{t("availability.title")}</h2>
      </CardHeader>
      <CardBody className="space-y-3">
        {!data?.availability ? (
          <p className="text-sm text-slate-600" role="status">
            {t("loading")}
          </p>
        ) : (
          <AvailabilityForm
            key={`${data.availability.highlyAvailable}-${data.availability.stopWindowCron}-${data.availability.stopWindowMinutes}`}
            machine={machine}
            availability={data.availability}
            timeZone={data.timeZone ?? "UTC"}
            status={
              data.availability.stopWindow
                ? data.availability.stopWindow.open
                  ? t("availability.openNow", { until: format.dateTime(new Date(data.availability.stopWindow.closesAt!), "long") })
                  : data.availability.stopWindow.opensAt
                    ? t("availability.opens", { at: format.dateTime(new Date(data.availability.stopWindow.opensAt), "long") })
                    : null
                : null
            }
          />
        )}
      </CardBody>
    </Card>
  );
}

function AvailabilityForm({
  machine,
  availability,
  timeZone,
  status,
}: {
  machine: MachineDetail;
  availability: NonNullable<SchedulesView["availability"]>;
  timeZone: string;
  status: string | null;
}) {
  const t = useTranslations("schedules");
  const run = useActionToast();
  const qc = useQueryClient();
  const current = availability.stopWindowCron ? describeCron(availability.stopWindowCron) : null;
  const [ha, setHa] = useState(availability.highlyAvailable);
  const [windowed, setWindowed] = useState(!!availability.stopWindowCron);
  const [mode, setMode] = useState<WhenMode>(availability.stopWindowCron ? (current?.days ?? "custom") : "weekends");
  const [time, setTime] = useState(current?.time ?? "02:00");
  const [cron, setCron] = useState(availability.stopWindowCron ?? "0 2 * * 6");
  const [minutes, setMinutes] = useState(String(availability.stopWindowMinutes ?? 120));
  const [errors, setErrors] = useState<Record<string, string[]>>({});
  const [pending, startTransition] = useTransition();
  const canEdit = machine.canOperate && machine.state !== "DELETED";
  const haSupported = hasCapability(machine.provider?.kind, "ha");
  const expression = mode === "custom" ? cron.trim() : buildCron(mode, time);
  const err = (f: string) => (errors[f]?.length ? t(`errors.${f}`) : null);

  const save = (e: React.FormEvent) => {
    e.preventDefault();
    if (windowed && !expression) return setErrors({ stopWindowCron: ["invalid"] });
    startTransition(async () => {
      const r = await run(
        setMachineAvailabilityAction({
          machineId: machine.id,
          highlyAvailable: ha,
          ...(windowed ? { stopWindowCron: expression, stopWindowMinutes: minutes } : {}),
        }),
        { success: t("availability.saved"), failure: t("failed") },
      );
      setErrors(fieldErrorsOf(r));
      await qc.invalidateQueries({ queryKey: key(machine.id) });
    });
  };

  return (
    <form onSubmit={save} noValidate className="space-y-4">
      <div>
        <label className="flex items-start gap-2 text-sm text-slate-900">
          <input type="checkbox" checked={ha} onChange={(e) => setHa(e.target.checked)} disabled={!canEdit} className="mt-0.5 h-4 w-4 rounded border-slate-300 text-indigo-600" aria-describedby="ha-hint" />
          <span className="font-medium">{t("availability.ha")}</span>
        </label>
        <p id="ha-hint" className="mt-1 text-xs text-slate-600">
          {t("availability.haHint")} {haSupported ? null : t("availability.haUnsupported")}
        </p>
      </div>
      <fieldset className="space-y-2">
        <legend className="text-sm font-medium text-slate-900">{t("availability.stopWindow")}</legend>
        <p className="text-xs text-slate-600">{t("availability.stopWindowHint")}</p>
        <label className="flex items-center gap-2 text-sm text-slate-800">
          <input type="radio" name="stop-window" checked={!windowed} onChange={() => setWindowed(false)} disabled={!canEdit} className="h-4 w-4 border-slate-300 text-indigo-600" />
          {t("availability.anyTime")}
        </label>
        <label className="flex items-center gap-2 text-sm text-slate-800">
          <input type="radio" name="stop-window" checked={windowed} onChange={() => setWindowed(true)} disabled={!canEdit} className="h-4 w-4 border-slate-300 text-indigo-600" />
          {t("availability.onlyInWindow")}
        </label>
        {windowed ? (
          <div className="grid gap-3 pl-6">
            <WhenFields idPrefix="stop-window" mode={mode} setMode={setMode} time={time} setTime={setTime} cron={cron} setCron={setCron} error={err("stopWindowCron")} timeZone={timeZone} />
            <Field id="stop-window-minutes" label={t("availability.length")} hint={t("availability.lengthHint")} error={err("stopWindowMinutes")}>
              <Input type="number" inputMode="numeric" min={15} max={1440} step={15} value={minutes} onChange={(e) => setMinutes(e.target.value)} />
            </Field>
          </div>
        ) : null}
        {status ? (
          <p className="text-xs text-slate-700" role="status">
            {status}
          </p>
        ) : null}
      </fieldset>
      {canEdit ? (
        <Button type="submit" variant="secondary" disabled={pending}>
          {t("availability.save")}
        </Button>
      ) : null}
    </form>
  );
}
