"use client";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useFormatter, useTranslations } from "next-intl";
import { useState, useTransition } from "react";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card, CardBody, CardHeader, EmptyState } from "@/components/ui/card";
import { Dialog, DialogContent, DialogTrigger } from "@/components/ui/dialog";
import { Field, Input, NativeSelect } from "@/components/ui/field";
import { Table, Td, Th } from "@/components/ui/table";
import type { BackupsPage, BackupView } from "@/lib/backups/list-backups";
import { fetchJson, fieldErrorsOf, useActionToast } from "@/components/machines/client-utils";
import {
  backupMachineAction,
  createBackupPolicyAction,
  createBackupTargetAction,
  deleteBackupPolicyAction,
  restoreBackupAction,
  restoreToNewMachineAction,
} from "@/app/(portal)/backups/actions";

const KEY = ["backups"];
const TONE = { PENDING: "gray", RUNNING: "blue", AVAILABLE: "green", FAILED: "red", EXPIRED: "gray" } as const;

/** The catalogue of restore points (polled while a backup runs), policies and targets. */
export function BackupsView({ initial }: { initial: BackupsPage }) {
  const t = useTranslations("backups");
  const format = useFormatter();
  const qc = useQueryClient();
  const { data } = useQuery({
    queryKey: KEY,
    queryFn: () => fetchJson<BackupsPage>("/api/backups"),
    initialData: initial,
    refetchInterval: (q) => (q.state.data?.items.some((b) => b.status === "PENDING" || b.status === "RUNNING") ? 1500 : 10_000),
  });
  const refresh = () => qc.invalidateQueries({ queryKey: KEY });
  const size = (n: number | null) => (n === null ? "–" : n >= 1048576 ? `${format.number(n / 1048576, { maximumFractionDigits: 1 })} MiB` : `${format.number(n / 1024, { maximumFractionDigits: 1 })} KiB`);
  const when = (iso: string | null) => (iso ? format.dateTime(new Date(iso), { dateStyle: "medium", timeStyle: "short" }) : "–");

  return (
    <div className="space-y-6">
      <Card>
        <CardHeader>
          <h2 className="text-base font-semibold text-slate-900">{t("points.title")}</h2>
        </CardHeader>
        <CardBody>
          {data.items.length === 0 ? (
            <EmptyState title={t("points.empty")} description={t("points.emptyHint")} />
          ) : (
            <Table>
              <thead>
                <tr>
                  <Th>{t("points.machine")}</Th>
                  <Th>{t("points.status")}</Th>
                  <Th>{t("points.created")}</Th>
                  <Th>{t("points.size")}</Th>
                  <Th>{t("points.duration")}</Th>
                  <Th>{t("points.checksum")}</Th>
                  <Th>{t("points.actions")}</Th>
                </tr>
              </thead>
              <tbody className="divide-y divide-slate-100">
                {data.items.map((b) => (
                  <tr key={b.id} data-backup={b.machine.name}>
                    <Td className="font-medium">
                      {b.machine.name}
                      <span className="block text-xs text-slate-600">
                        {b.project.name}
                        {b.policy ? ` · ${b.policy.name}` : ""} · {b.target.name}
                      </span>
                    </Td>
                    <Td>
                      <Badge tone={TONE[b.status]} role="status">
                        {t(`statuses.${b.status}`)}
                      </Badge>
                      {b.error ? <span className="mt-1 block max-w-xs text-xs text-red-700">{b.error}</span> : null}
                    </Td>
                    <Td>{when(b.createdAt)}</Td>
                    <Td>{size(b.sizeBytes)}</Td>
                    <Td>{b.durationMs === null ? "–" : t("points.seconds", { s: format.number(b.durationMs / 1000, { maximumFractionDigits: 1 }) })}</Td>
                    <Td>
                      {b.sha256 ? (
                        <span className="font-mono text-xs" title={b.sha256}>
                          {b.sha256.slice(0, 12)}…
                        </span>
                      ) : (
                        "–"
                      )}
                    </Td>
                    <Td>{b.canRestore ? <RestoreButtons backup={b} onDone={refresh} /> : null}</Td>
                  </tr>
                ))}
              </tbody>
            </Table>
          )}
        </CardBody>
      </Card>
      <div className="grid gap-4 lg:grid-cols-2">
        <BackupNow data={data} onDone={refresh} />
        <PolicyForm data={data} onDone={refresh} />
      </div>
      <Policies data={data} onDone={refresh} when={when} />
      {data.canManageTargets ? <TargetForm data={data} onDone={refresh} /> : null}
    </div>
  );
}

