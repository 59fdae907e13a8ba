"use client";
import Link from "next/link";
import { useFormatter, useTranslations } from "next-intl";
import { useState, useTransition } from "react";
import { Button } from "@/components/ui/button";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { Field, Input, Textarea } from "@/components/ui/field";
import type { MachineDetail } from "@/lib/machines/views";
import { leaseDateBounds } from "@/lib/requests/lease";
import { requestLeaseExtensionAction } from "@/app/(portal)/machines/[id]/actions";
import { daysUntil, fieldErrorsOf, useErrorText } from "./client-utils";
import { useRefreshMachine } from "./machine-actions";
import { toast } from "sonner";

/** The lease end, how long is left, and (for the owner) asking for more time. */
export function LeasePanel({ machine }: { machine: MachineDetail }) {
  const t = useTranslations("leases");
  const tm = useTranslations("machines");
  const format = useFormatter();
  const errorText = useErrorText();
  const refresh = useRefreshMachine(machine.id);
  const [date, setDate] = useState("");
  const [reason, setReason] = useState("");
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [pending, startTransition] = useTransition();
  const ends = machine.leaseEndsAt;
  const days = ends ? daysUntil(ends) : null;
  const bounds = leaseDateBounds(new Date(), machine.project.maxLeaseDays);
  const currentEndDay = ends ? ends.slice(0, 10) : null;
  const minDate = currentEndDay && currentEndDay >= bounds.min ? nextDay(currentEndDay) : bounds.min;

  const submit = (e: React.FormEvent) => {
    e.preventDefault();
    const dateError = ends ? t("errors.newEndDate") : t("errors.newEndDateNoLease");
    if (!date || date < minDate) return setErrors({ newEndDate: dateError });
    if (bounds.max && date > bounds.max && !reason.trim()) return setErrors({ reason: t("errors.reason") });
    startTransition(async () => {
      const r = await requestLeaseExtensionAction({ machineId: machine.id, newEndDate: date, reason });
      if (r.ok) {
        if (r.data.applied) toast.success(t("applied", { date: format.dateTime(new Date(r.data.leaseEndsAt), "short") }));
        else toast.success(t("pendingCreated"));
        setDate("");
        setReason("");
        setErrors({});
      } else {
        const f = fieldErrorsOf(r);
        if (f.newEndDate || f.reason) setErrors({ ...(f.newEndDate ? { newEndDate: dateError } : {}), ...(f.reason ? { reason: t("errors.reason") } : {}) });
        else toast.error(t("extend"), { description: errorText(r.error) });
      }
      await refresh();
    });
  };

  return (
    <Card>
      <CardHeader>
        <h2 className="text-base font-semibold text-slate-900">{t("title")}</h2>
      </CardHeader>
      <CardBody className="space-y-3 text-sm">
        {ends ? (
          <p>
            <span className="font-medium text-slate-900">{t("endsOn", { date: format.dateTime(new Date(ends), "short") })}</span>{" "}
            <span className={days !== null && days <= 7 ? "font-semibold text-amber-800" : "text-slate-600"}>
              ({days !== null && days < 0 ? tm("detail.expired") : tm("detail.expiresIn", { days: Math.max(0, days ?? 0) })})
            </span>
          </p>
        ) : (
          <p className="text-slate-600">
            {machine.project.maxLeaseDays ? t("noneWithMax", { days: machine.project.maxLeaseDays }) : t("none")}
          </p>
        )}
        {machine.pendingExtension ? (
          <p className="rounded-md bg-amber-50 px-3 py-2 text-amber-900" role="status">
            {t("pending", { date: format.dateTime(new Date(machine.pendingExtension.newEndsAt), "short"), name: machine.pendingExtension.requestedBy })}
          </p>
        ) : null}
        {machine.canDecideExtensions ? (
          <p>
            <Link href="/machines/extensions" className="text-indigo-700 hover:underline">
              {t("reviewLink")}
            </Link>
          </p>
        ) : null}
        {machine.canExtendLease && !machine.pendingExtension ? (
          <form onSubmit={submit} className="space-y-3 border-t border-slate-100 pt-3" noValidate>
            <h3 className="font-medium text-slate-900">{ends ? t("extend") : t("setEnd")}</h3>
            <Field
              id="lease-date"
              label={t("newEndDate")}
              hint={bounds.max ? t("newEndDateHint", { max: format.dateTime(new Date(`${bounds.max}T12:00:00Z`), "short") }) : t("newEndDateHintUnlimited")}
              error={errors.newEndDate}
            >
              <Input type="date" value={date} min={minDate} onChange={(e) => setDate(e.target.value)} />
            </Field>
            <Field id="lease-reason" label={t("reason")} hint={t("reasonHint")} error={errors.reason}>
              <Textarea value={reason} onChange={(e) => setReason(e.target.value)} maxLength={1000} />
            </Field>
            <Button type="submit" variant="secondary" disabled={pending}>
              {pending ? t("submitting") : ends ? t("submit") : t("submitSet")}
            </Button>
          </form>
        ) : null}
      </CardBody>
    </Card>
  );
}

function nextDay(day: string): string {
  return new Date(new Date(`${day}T00:00:00Z`).getTime() + 24 * 60 * 60 * 1000).toISOString().slice(0, 10);
}
