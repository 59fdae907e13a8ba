"use client";
import { useRouter } from "next/navigation";
import { useForm } from "react-hook-form";
import { zodResolver } from "@hookform/resolvers/zod";
import { useTranslations } from "next-intl";
import { toast } from "sonner";
import { Button } from "@/components/ui/button";
import { Field, Input, NativeSelect, Textarea } from "@/components/ui/field";
import { OS_FAMILIES, templateFieldsSchema, type TemplateFields } from "@/lib/templates/schemas";
import { useErrorText } from "./use-error-text";
import { fieldErrorsOf, useActionErrorToast, type ClientActionResult } from "./action-result";
import { FormErrorSummary } from "./form-error-summary";
import { parseProblemMessage } from "@/lib/access/cloud-config";

export function TemplateForm({
  id,
  defaultValues,
  save,
}: {
  id?: string;
  defaultValues: TemplateFields;
  save: (input: unknown) => Promise<ClientActionResult<{ id: string }>>;
}) {
  const t = useTranslations("templates");
  const tAll = useTranslations();
  const errorText = useErrorText();
  const toastError = useActionErrorToast();
  const router = useRouter();
  const {
    register,
    handleSubmit,
    setError,
    formState: { errors, isSubmitting, submitCount },
  } = useForm<TemplateFields>({ resolver: zodResolver(templateFieldsSchema), defaultValues, mode: "onSubmit", reValidateMode: "onChange" });

  const onSubmit = handleSubmit(async (values) => {
    const result = await save(id ? { ...values, id } : values);
    if (result.ok) {
      toast.success(t(id ? "saved" : "created"));
      // A new template goes to its edit page, where provider references are set.
      router.push(id ? "/admin/templates" : `/admin/templates/${result.data.id}`);
      router.refresh();
      return;
    }
    for (const [field, messages] of Object.entries(fieldErrorsOf(result.error))) {
      setError(field as keyof TemplateFields, { type: "server", message: messages[0] });
    }
    toastError(result.error);
  });
  const err = (f: keyof TemplateFields) => errorText(errors[f]?.message);
  // User data problems carry their position ("...userDataYaml@3:5"): shown as "Line 3, column 5: ...".
  const userDataError = (() => {
    const message = errors.userData?.message;
    if (!message) return undefined;
    const p = parseProblemMessage(message);
    const text = tAll.has(p.key) ? tAll(p.key, { field: p.field ?? "" }) : p.key;
    return p.line ? t("userDataAt", { line: p.line, col: p.col ?? 1, message: text }) : text;
  })();

  return (
    <form onSubmit={onSubmit} noValidate className="max-w-2xl space-y-5">
      <FormErrorSummary show={submitCount > 0 && Object.keys(errors).length > 0} />
      <Field id="template-name" label={t("name")} error={err("name")}>
        <Input {...register("name")} autoComplete="off" required />
      </Field>
      <div className="grid gap-5 sm:grid-cols-2">
        <Field id="template-family" label={t("osFamily")} error={err("osFamily")}>
          <NativeSelect {...register("osFamily")}>
            {OS_FAMILIES.map((f) => (
              <option key={f} value={f}>
                {t(`families.${f}`)}
              </option>
            ))}
          </NativeSelect>
        </Field>
        <Field id="template-os-name" label={t("osName")} error={err("osName")}>
          <Input {...register("osName")} autoComplete="off" required />
        </Field>
        <Field id="template-os-version" label={t("osVersion")} error={err("osVersion")}>
          <Input {...register("osVersion")} autoComplete="off" required />
        </Field>
        <Field id="template-min-disk" label={t("minDiskGb")} error={err("minDiskGb")}>
          <Input type="number" inputMode="numeric" min={1} max={65536} step={1} {...register("minDiskGb", { valueAsNumber: true })} required />
        </Field>
      </div>
      <Field id="template-description" label={t("descriptionLabel")} error={err("description")}>
        <Textarea {...register("description")} rows={3} />
      </Field>
      <Field id="template-default-user" label={t("defaultUser")} hint={t("defaultUserHint")} error={err("defaultUser")}>
        <Input {...register("defaultUser")} autoComplete="off" placeholder="ubuntu" className="font-mono" />
      </Field>
      <Field id="template-user-data" label={t("userData")} hint={t("userDataHint")} error={userDataError}>
        <Textarea {...register("userData")} rows={10} spellCheck={false} className="font-mono text-xs" placeholder={"#cloud-config\npackages:\n  - nginx\nruncmd:\n  - systemctl enable --now nginx"} />
      </Field>
      <div className="flex gap-2">
        <Button type="submit" disabled={isSubmitting}>
          {isSubmitting ? t("saving") : id ? t("save") : t("create")}
        </Button>
        <Button type="button" variant="secondary" onClick={() => router.push("/admin/templates")}>
          {t("cancel")}
        </Button>
      </div>
    </form>
  );
}