function RestoreButtons({ backup, onDone }: { backup: BackupView; onDone: () => Promise<unknown> }) {
  const t = useTranslations("backups");
  const tc = useTranslations("common");
  const run = useActionToast();
  const [open, setOpen] = useState(false);
  const [name, setName] = useState(`${backup.machine.name}-restored`.slice(0, 63));
  const [error, setError] = useState<string | null>(null);
  const [pending, startTransition] = useTransition();
  return (
    <div className="flex flex-wrap gap-2">
      {!backup.machine.deleted ? (
        <Button
          size="sm"
          variant="secondary"
          disabled={pending}
          aria-label={t("restore.sameLabel", { name: backup.machine.name })}
          onClick={() =>
            startTransition(async () => {
              await run(restoreBackupAction({ backupId: backup.id }), { success: t("restore.requested", { name: backup.machine.name }), failure: t("failed") });
              await onDone();
            })
          }
        >
          {t("restore.same")}
        </Button>
      ) : null}
      <Dialog open={open} onOpenChange={setOpen}>
        <DialogTrigger asChild>
          <Button size="sm" variant="ghost" aria-label={t("restore.newLabel", { name: backup.machine.name })}>
            {t("restore.new")}
          </Button>
        </DialogTrigger>
        <DialogContent title={t("restore.newTitle", { name: backup.machine.name })} description={t("restore.newDescription")} closeLabel={tc("close")}>
          <form
            noValidate
            className="space-y-3"
            onSubmit={(e) => {
              e.preventDefault();
              startTransition(async () => {
                const r = await run(restoreToNewMachineAction({ backupId: backup.id, name: name.trim() }), { success: t("restore.newRequested", { name }), failure: t("failed") });
                setError(fieldErrorsOf(r).name ? t("restore.nameInvalid") : null);
                if (r.ok) setOpen(false);
                await onDone();
              });
            }}
          >
            <Field id={`restore-name-${backup.id}`} label={t("restore.name")} error={error}>
              <Input value={name} onChange={(e) => setName(e.target.value)} maxLength={63} autoComplete="off" />
            </Field>
            <div className="flex justify-end gap-2">
              <Button type="button" variant="ghost" onClick={() => setOpen(false)}>
                {tc("cancel")}
              </Button>
              <Button type="submit" disabled={pending}>
                {t("restore.new")}
              </Button>
            </div>
          </form>
        </DialogContent>
      </Dialog>
    </div>
  );
}

function BackupNow({ data, onDone }: { data: BackupsPage; onDone: () => Promise<unknown> }) {
  const t = useTranslations("backups");
  const run = useActionToast();
  const [pending, startTransition] = useTransition();
  if (data.machines.length === 0 || data.targets.length === 0) return null;
  return (
    <Card>
      <CardHeader>
        <h2 className="text-base font-semibold text-slate-900">{t("now.title")}</h2>
      </CardHeader>
      <CardBody>
        <form
          className="space-y-3"
          onSubmit={(e) => {
            e.preventDefault();
            const f = new FormData(e.currentTarget);
            startTransition(async () => {
              await run(backupMachineAction({ machineId: f.get("machineId"), targetId: f.get("targetId") }), { success: t("now.requested"), failure: t("failed") });
              await onDone();
            });
          }}
        >
          <Field id="now-machine" label={t("fields.machine")}>
            <NativeSelect name="machineId">
              {data.machines.map((m) => (
                <option key={m.id} value={m.id}>
                  {m.name}
                </option>
              ))}
            </NativeSelect>
          </Field>
          <Field id="now-target" label={t("fields.target")}>
            <NativeSelect name="targetId">
              {data.targets.map((x) => (
                <option key={x.id} value={x.id}>
                  {x.name}
                </option>
              ))}
            </NativeSelect>
          </Field>
          <Button type="submit" disabled={pending}>
            {t("now.submit")}
          </Button>
        </form>
      </CardBody>
    </Card>
  );
}

