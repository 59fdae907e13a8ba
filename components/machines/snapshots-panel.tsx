"use client";
import { useFormatter, useTranslations } from "next-intl";
import { useState, useTransition } from "react";
import { Button } from "@/components/ui/button";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { Dialog, DialogContent, DialogTrigger } from "@/components/ui/dialog";
import { Field, Input } from "@/components/ui/field";
import type { MachineDetail } from "@/lib/machines/views";
import { SNAPSHOT_NAME_RE } from "@/lib/machines/snapshot-name";
import { createSnapshotAction, deleteSnapshotAction, revertSnapshotAction } from "@/app/(portal)/machines/[id]/actions";
import { fieldErrorsOf, useActionToast } from "./client-utils";
import { useRefreshMachine } from "./machine-actions";

/** The machine's snapshots: take one, revert to one, delete one (where the provider can). */
export function SnapshotsPanel({ machine }: { machine: MachineDetail }) {
  const t = useTranslations("machines");
  const format = useFormatter();
  const run = useActionToast();
  const refresh = useRefreshMachine(machine.id);
  const [name, setName] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [pending, startTransition] = useTransition();
  const unsupported = machine.actions.SNAPSHOT_CREATE === "capability";
  const canTake = machine.actions.SNAPSHOT_CREATE === null;

  const take = (e: React.FormEvent) => {
    e.preventDefault();
    const n = name.trim();
    if (!SNAPSHOT_NAME_RE.test(n) || machine.snapshots.some((s) => s.name === n)) return setError(t("snapshots.nameInvalid"));
    startTransition(async () => {
      const r = await run(createSnapshotAction({ machineId: machine.id, name: n }), {
        success: t("toast.requested", { kind: t("kinds.SNAPSHOT_CREATE"), name: machine.name }),
        failure: t("toast.failed", { kind: t("kinds.SNAPSHOT_CREATE") }),
      });
      if (r.ok) {
        setName("");
        setError(null);
      } else if (fieldErrorsOf(r).name) setError(t("snapshots.nameInvalid"));
      await refresh();
    });
  };

  return (
    <Card>
      <CardHeader>
        <h2 className="text-base font-semibold text-slate-900">{t("snapshots.title")}</h2>
      </CardHeader>
      <CardBody className="space-y-4">
        {unsupported ? <p className="text-sm text-slate-600">{t("snapshots.unsupported")}</p> : null}
        {machine.actions.SNAPSHOT_CREATE === "disabled" ? (
          <p className="text-sm text-slate-600">
            {t("kinds.SNAPSHOT_CREATE")}: {t("unavailable.disabled")}
          </p>
        ) : null}
        {!unsupported && machine.snapshots.length === 0 ? <p className="text-sm text-slate-600">{t("snapshots.empty")}</p> : null}
        {machine.snapshots.length ? (
          <ul className="divide-y divide-slate-100">
            {machine.snapshots.map((s) => (
              <li key={s.id} className="flex flex-wrap items-center justify-between gap-2 py-2">
                <div>
                  <p className="font-mono text-sm text-slate-900">{s.name}</p>
                  <p className="text-xs text-slate-600">{t("snapshots.created", { date: format.dateTime(new Date(s.createdAt), "long") })}</p>
                </div>
                <div className="flex gap-2">
                  {machine.actions.SNAPSHOT_REVERT === null ? (
                    <ConfirmSnapshot
                      machine={machine}
                      snapshot={s}
                      kind="SNAPSHOT_REVERT"
                      label={t("snapshots.revert")}
                      ariaLabel={t("snapshots.revertLabel", { name: s.name })}
                      title={t("snapshots.confirmRevertTitle", { name: s.name })}
                      body={t("snapshots.confirmRevert")}
                    />
                  ) : null}
                  {machine.actions.SNAPSHOT_DELETE === null ? (
                    <ConfirmSnapshot
                      machine={machine}
                      snapshot={s}
                      kind="SNAPSHOT_DELETE"
                      label={t("snapshots.delete")}
                      ariaLabel={t("snapshots.deleteLabel", { name: s.name })}
                      title={t("snapshots.confirmDeleteTitle", { name: s.name })}
                      body={t("snapshots.confirmDelete")}
                    />
                  ) : null}
                </div>
              </li>
            ))}
          </ul>
        ) : null}
        {canTake ? (
          <form onSubmit={take} className="flex flex-wrap items-end gap-2" noValidate>
            <Field id="snapshot-name" label={t("snapshots.name")} hint={t("snapshots.nameHint")} error={error} className="min-w-56 flex-1">
              <Input value={name} onChange={(e) => setName(e.target.value)} maxLength={63} autoComplete="off" spellCheck={false} />
            </Field>
            <Button type="submit" variant="secondary" disabled={pending} className="mb-5">
              {t("actions.takeSnapshot")}
            </Button>
          </form>
        ) : null}
      </CardBody>
    </Card>
  );
}

function ConfirmSnapshot({
  machine,
  snapshot,
  kind,
  label,
  ariaLabel,
  title,
  body,
}: {
  machine: MachineDetail;
  snapshot: { id: string; name: string };
  kind: "SNAPSHOT_REVERT" | "SNAPSHOT_DELETE";
  label: string;
  ariaLabel: string;
  title: string;
  body: string;
}) {
  const t = useTranslations("machines");
  const tc = useTranslations("common");
  const run = useActionToast();
  const refresh = useRefreshMachine(machine.id);
  const [open, setOpen] = useState(false);
  const [pending, startTransition] = useTransition();
  const action = kind === "SNAPSHOT_REVERT" ? revertSnapshotAction : deleteSnapshotAction;
  const confirm = () =>
    startTransition(async () => {
      const r = await run(action({ machineId: machine.id, snapshotId: snapshot.id }), {
        success: t("toast.requested", { kind: t(`kinds.${kind}`), name: machine.name }),
        failure: t("toast.failed", { kind: t(`kinds.${kind}`) }),
      });
      if (r.ok) setOpen(false);
      await refresh();
    });
  return (
    <Dialog open={open} onOpenChange={setOpen}>
      <DialogTrigger asChild>
        <Button size="sm" variant={kind === "SNAPSHOT_DELETE" ? "ghost" : "secondary"} aria-label={ariaLabel}>
          {label}
        </Button>
      </DialogTrigger>
      <DialogContent title={title} description={body} closeLabel={tc("close")}>
        <div className="flex justify-end gap-2">
          <Button type="button" variant="ghost" onClick={() => setOpen(false)}>
            {tc("cancel")}
          </Button>
          <Button type="button" variant={kind === "SNAPSHOT_DELETE" ? "danger" : "primary"} disabled={pending} onClick={confirm} aria-label={ariaLabel}>
            {label}
          </Button>
        </div>
      </DialogContent>
    </Dialog>
  );
}
