"use client";
import { useQueryClient } from "@tanstack/react-query";
import { useFormatter, useTranslations } from "next-intl";
import { useState, useTransition } from "react";
import { Button } from "@/components/ui/button";
import { Dialog, DialogContent, DialogTrigger } from "@/components/ui/dialog";
import { Field, Input, NativeSelect } from "@/components/ui/field";
import type { MachineDetail } from "@/lib/machines/views";
import type { Day2Kind } from "@/lib/machines/available-actions";
import { deleteMachineAction, rebootMachineAction, resizeMachineAction, startMachineAction, stopMachineAction } from "@/app/(portal)/machines/[id]/actions";
import { fieldErrorsOf, GiB, useActionToast } from "./client-utils";

type Props = { machine: MachineDetail; currency: string };

export function useRefreshMachine(id: string) {
  const qc = useQueryClient();
  return () => qc.invalidateQueries({ queryKey: ["machine", id] });
}

/** Start / Stop / Reboot / Resize / Delete, as far as state, project policy and provider allow. */
export function MachineActions({ machine, currency }: Props) {
  const t = useTranslations("machines");
  const run = useActionToast();
  const refresh = useRefreshMachine(machine.id);
  const [pending, startTransition] = useTransition();
  if (!machine.canOperate) return <p className="text-sm text-slate-600">{t("detail.readOnly")}</p>;

  const simple: { kind: Day2Kind; label: string; action: typeof startMachineAction; variant: "primary" | "secondary" }[] = [
    { kind: "START", label: t("actions.start"), action: startMachineAction, variant: "primary" },
    { kind: "STOP", label: t("actions.stop"), action: stopMachineAction, variant: "secondary" },
    { kind: "REBOOT", label: t("actions.reboot"), action: rebootMachineAction, variant: "secondary" },
  ];
  const blocked = (Object.entries(machine.actions) as [Day2Kind, MachineDetail["actions"][Day2Kind]][]).filter(
    ([k, why]) => (why === "disabled" || why === "capability") && !k.startsWith("SNAPSHOT"),
  );
  const request = (kind: Day2Kind, action: typeof startMachineAction) =>
    startTransition(async () => {
      const kindLabel = t(`kinds.${kind}`);
      await run(action({ machineId: machine.id }), {
        success: t("toast.requested", { kind: kindLabel, name: machine.name }),
        failure: t("toast.failed", { kind: kindLabel }),
      });
      await refresh();
    });

  return (
    <div>
      <div className="flex flex-wrap gap-2">
        {simple
          .filter((a) => machine.actions[a.kind] === null)
          .map((a) => (
            <Button key={a.kind} variant={a.variant} disabled={pending} onClick={() => request(a.kind, a.action)}>
              {a.label}
            </Button>
          ))}
        {machine.actions.RESIZE === null ? <ResizeDialog machine={machine} currency={currency} /> : null}
        {machine.actions.DELETE === null ? <DeleteDialog machine={machine} /> : null}
      </div>
      {blocked.length ? (
        <ul className="mt-2 space-y-0.5 text-xs text-slate-600">
          {blocked.map(([k, why]) => (
            <li key={k}>
              {t(`kinds.${k}`)}: {t(`unavailable.${why}`)}
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}

function ResizeDialog({ machine, currency }: Props) {
  const t = useTranslations("machines");
  const tc = useTranslations("common");
  const format = useFormatter();
  const run = useActionToast();
  const refresh = useRefreshMachine(machine.id);
  const [open, setOpen] = useState(false);
  const [offeringId, setOfferingId] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [pending, startTransition] = useTransition();
  const money = (cents: number) => format.number(cents / 100, { style: "currency", currency });
  const chosen = machine.resizeOptions.find((o) => o.id === offeringId);
  const cost = chosen
    ? chosen.costDeltaCents > 0
      ? t("resize.costMore", { amount: money(chosen.costDeltaCents) })
      : chosen.costDeltaCents < 0
        ? t("resize.costLess", { amount: money(-chosen.costDeltaCents) })
        : t("resize.costSame")
    : null;
  const submit = (e: React.FormEvent) => {
    e.preventDefault();
    if (!offeringId) return setError(t("resize.errors.offeringId"));
    startTransition(async () => {
      const r = await run(resizeMachineAction({ machineId: machine.id, offeringId }), {
        success: t("toast.requested", { kind: t("kinds.RESIZE"), name: machine.name }),
        failure: t("toast.failed", { kind: t("kinds.RESIZE") }),
      });
      if (r.ok) {
        setOpen(false);
        setOfferingId("");
        setError(null);
      } else if (fieldErrorsOf(r).offeringId) setError(t("resize.errors.offeringId"));
      await refresh();
    });
  };
  return (
    <Dialog open={open} onOpenChange={setOpen}>
      <DialogTrigger asChild>
        <Button variant="secondary">{t("actions.resize")}</Button>
      </DialogTrigger>
      <DialogContent title={t("resize.title", { name: machine.name })} description={t("resize.description")} closeLabel={tc("close")}>
        <p className="mb-3 text-sm text-slate-700">{t("resize.current", { name: machine.offering.name, price: money(machine.offering.monthlyPriceCents) })}</p>
        {machine.resizeOptions.length === 0 ? (
          <p className="text-sm text-slate-600">{t("resize.noOptions")}</p>
        ) : (
          <form onSubmit={submit} className="space-y-4" noValidate>
            <Field id="resize-offering" label={t("resize.offering")} hint={cost ?? undefined} error={error}>
              <NativeSelect value={offeringId} onChange={(e) => setOfferingId(e.target.value)} required>
                <option value="">{t("resize.choose")}</option>
                {machine.resizeOptions.map((o) => (
                  <option key={o.id} value={o.id}>
                    {t("resize.option", { name: o.name, vcpu: o.vcpu, memory: GiB(o.memoryMb), disk: o.diskGb, tier: o.diskTier })}
                  </option>
                ))}
              </NativeSelect>
            </Field>
            <div className="flex justify-end gap-2">
              <Button type="button" variant="ghost" onClick={() => setOpen(false)}>
                {tc("cancel")}
              </Button>
              <Button type="submit" disabled={pending}>
                {pending ? t("resize.submitting") : t("resize.submit")}
              </Button>
            </div>
          </form>
        )}
      </DialogContent>
    </Dialog>
  );
}

function DeleteDialog({ machine }: { machine: MachineDetail }) {
  const t = useTranslations("machines");
  const tc = useTranslations("common");
  const run = useActionToast();
  const refresh = useRefreshMachine(machine.id);
  const [open, setOpen] = useState(false);
  const [name, setName] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [pending, startTransition] = useTransition();
  const submit = (e: React.FormEvent) => {
    e.preventDefault();
    if (name.trim() !== machine.name) return setError(t("delete.mismatch"));
    startTransition(async () => {
      const r = await run(deleteMachineAction({ machineId: machine.id, confirmName: name }), {
        success: t("toast.requested", { kind: t("kinds.DELETE"), name: machine.name }),
        failure: t("toast.failed", { kind: t("kinds.DELETE") }),
      });
      if (r.ok) {
        setOpen(false);
        setName("");
        setError(null);
      } else if (fieldErrorsOf(r).confirmName) setError(t("delete.mismatch"));
      await refresh();
    });
  };
  return (
    <Dialog open={open} onOpenChange={setOpen}>
      <DialogTrigger asChild>
        <Button variant="danger">{t("actions.delete")}</Button>
      </DialogTrigger>
      <DialogContent title={t("delete.title", { name: machine.name })} description={t("delete.description")} closeLabel={tc("close")}>
        <form onSubmit={submit} className="space-y-4" noValidate>
          <Field id="delete-confirm" label={t("delete.confirmLabel", { name: machine.name })} error={error}>
            <Input value={name} onChange={(e) => setName(e.target.value)} autoComplete="off" spellCheck={false} />
          </Field>
          <div className="flex justify-end gap-2">
            <Button type="button" variant="ghost" onClick={() => setOpen(false)}>
              {tc("cancel")}
            </Button>
            <Button type="submit" variant="danger" disabled={pending}>
              {pending ? t("delete.submitting") : t("delete.submit")}
            </Button>
          </div>
        </form>
      </DialogContent>
    </Dialog>
  );
}
