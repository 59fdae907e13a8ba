"use client";
// Create or edit an alert rule: the same zod schema validates here and on the server; the
// server's field errors (message keys, e.g. a machine no longer in the project) land next to
// their fields in the user's language.
import { useForm, useWatch } from "react-hook-form";
import { zodResolver } from "@hookform/resolvers/zod";
import { useTranslations } from "next-intl";
import { toast } from "sonner";
import type { z } from "zod";
import { Button } from "@/components/ui/button";
import { Field, Input, NativeSelect } from "@/components/ui/field";
import { useErrorText } from "@/components/admin/use-error-text";
import { fieldErrorsOf, useActionErrorToast, type ClientActionResult } from "@/components/admin/action-result";
import { FormErrorSummary } from "@/components/admin/form-error-summary";
import { ALERT_METRICS, alertRuleFieldsSchema, PERCENT_METRICS } from "@/lib/monitoring/schemas";

type FormIn = z.input<typeof alertRuleFieldsSchema>;
type FormOut = z.output<typeof alertRuleFieldsSchema>;
type FieldName = keyof FormIn;

export const NEW_RULE: FormOut = { name: "", metric: "CPU_PERCENT", comparator: "ABOVE", threshold: 90, durationSeconds: 300, machineId: null, notify: true, enabled: true };

export function AlertRuleForm({
  idPrefix,
  machines,
  defaultValues,
  submit,
  onDone,
  editing,
}: {
  idPrefix: string;
  machines: { id: string; name: string }[];
  defaultValues: FormOut;
  /** Calls the server action with the form's values. */
  submit: (values: FormOut) => Promise<ClientActionResult>;
  onDone: () => void;
  editing?: boolean;
}) {
  const t = useTranslations("alerts");
  const errorText = useErrorText();
  const toastError = useActionErrorToast();
  const {
    register,
    handleSubmit,
    setError,
    reset,
    control,
    formState: { errors, isSubmitting, submitCount },
  } = useForm<FormIn, unknown, FormOut>({ resolver: zodResolver(alertRuleFieldsSchema), defaultValues, mode: "onSubmit", reValidateMode: "onChange" });
  const percent = PERCENT_METRICS.includes(useWatch({ control, name: "metric" }) ?? "CPU_PERCENT");

  const onSubmit = handleSubmit(async (values) => {
    const result = await submit(values);
    if (result.ok) {
      toast.success(t(editing ? "form.saved" : "form.created"));
      if (!editing) reset(NEW_RULE);
      onDone();
      return;
    }
    const fields = fieldErrorsOf(result.error);
    for (const [field, messages] of Object.entries(fields)) {
      if (field in NEW_RULE) setError(field as FieldName, { type: "server", message: messages[0] });
    }
    toastError(result.error);
  });

  const err = (f: FieldName) => errorText(errors[f]?.message);
  const id = (f: string) => `${idPrefix}-${f}`;
  return (
    <form onSubmit={onSubmit} noValidate className="space-y-4" aria-label={t(editing ? "form.editTitle" : "form.createTitle")}>
      <FormErrorSummary show={submitCount > 0 && Object.keys(errors).length > 0} />
      <div className="grid gap-4 sm:grid-cols-2">
        <Field id={id("name")} label={t("form.name")} error={err("name")}>
          <Input {...register("name")} maxLength={100} autoComplete="off" placeholder={t("form.namePlaceholder")} required />
        </Field>
        <Field id={id("scope")} label={t("form.scope")} error={err("machineId")}>
          <NativeSelect {...register("machineId", { setValueAs: (v: string | null) => (v ? v : null) })}>
            <option value="">{t("rules.allMachines")}</option>
            {machines.map((m) => (
              <option key={m.id} value={m.id}>
                {m.name}
              </option>
            ))}
          </NativeSelect>
        </Field>
        <Field id={id("metric")} label={t("form.metric")} error={err("metric")}>
          <NativeSelect {...register("metric")}>
            {ALERT_METRICS.map((m) => (
              <option key={m} value={m}>
                {t(`metrics.${m}`)}
              </option>
            ))}
          </NativeSelect>
        </Field>
        <Field id={id("comparator")} label={t("form.comparator")} error={err("comparator")}>
          <NativeSelect {...register("comparator")}>
            <option value="ABOVE">{t("comparators.ABOVE")}</option>
            <option value="BELOW">{t("comparators.BELOW")}</option>
          </NativeSelect>
        </Field>
        <Field id={id("threshold")} label={t("form.threshold")} hint={t(percent ? "form.thresholdHintPercent" : "form.thresholdHintBytes")} error={err("threshold")}>
          <Input type="number" inputMode="decimal" min={0} max={percent ? 100 : undefined} step="any" {...register("threshold", { valueAsNumber: true })} required />
        </Field>
        <Field id={id("duration")} label={t("form.duration")} hint={t("form.durationHint")} error={err("durationSeconds")}>
          <Input type="number" inputMode="numeric" min={60} max={604800} step={60} {...register("durationSeconds", { valueAsNumber: true })} required />
        </Field>
      </div>
      <div className="flex flex-wrap gap-6">
        <label className="flex items-center gap-2 text-sm text-slate-800">
          <input type="checkbox" {...register("notify")} className="h-4 w-4 rounded border-slate-400 text-indigo-700" />
          {t("form.notify")}
        </label>
        <label className="flex items-center gap-2 text-sm text-slate-800">
          <input type="checkbox" {...register("enabled")} className="h-4 w-4 rounded border-slate-400 text-indigo-700" />
          {t("form.enabled")}
        </label>
      </div>
      <Button type="submit" disabled={isSubmitting}>
        {isSubmitting ? t(editing ? "form.saving" : "form.creating") : t(editing ? "form.save" : "form.create")}
      </Button>
    </form>
  );
}