function PolicyForm({ data, onDone }: { data: BackupsPage; onDone: () => Promise<unknown> }) {
  const t = useTranslations("backups");
  const run = useActionToast();
  const [errors, setErrors] = useState<Record<string, string[]>>({});
  const [pending, startTransition] = useTransition();
  const [projectId, setProjectId] = useState(data.projects[0]?.id ?? "");
  if (data.projects.length === 0 || data.targets.length === 0) return null;
  const tz = data.projects.find((p) => p.id === projectId)?.timeZone ?? "UTC";
  const err = (k: string) => (errors[k]?.length ? t("fields.invalid") : null);
  return (
    <Card>
      <CardHeader>
        <h2 className="text-base font-semibold text-slate-900">{t("policy.title")}</h2>
      </CardHeader>
      <CardBody>
        <form
          noValidate
          className="grid gap-3 sm:grid-cols-2"
          onSubmit={(e) => {
            e.preventDefault();
            const f = new FormData(e.currentTarget);
            const form = e.currentTarget;
            startTransition(async () => {
              const r = await run(
                createBackupPolicyAction({
                  projectId,
                  machineId: f.get("machineId") || undefined,
                  targetId: f.get("targetId"),
                  name: f.get("name"),
                  cron: f.get("cron"),
                  keepLast: f.get("keepLast"),
                  keepDays: f.get("keepDays") || undefined,
                }),
                { success: t("policy.created"), failure: t("failed") },
              );
              setErrors(fieldErrorsOf(r));
              if (r.ok) form.reset();
              await onDone();
            });
          }}
        >
          <Field id="p-project" label={t("fields.project")}>
            <NativeSelect value={projectId} onChange={(e) => setProjectId(e.target.value)}>
              {data.projects.map((p) => (
                <option key={p.id} value={p.id}>
                  {p.name}
                </option>
              ))}
            </NativeSelect>
          </Field>
          <Field id="p-machine" label={t("fields.scope")}>
            <NativeSelect name="machineId" defaultValue="">
              <option value="">{t("fields.allMachines")}</option>
              {data.machines
                .filter((m) => m.projectId === projectId)
                .map((m) => (
                  <option key={m.id} value={m.id}>
                    {m.name}
                  </option>
                ))}
            </NativeSelect>
          </Field>
          <Field id="p-name" label={t("fields.name")} error={err("name")}>
            <Input name="name" defaultValue="nightly" maxLength={100} />
          </Field>
          <Field id="p-target" label={t("fields.target")}>
            <NativeSelect name="targetId">
              {data.targets.map((x) => (
                <option key={x.id} value={x.id}>
                  {x.name}
                </option>
              ))}
            </NativeSelect>
          </Field>
          <Field id="p-cron" label={t("fields.cron")} hint={t("fields.cronHint", { tz })} error={err("cron")}>
            <Input name="cron" defaultValue="0 2 * * *" className="font-mono" spellCheck={false} />
          </Field>
          <Field id="p-keep" label={t("fields.keepLast")} error={err("keepLast")}>
            <Input name="keepLast" type="number" min={1} defaultValue={7} />
          </Field>
          <Field id="p-days" label={t("fields.keepDays")} hint={t("fields.keepDaysHint")} error={err("keepDays")}>
            <Input name="keepDays" type="number" min={1} defaultValue={30} />
          </Field>
          <div className="flex items-end">
            <Button type="submit" disabled={pending}>
              {t("policy.submit")}
            </Button>
          </div>
        </form>
      </CardBody>
    </Card>
  );
}

