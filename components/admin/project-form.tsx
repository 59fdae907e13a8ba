"use client";
import { useRouter } from "next/navigation";
import { useForm } from "react-hook-form";
import { zodResolver } from "@hookform/resolvers/zod";
import { useTranslations } from "next-intl";
import { toast } from "sonner";
import { Button } from "@/components/ui/button";
import { Field, Input, NativeSelect, Textarea } from "@/components/ui/field";
import { DAY2_ACTIONS, projectFieldsSchema, type ProjectFields } from "@/lib/projects/schemas";
import { useErrorText } from "./use-error-text";
import { fieldErrorsOf, useActionErrorToast, type ClientActionResult } from "./action-result";
import { FormErrorSummary } from "./form-error-summary";

export interface ProjectUsage {
  vcpu: string;
  memory: string;
  diskSsd: string;
  diskHdd: string;
  machines: string;
  monthly: string;
}

const emptyToNull = (v: unknown) => (v === "" || v === null || v === undefined ? null : Number(v));

/** Create or edit a project's settings; on edit, each quota shows what is already in use. */
export function ProjectForm({
  id,
  defaultValues,
  currency,
  usage,
  save,
  timeZones,
}: {
  id?: string;
  defaultValues: ProjectFields;
  currency: string;
  usage?: ProjectUsage;
  /** The zones to offer (from the server, so the server-rendered list and the browser's agree). */
  timeZones: string[];
  save: (input: unknown) => Promise<ClientActionResult<{ id: string }>>;
}) {
  const t = useTranslations("projects");
  const errorText = useErrorText();
  const toastError = useActionErrorToast();
  const router = useRouter();
  const {
    register,
    handleSubmit,
    setError,
    formState: { errors, isSubmitting, submitCount },
  } = useForm<ProjectFields>({ resolver: zodResolver(projectFieldsSchema), defaultValues, mode: "onSubmit", reValidateMode: "onChange" });

  const onSubmit = handleSubmit(async (values) => {
    const result = await save(id ? { ...values, id } : values);
    if (result.ok) {
      toast.success(t(id ? "saved" : "created"));
      router.push(`/admin/projects/${result.data.id}`);
      router.refresh();
      return;
    }
    for (const [field, messages] of Object.entries(fieldErrorsOf(result.error))) {
      setError(field as keyof ProjectFields, { type: "server", message: messages[0] });
    }
    toastError(result.error);
  });
  const err = (f: keyof ProjectFields) => errorText((errors[f] as { message?: string } | undefined)?.message);
  const used = (v?: string) => (usage && v !== undefined ? t("inUseHint", { used: v }) : undefined);
  const num = { valueAsNumber: true } as const;
  const legend = "text-sm font-semibold text-slate-900";

  return (
    <form onSubmit={onSubmit} noValidate className="max-w-3xl space-y-8">
      <FormErrorSummary show={submitCount > 0 && Object.keys(errors).length > 0} />
      <div className="grid gap-5 sm:grid-cols-2">
        <Field id="project-name" label={t("name")} error={err("name")}>
          <Input {...register("name")} autoComplete="off" required />
        </Field>
        <Field id="project-slug" label={t("slug")} hint={t("slugHint")} error={err("slug")}>
          <Input {...register("slug")} autoComplete="off" spellCheck={false} required />
        </Field>
        <Field id="project-description" label={t("descriptionLabel")} error={err("description")} className="sm:col-span-2">
          <Textarea {...register("description")} rows={2} />
        </Field>
      </div>

      <fieldset className="space-y-4">
        <legend className={legend}>{t("quotas")}</legend>
        <div className="grid gap-5 sm:grid-cols-3">
          <Field id="project-quota-vcpu" label={t("quotaVcpu")} hint={used(usage?.vcpu)} error={err("quotaVcpu")}>
            <Input type="number" inputMode="numeric" min={0} step={1} {...register("quotaVcpu", num)} required />
          </Field>
          <Field id="project-quota-memory" label={t("quotaMemoryGib")} hint={used(usage?.memory)} error={err("quotaMemoryGib")}>
            <Input type="number" inputMode="decimal" min={0} step={0.5} {...register("quotaMemoryGib", num)} required />
          </Field>
          <Field id="project-quota-machines" label={t("quotaMachines")} hint={used(usage?.machines)} error={err("quotaMachines")}>
            <Input type="number" inputMode="numeric" min={0} step={1} {...register("quotaMachines", num)} required />
          </Field>
          <Field id="project-quota-ssd" label={t("quotaDiskSsdGb")} hint={used(usage?.diskSsd)} error={err("quotaDiskSsdGb")}>
            <Input type="number" inputMode="numeric" min={0} step={1} {...register("quotaDiskSsdGb", num)} required />
          </Field>
          <Field id="project-quota-hdd" label={t("quotaDiskHddGb")} hint={used(usage?.diskHdd)} error={err("quotaDiskHddGb")}>
            <Input type="number" inputMode="numeric" min={0} step={1} {...register("quotaDiskHddGb", num)} required />
          </Field>
        </div>
      </fieldset>

      <fieldset className="space-y-4">
        <legend className={legend}>{t("policy")}</legend>
        <div className="grid gap-5 sm:grid-cols-2">
          <Field
            id="project-budget"
            label={t("monthlyBudget")}
            hint={[t("monthlyBudgetHint", { currency }), used(usage?.monthly)].filter(Boolean).join(" ")}
            error={err("monthlyBudget")}
          >
            <Input inputMode="decimal" autoComplete="off" {...register("monthlyBudget")} />
          </Field>
          <Field id="project-auto-approve" label={t("autoApproveBelow")} hint={t("autoApproveBelowHint", { currency })} error={err("autoApproveBelow")}>
            <Input inputMode="decimal" autoComplete="off" {...register("autoApproveBelow")} />
          </Field>
        </div>
      </fieldset>

      <fieldset className="space-y-4">
        <legend className={legend}>{t("leases")}</legend>
        <div className="grid gap-5 sm:grid-cols-2">
          <Field id="project-max-lease" label={t("maxLeaseDays")} hint={t("maxLeaseDaysHint")} error={err("maxLeaseDays")}>
            <Input type="number" inputMode="numeric" min={1} max={3650} step={1} {...register("maxLeaseDays", { setValueAs: emptyToNull })} />
          </Field>
          <Field id="project-grace" label={t("leaseGraceDays")} hint={t("leaseGraceDaysHint")} error={err("leaseGraceDays")}>
            <Input type="number" inputMode="numeric" min={0} max={365} step={1} {...register("leaseGraceDays", num)} required />
          </Field>
          <Field id="project-time-zone" label={t("timeZone")} hint={t("timeZoneHint")} error={err("timeZone")}>
            <NativeSelect {...register("timeZone")}>
              {timeZones.map((z) => (
                <option key={z} value={z}>
                  {z}
                </option>
              ))}
            </NativeSelect>
          </Field>
        </div>
      </fieldset>

      <fieldset className="space-y-2" aria-describedby="project-disabled-actions-hint">
        <legend className={legend}>{t("disabledActions")}</legend>
        <p id="project-disabled-actions-hint" className="text-xs text-slate-600">
          {t("disabledActionsHint")}
        </p>
        <div className="grid gap-2 sm:grid-cols-2">
          {DAY2_ACTIONS.map((a) => (
            <label key={a} className="flex items-center gap-2 text-sm text-slate-800">
              <input type="checkbox" value={a} {...register("disabledActions")} className="h-4 w-4 rounded border-slate-300 text-indigo-600" />
              {t(`actions.${a}`)}
            </label>
          ))}
        </div>
        {errors.disabledActions ? (
          <p role="alert" className="text-xs font-medium text-red-700">
            {errorText(errors.disabledActions.message ?? errors.disabledActions.root?.message ?? "projects.validation.disabledActionsInvalid")}
          </p>
        ) : null}
      </fieldset>

      <div className="flex gap-2">
        <Button type="submit" disabled={isSubmitting}>
          {isSubmitting ? t("saving") : id ? t("save") : t("create")}
        </Button>
        <Button type="button" variant="secondary" onClick={() => router.push(id ? `/admin/projects/${id}` : "/admin/projects")}>
          {t("cancel")}
        </Button>
      </div>
    </form>
  );
}
