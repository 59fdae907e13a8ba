"use client";
import { useRouter } from "next/navigation";
import { useForm } from "react-hook-form";
import { zodResolver } from "@hookform/resolvers/zod";
import { useTranslations } from "next-intl";
import { toast } from "sonner";
import { Button } from "@/components/ui/button";
import { Field, Input, NativeSelect, Textarea } from "@/components/ui/field";
import { DISK_TIERS, offeringFieldsSchema, type OfferingFields } from "@/lib/offerings/schemas";
import { useErrorText } from "./use-error-text";
import { fieldErrorsOf, useActionErrorToast, type ClientActionResult } from "./action-result";
import { FormErrorSummary } from "./form-error-summary";

/** Create or edit an offering: the same zod schema validates here and on the server. */
export function OfferingForm({
  id,
  defaultValues,
  currency,
  save,
}: {
  id?: string;
  defaultValues: OfferingFields;
  currency: string;
  save: (input: unknown) => Promise<ClientActionResult>;
}) {
  const t = useTranslations("offerings");
  const errorText = useErrorText();
  const toastError = useActionErrorToast();
  const router = useRouter();
  const {
    register,
    handleSubmit,
    setError,
    formState: { errors, isSubmitting, submitCount },
  } = useForm<OfferingFields>({ resolver: zodResolver(offeringFieldsSchema), defaultValues, mode: "onSubmit", reValidateMode: "onChange" });

  const onSubmit = handleSubmit(async (values) => {
    const result = await save(id ? { ...values, id } : values);
    if (result.ok) {
      toast.success(t(id ? "saved" : "created"));
      router.push("/admin/offerings");
      router.refresh();
      return;
    }
    for (const [field, messages] of Object.entries(fieldErrorsOf(result.error))) {
      setError(field as keyof OfferingFields, { type: "server", message: messages[0] });
    }
    toastError(result.error);
  });

  const err = (f: keyof OfferingFields) => errorText(errors[f]?.message);
  const num = { valueAsNumber: true } as const;
  return (
    <form onSubmit={onSubmit} noValidate className="max-w-2xl space-y-5">
      <FormErrorSummary show={submitCount > 0 && Object.keys(errors).length > 0} />
      <Field id="offering-name" label={t("name")} error={err("name")}>
        <Input {...register("name")} maxLength={200} autoComplete="off" required />
      </Field>
      <div className="grid gap-5 sm:grid-cols-2">
        <Field id="offering-vcpu" label={t("vcpu")} error={err("vcpu")}>
          <Input type="number" inputMode="numeric" min={1} max={256} step={1} {...register("vcpu", num)} required />
        </Field>
        <Field id="offering-memory" label={t("memoryGib")} hint={t("memoryHint")} error={err("memoryGib")}>
          <Input type="number" inputMode="decimal" min={0.5} max={4096} step={0.5} {...register("memoryGib", num)} required />
        </Field>
        <Field id="offering-disk" label={t("diskGb")} hint={t("diskHint")} error={err("diskGb")}>
          <Input type="number" inputMode="numeric" min={10} max={65536} step={1} {...register("diskGb", num)} required />
        </Field>
        <Field id="offering-tier" label={t("diskTier")} error={err("diskTier")}>
          <NativeSelect {...register("diskTier")}>
            {DISK_TIERS.map((tier) => (
              <option key={tier} value={tier}>
                {t(`tiers.${tier}`)}
              </option>
            ))}
          </NativeSelect>
        </Field>
        <Field id="offering-price" label={t("monthlyPrice")} hint={t("monthlyPriceHint", { currency })} error={err("monthlyPrice")}>
          <Input inputMode="decimal" autoComplete="off" {...register("monthlyPrice")} required />
        </Field>
      </div>
      <Field id="offering-description" label={t("descriptionLabel")} error={err("description")}>
        <Textarea {...register("description")} maxLength={1000} rows={3} />
      </Field>
      <div className="flex gap-2">
        <Button type="submit" disabled={isSubmitting}>
          {isSubmitting ? t("saving") : id ? t("save") : t("create")}
        </Button>
        <Button type="button" variant="secondary" onClick={() => router.push("/admin/offerings")}>
          {t("cancel")}
        </Button>
      </div>
    </form>
  );
}