function Policies({ data, onDone, when }: { data: BackupsPage; onDone: () => Promise<unknown>; when: (iso: string | null) => string }) {
  const t = useTranslations("backups");
  const run = useActionToast();
  const [pending, startTransition] = useTransition();
  return (
    <Card>
      <CardHeader>
        <h2 className="text-base font-semibold text-slate-900">{t("policies.title")}</h2>
      </CardHeader>
      <CardBody>
        {data.policies.length === 0 ? (
          <p className="text-sm text-slate-600">{t("policies.empty")}</p>
        ) : (
          <Table>
            <thead>
              <tr>
                <Th>{t("fields.name")}</Th>
                <Th>{t("fields.scope")}</Th>
                <Th>{t("fields.cron")}</Th>
                <Th>{t("policies.retention")}</Th>
                <Th>{t("policies.next")}</Th>
                <Th>{t("points.actions")}</Th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {data.policies.map((p) => (
                <tr key={p.id} data-policy={p.name}>
                  <Td className="font-medium">{p.name}</Td>
                  <Td>{p.machine ? p.machine.name : t("policies.project", { name: p.project.name })}</Td>
                  <Td>
                    <span className="font-mono">{p.cron}</span> <span className="text-xs text-slate-600">({p.timeZone})</span>
                  </Td>
                  <Td>{p.keepDays ? t("policies.keepBoth", { n: p.keepLast, days: p.keepDays }) : t("policies.keepLast", { n: p.keepLast })}</Td>
                  <Td>{when(p.nextRunAt)}</Td>
                  <Td>
                    {p.canManage ? (
                      <Button
                        size="sm"
                        variant="ghost"
                        disabled={pending}
                        aria-label={t("policies.deleteLabel", { name: p.name })}
                        onClick={() =>
                          startTransition(async () => {
                            await run(deleteBackupPolicyAction({ policyId: p.id }), { success: t("policies.deleted"), failure: t("failed") });
                            await onDone();
                          })
                        }
                      >
                        {t("policies.delete")}
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
  );
}

function TargetForm({ data, onDone }: { data: BackupsPage; onDone: () => Promise<unknown> }) {
  const t = useTranslations("backups");
  const run = useActionToast();
  const [errors, setErrors] = useState<Record<string, string[]>>({});
  const [pending, startTransition] = useTransition();
  const err = (k: string) => (errors[k]?.length ? t("fields.invalid") : null);
  return (
    <Card>
      <CardHeader>
        <h2 className="text-base font-semibold text-slate-900">{t("targets.title")}</h2>
        <p className="text-sm text-slate-600">{t("targets.description")}</p>
      </CardHeader>
      <CardBody className="space-y-4">
        {data.targets.length ? (
          <ul className="text-sm text-slate-700">
            {data.targets.map((x) => (
              <li key={x.id}>
                <span className="font-medium">{x.name}</span> · {x.endpoint} · {x.bucket}
              </li>
            ))}
          </ul>
        ) : null}
        <form
          noValidate
          className="grid gap-3 sm:grid-cols-3"
          onSubmit={(e) => {
            e.preventDefault();
            const f = new FormData(e.currentTarget);
            const form = e.currentTarget;
            startTransition(async () => {
              const r = await run(
                createBackupTargetAction({
                  name: f.get("name"),
                  endpoint: f.get("endpoint"),
                  region: f.get("region") || "us-east-1",
                  bucket: f.get("bucket"),
                  prefix: f.get("prefix") ?? "",
                  forcePathStyle: true,
                  accessKeyId: f.get("accessKeyId"),
                  secretAccessKey: f.get("secretAccessKey"),
                }),
                { success: t("targets.created"), failure: t("failed") },
              );
              setErrors(fieldErrorsOf(r));
              if (r.ok) form.reset();
              await onDone();
            });
          }}
        >
          <Field id="t-name" label={t("targets.name")} error={err("name")}>
            <Input name="name" maxLength={100} />
          </Field>
          <Field id="t-endpoint" label={t("targets.endpoint")} error={err("endpoint")}>
            <Input name="endpoint" placeholder="https://s3.example.com" />
          </Field>
          <Field id="t-region" label={t("targets.region")}>
            <Input name="region" defaultValue="us-east-1" />
          </Field>
          <Field id="t-bucket" label={t("targets.bucket")} error={err("bucket")}>
            <Input name="bucket" />
          </Field>
          <Field id="t-prefix" label={t("targets.prefix")}>
            <Input name="prefix" />
          </Field>
          <Field id="t-access" label={t("targets.accessKeyId")} error={err("accessKeyId")}>
            <Input name="accessKeyId" autoComplete="off" />
          </Field>
          <Field id="t-secret" label={t("targets.secretAccessKey")} error={err("secretAccessKey")}>
            <Input name="secretAccessKey" type="password" autoComplete="new-password" />
          </Field>
          <div className="flex items-end">
            <Button type="submit" disabled={pending}>
              {t("targets.submit")}
            </Button>
          </div>
        </form>
      </CardBody>
    </Card>
  );
}
