"use client";
import { useQueryClient } from "@tanstack/react-query";
import { useFormatter, useTranslations } from "next-intl";
import { useState, useTransition } from "react";
import { Button } from "@/components/ui/button";
import { Dialog, DialogContent, DialogTrigger } from "@/components/ui/dialog";
import { Field, Input } from "@/components/ui/field";
import type { MachineDetail } from "@/lib/machines/views";
import type { Day2Kind } from "@/lib/machines/available-actions";
import { deleteMachineAction, rebootMachineAction, resizeMachineAction, startMachineAction, stopMachineAction } from "@/app/(portal)/machines/[id]/actions";
import { useFieldMessage } from "@/components/ui/use-field-message";
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
  const to = useTranslations("ops");
  const tc = useTranslations("common");
  const fieldMessage = useFieldMessage();
  const format = useFormatter();
  const run = useActionToast();
  const refresh = useRefreshMachine(machine.id);
  const [open, setOpen] = useState(false);
  const [offeringId, setOfferingId] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [pending, startTransition] = useTransition();
  const money = (cents: number) => format.number(cents / 100, { style: "currency", currency });
  const selectable = machine.resizeOptions.filter((o) => !o.current && !o.unavailable);
  const tierBlocked = machine.resizeOptions.some((o) => o.unavailable === "tier");
  const delta = (cents: number) => (cents > 0 ? to("resize.more", { amount: money(cents) }) : cents < 0 ? to("resize.less", { amount: money(-cents) }) : to("resize.same"));
  const choose = (id: string) => {
    setOfferingId(id);
    // An error was about the previous choice.
    setError(null);
  };
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
      } else {
        // The server's reason (disks cannot shrink, tier, ...) in the user's language; else the general one.
        const reason = fieldErrorsOf(r).offeringId?.[0];
        if (reason) setError(fieldMessage(reason) === reason ? t("resize.errors.offeringId") : fieldMessage(reason));
      }
      await refresh();
    });
  };
  return (
    <Dialog
      open={open}
      onOpenChange={(o) => {
        setOpen(o);
        if (!o) setError(null);
      }}
    >
      <DialogTrigger asChild>
        <Button variant="secondary">{t("actions.resize")}</Button>
      </DialogTrigger>
      <DialogContent title={t("resize.title", { name: machine.name })} description={t("resize.description")} closeLabel={tc("close")}>
        {selectable.length === 0 ? <p className="mb-3 text-sm text-slate-600">{t("resize.noOptions")}</p> : null}
        <form onSubmit={submit} className="space-y-4" noValidate>
          <fieldset aria-describedby={error ? "resize-error" : undefined}>
            <legend className="mb-2 text-sm font-medium text-slate-900">{to("resize.legend")}</legend>
            <ul className="max-h-80 divide-y divide-slate-100 overflow-y-auto rounded-md border border-slate-200" data-testid="resize-options">
              {machine.resizeOptions.map((o) => {
                const disabled = o.current || !!o.unavailable;
                return (
                  <li key={o.id} className={o.current ? "bg-indigo-50" : undefined}>
                    <label className={`flex items-start gap-3 px-3 py-2 text-sm ${disabled ? "cursor-not-allowed text-slate-500" : "cursor-pointer hover:bg-slate-50"}`}>
                      <input
                        type="radio"
                        name="resize-offering"
                        value={o.id}
                        className="mt-1"
                        checked={offeringId === o.id}
                        disabled={disabled}
                        onChange={() => choose(o.id)}
                      />
                      <span className="min-w-0 flex-1">
                        <span className={`font-medium ${disabled ? "text-slate-600" : "text-slate-900"}`}>{o.name}</span>
                        {o.current ? <span className="ml-2 rounded bg-indigo-100 px-1.5 py-0.5 text-xs font-medium text-indigo-800">{to("resize.current")}</span> : null}
                        <span className="block text-xs text-slate-600">
                          {to("resize.size", { vcpu: o.vcpu, memory: GiB(o.memoryMb), disk: o.diskGb, tier: o.diskTier })}
                        </span>
                        {o.unavailable ? (
                          <span className="block text-xs text-slate-600">{o.unavailable === "tier" ? to("resize.unavailableTier") : to("resize.unavailableDisk")}</span>
                        ) : null}
                      </span>
                      <span className="shrink-0 text-right text-xs">
                        <span className="block font-medium text-slate-900" data-testid="resize-price">
                          {to("resize.perMonth", { price: money(o.monthlyPriceCents) })}
                        </span>
                        {o.current ? null : (
                          <span className={`block ${o.costDeltaCents > 0 ? "text-amber-800" : o.costDeltaCents < 0 ? "text-green-800" : "text-slate-600"}`}>{delta(o.costDeltaCents)}</span>
                        )}
                      </span>
                    </label>
                  </li>
                );
              })}
            </ul>
          </fieldset>
          {tierBlocked ? (
            <p className="text-xs text-slate-600" data-testid="resize-tier-note">
              {to("resize.tierNote", { tier: machine.offering.diskTier })}
            </p>
          ) : machine.migratesDiskTier ? (
            <p className="text-xs text-slate-600">{to("resize.tierNoteCan")}</p>
          ) : null}
          {error ? (
            <p id="resize-error" role="alert" className="text-sm text-red-700">
              {error}
            </p>
          ) : null}
          <div className="flex justify-end gap-2">
            <Button type="button" variant="ghost" onClick={() => setOpen(false)}>
              {tc("cancel")}
            </Button>
            <Button type="submit" disabled={pending || selectable.length === 0}>
              {pending ? t("resize.submitting") : t("resize.submit")}
            </Button>
          </div>
        </form>
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
