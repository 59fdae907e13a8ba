"use client";
import { useEffect, useMemo, useRef } from "react";
import { useRouter } from "next/navigation";
import { useForm, useWatch } from "react-hook-form";
import { zodResolver } from "@hookform/resolvers/zod";
import { useTranslations } from "next-intl";
import { toast } from "sonner";
import { Button } from "@/components/ui/button";
import { Field, Input, NativeSelect, Textarea } from "@/components/ui/field";
import { useErrorText } from "@/components/admin/use-error-text";
import { fieldErrorsOf, useActionErrorToast, type ClientActionResult } from "@/components/admin/action-result";
import { FormErrorSummary } from "@/components/admin/form-error-summary";
import { CONFIG_FIELDS, CREDENTIAL_FIELDS, ENDPOINT_EXAMPLES, PROVIDER_KINDS, type SettingField } from "@/lib/providers/kinds";
import { PLACEMENT_POLICIES, createProviderSchema, updateProviderFormSchema } from "@/lib/providers/schemas";
import type { ProviderKind } from "@/lib/generated/prisma/enums";

export interface ProviderFormValues {
  name: string;
  kind: ProviderKind;
  endpoint: string;
  credentials: Record<string, string>;
  /** One value per setting field: text as typed, booleans from checkboxes. */
  config: Record<string, string | boolean>;
  cpuOvercommit: number;
  memoryOvercommit: number;
  diskOvercommit: number;
  placementPolicy: (typeof PLACEMENT_POLICIES)[number];
  metricsIntervalSeconds: number;
  clearCredentials: boolean;
}

/** Kinds the registry has a driver for (the rest can be registered; Test connection says so). */
export type KindsWithDriver = readonly ProviderKind[];

const SECTION_ORDER: readonly SettingField["section"][] = ["connection", "placement", "storage", "capacity", "advanced"];

/**
 * Create or edit a provider. The kind decides the credential fields, the endpoint form and the
 * config keys; the same zod checks run here and in the service. On an edit the credential
 * fields start blank (the stored values never reach the browser): blank keeps them.
 */
export function ProviderForm({
  edit,
  defaultValues,
  kindsWithDriver,
  save,
}: {
  edit?: { id: string; credentialsSet: boolean };
  defaultValues: ProviderFormValues;
  kindsWithDriver: KindsWithDriver;
  save: (input: unknown) => Promise<ClientActionResult<{ id: string }>>;
}) {
  const t = useTranslations("providers");
  const errorText = useErrorText();
  const toastError = useActionErrorToast();
  const router = useRouter();
  const schema = useMemo(
    () => (edit ? updateProviderFormSchema(defaultValues.kind, edit.credentialsSet) : createProviderSchema),
    [edit, defaultValues.kind],
  );
  const {
    register,
    handleSubmit,
    setError,
    reset,
    control,
    setValue,
    formState: { errors, isSubmitting, submitCount },
  } = useForm<ProviderFormValues>({
    // One resolver for both shapes: the create schema ignores clearCredentials, the edit one kind.
    resolver: zodResolver(schema as unknown as typeof createProviderSchema) as never,
    defaultValues,
    mode: "onSubmit", reValidateMode: "onChange",
  });
  const kind = useWatch({ control, name: "kind" }) as ProviderKind;
  const clearing = useWatch({ control, name: "clearCredentials" });
  const credentialFields = CREDENTIAL_FIELDS[kind] ?? [];
  const settingFields = CONFIG_FIELDS[kind] ?? [];
  // A new provider whose kind changes starts that kind's settings and credentials afresh.
  const firstKind = useRef(kind);
  useEffect(() => {
    if (edit || kind === firstKind.current) return;
    firstKind.current = kind;
    setValue("config", {});
    setValue("credentials", {});
  }, [edit, kind, setValue]);

  const onSubmit = handleSubmit(async (values) => {
    const credentials = Object.fromEntries(credentialFields.map((f) => [f.key, values.credentials?.[f.key] ?? ""]));
    const config = Object.fromEntries(settingFields.map((f) => [f.key, values.config?.[f.key] ?? ""]));
    const payload = edit
      ? { id: edit.id, name: values.name, endpoint: values.endpoint, credentials, config, cpuOvercommit: values.cpuOvercommit, memoryOvercommit: values.memoryOvercommit, diskOvercommit: values.diskOvercommit, placementPolicy: values.placementPolicy, metricsIntervalSeconds: values.metricsIntervalSeconds, clearCredentials: values.clearCredentials }
      : { name: values.name, kind: values.kind, endpoint: values.endpoint, credentials, config, cpuOvercommit: values.cpuOvercommit, memoryOvercommit: values.memoryOvercommit, diskOvercommit: values.diskOvercommit, placementPolicy: values.placementPolicy, metricsIntervalSeconds: values.metricsIntervalSeconds };
    const result = await save(payload);
    if (result.ok) {
      toast.success(t(edit ? "saved" : "created"));
      if (edit) {
        // Typed secrets do not linger in the form once they are stored.
        reset({ ...values, credentials: {}, clearCredentials: false });
        router.refresh();
      } else {
        router.push(`/admin/providers/${result.data.id}`);
      }
      return;
    }
    for (const [field, messages] of Object.entries(fieldErrorsOf(result.error))) {
      setError(field as keyof ProviderFormValues, { type: "server", message: messages[0] });
    }
    toastError(result.error);
  });

  type Path = keyof ProviderFormValues;
  const err = (f: Path) => errorText(errors[f]?.message as string | undefined);
  const credErr = (key: string) => errorText((errors.credentials as Record<string, { message?: string }> | undefined)?.[key]?.message);
  const configErrors = errors.config as (Record<string, { message?: string }> & { message?: string }) | undefined;
  const settingErr = (key: string) => errorText(configErrors?.[key]?.message);

  const settingInput = (f: SettingField) => {
    const id = `provider-setting-${f.key}`;
    const label = t(`settings.${f.key}.label`);
    const hint = t(`settings.${f.key}.help`);
    const name = `config.${f.key}` as const;
    if (f.input === "boolean") {
      return (
        <div key={`${kind}-${f.key}`} className="space-y-1 sm:col-span-2">
          <label htmlFor={id} className="flex items-center gap-2 text-sm font-medium text-slate-800">
            <input id={id} type="checkbox" {...register(name)} aria-describedby={`${id}-hint`} className="h-4 w-4 rounded border-slate-300" />
            {label}
          </label>
          <p id={`${id}-hint`} className="text-xs text-slate-600">
            {hint}
          </p>
          {settingErr(f.key) ? (
            <p role="alert" className="text-xs font-medium text-red-700">
              {settingErr(f.key)}
            </p>
          ) : null}
        </div>
      );
    }
    return (
      <Field key={`${kind}-${f.key}`} id={id} label={f.required ? t("requiredLabel", { label }) : label} hint={hint} error={settingErr(f.key)}>
        {f.input === "select" ? (
          <NativeSelect {...register(name)}>
            <option value="">{t("defaultOption")}</option>
            {f.options!.map((o) => (
              <option key={o} value={o}>
                {o}
              </option>
            ))}
          </NativeSelect>
        ) : (
          <Input
            {...register(name)}
            inputMode={f.input === "number" ? "numeric" : undefined}
            autoComplete="off"
            spellCheck={false}
            placeholder={f.example}
            required={f.required}
            className={f.input === "number" ? "max-w-48" : "font-mono"}
          />
        )}
      </Field>
    );
  };
  const num = { valueAsNumber: true } as const;

  return (
    <form onSubmit={onSubmit} noValidate className="max-w-3xl space-y-8">
      <FormErrorSummary show={submitCount > 0 && Object.keys(errors).length > 0} />

      <fieldset className="space-y-5">
        <legend className="mb-2 text-base font-semibold text-slate-900">{t("sections.connection")}</legend>
        <div className="grid gap-5 sm:grid-cols-2">
          <Field id="provider-name" label={t("fields.name")} error={err("name")}>
            <Input {...register("name")} maxLength={80} autoComplete="off" required />
          </Field>
          {edit ? (
            <Field id="provider-kind" label={t("fields.kind")} hint={t("hints.kindFixed")}>
              <Input value={t(`kinds.${kind}`)} readOnly aria-readonly="true" />
            </Field>
          ) : (
            <Field id="provider-kind" label={t("fields.kind")} hint={kindsWithDriver.includes(kind) ? undefined : t("noDriverYet")} error={err("kind")}>
              <NativeSelect {...register("kind")}>
                {PROVIDER_KINDS.map((k) => (
                  <option key={k} value={k}>
                    {t(`kinds.${k}`)}
                  </option>
                ))}
              </NativeSelect>
            </Field>
          )}
        </div>
        <Field id="provider-endpoint" label={t("fields.endpoint")} hint={t("hints.endpoint", { example: ENDPOINT_EXAMPLES[kind] })} error={err("endpoint")}>
          <Input {...register("endpoint")} maxLength={500} autoComplete="off" spellCheck={false} className="font-mono" placeholder={ENDPOINT_EXAMPLES[kind]} />
        </Field>
      </fieldset>

      <fieldset className="space-y-5" data-testid="provider-settings">
        <legend className="mb-2 text-base font-semibold text-slate-900">{t("sections.settings")}</legend>
        {configErrors?.message ? (
          <p role="alert" className="text-xs font-medium text-red-700">
            {errorText(configErrors.message)}
          </p>
        ) : null}
        {settingFields.length === 0 ? <p className="text-sm text-slate-700">{t("settingsNone")}</p> : null}
        {SECTION_ORDER.filter((section) => settingFields.some((f) => f.section === section)).map((section) => (
          <div key={section} className="space-y-3">
            <h3 className="text-sm font-semibold text-slate-700">{t(`settingSections.${section}`)}</h3>
            <div className="grid gap-5 sm:grid-cols-2">{settingFields.filter((f) => f.section === section).map(settingInput)}</div>
          </div>
        ))}
      </fieldset>

      <fieldset className="space-y-4">
        <legend className="mb-2 text-base font-semibold text-slate-900">{t("sections.credentials")}</legend>
        <p className="text-sm text-slate-600">{t("hints.credentialsSealed")}</p>
        {credentialFields.length === 0 ? (
          <p className="text-sm text-slate-700">{t("hints.credentialsNone")}</p>
        ) : (
          <>
            {edit ? (
              <p className="text-sm font-medium text-slate-800" data-testid="credentials-state">
                {edit.credentialsSet ? t("hints.credentialsSet") : t("hints.credentialsNotSet")}
              </p>
            ) : null}
            <div className="grid gap-5 sm:grid-cols-2">
              {credentialFields.map((f) => {
                const id = `provider-credential-${f.key}`;
                const label = t(`credentialLabels.${f.key}`);
                return f.multiline ? (
                  <Field key={`${kind}-${f.key}`} id={id} label={label} hint={t("hints.pem")} error={credErr(f.key)} className="sm:col-span-2">
                    <Textarea {...register(`credentials.${f.key}` as const)} rows={3} spellCheck={false} autoComplete="off" className="font-mono text-xs" disabled={clearing} />
                  </Field>
                ) : (
                  <Field key={`${kind}-${f.key}`} id={id} label={label} error={credErr(f.key)}>
                    <Input
                      {...register(`credentials.${f.key}` as const)}
                      type={f.secret ? "password" : "text"}
                      autoComplete={f.secret ? "new-password" : "off"}
                      required={f.required && !edit?.credentialsSet}
                      disabled={clearing}
                    />
                  </Field>
                );
              })}
            </div>
            {edit?.credentialsSet ? (
              <label className="flex items-center gap-2 text-sm text-slate-800">
                <input type="checkbox" {...register("clearCredentials")} className="h-4 w-4 rounded border-slate-300" />
                {t("fields.clearCredentials")}
              </label>
            ) : null}
          </>
        )}
        {errors.credentials && (errors.credentials as Record<string, { message?: string }>)._form?.message ? (
          <p role="alert" className="text-xs font-medium text-red-700">
            {errorText((errors.credentials as Record<string, { message?: string }>)._form?.message)}
          </p>
        ) : null}
      </fieldset>

      <fieldset className="space-y-5">
        <legend className="mb-2 text-base font-semibold text-slate-900">{t("sections.capacity")}</legend>
        <div className="grid gap-5 sm:grid-cols-3">
          <Field id="provider-cpu-ratio" label={t("fields.cpuOvercommit")} hint={t("hints.ratio")} error={err("cpuOvercommit")}>
            <Input type="number" inputMode="decimal" min={0.1} max={64} step={0.1} {...register("cpuOvercommit", num)} required />
          </Field>
          <Field id="provider-memory-ratio" label={t("fields.memoryOvercommit")} hint={t("hints.ratio")} error={err("memoryOvercommit")}>
            <Input type="number" inputMode="decimal" min={0.1} max={64} step={0.1} {...register("memoryOvercommit", num)} required />
          </Field>
          <Field id="provider-disk-ratio" label={t("fields.diskOvercommit")} hint={t("hints.ratio")} error={err("diskOvercommit")}>
            <Input type="number" inputMode="decimal" min={0.1} max={64} step={0.1} {...register("diskOvercommit", num)} required />
          </Field>
        </div>
        <Field id="provider-metrics-interval" label={t("fields.metricsIntervalSeconds")} hint={t("hints.metricsInterval")} error={err("metricsIntervalSeconds")}>
          <Input type="number" inputMode="numeric" min={15} max={3600} step={1} {...register("metricsIntervalSeconds", num)} required />
        </Field>
        <Field id="provider-policy" label={t("fields.placementPolicy")} error={err("placementPolicy")}>
          <NativeSelect {...register("placementPolicy")}>
            {PLACEMENT_POLICIES.map((p) => (
              <option key={p} value={p}>
                {t(`policies.${p}`)}
              </option>
            ))}
          </NativeSelect>
        </Field>
      </fieldset>

      <div className="flex gap-2">
        <Button type="submit" disabled={isSubmitting}>
          {isSubmitting ? t("saving") : edit ? t("save") : t("create")}
        </Button>
        <Button type="button" variant="secondary" onClick={() => router.push("/admin/providers")}>
          {t("cancel")}
        </Button>
      </div>
    </form>
  );
}
