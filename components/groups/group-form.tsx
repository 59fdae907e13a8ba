"use client";
import { useRouter } from "next/navigation";
import { useForm } from "react-hook-form";
import { zodResolver } from "@hookform/resolvers/zod";
import { useTranslations } from "next-intl";
import { toast } from "sonner";
import type { z } from "zod";
import { Button } from "@/components/ui/button";
import { Field, Input, Textarea } from "@/components/ui/field";
import { useErrorText } from "@/components/admin/use-error-text";
import { fieldErrorsOf, useActionErrorToast, type ClientActionResult } from "@/components/admin/action-result";
import { groupFieldsSchema } from "@/lib/groups/schemas";

type Fields = z.input<typeof groupFieldsSchema>;

/** Create a group, or edit one (with `id`). */
export function GroupForm({
  id,
  initial,
  save,
}: {
  id?: string;
  initial?: { name: string; description: string; idpGroup: string | null; grantsAdmin: boolean };
  save: (input: unknown) => Promise<ClientActionResult<{ id: string }>>;
}) {
  const t = useTranslations("groups");
  const errorText = useErrorText();
  const toastError = useActionErrorToast();
  const router = useRouter();
  const {
    register,
    handleSubmit,
    setError,
    reset,
    formState: { errors, isSubmitting },
  } = useForm<Fields>({
    resolver: zodResolver(groupFieldsSchema),
    defaultValues: { name: initial?.name ?? "", description: initial?.description ?? "", idpGroup: initial?.idpGroup ?? "", grantsAdmin: initial?.grantsAdmin ?? false },
  });

  const onSubmit = handleSubmit(async (values) => {
    const r = await save(id ? { ...values, id } : values);
    if (!r.ok) {
      for (const [field, messages] of Object.entries(fieldErrorsOf(r.error))) setError(field as keyof Fields, { type: "server", message: messages[0] });
      toastError(r.error);
      return;
    }
    toast.success(id ? t("saved") : t("created"));
    if (id) router.refresh();
    else {
      reset();
      router.push(`/admin/groups/${r.data.id}`);
    }
  });

  const p = id ? "edit" : "new";
  return (
    <form onSubmit={onSubmit} noValidate className="space-y-4" aria-label={id ? t("editTitle") : t("createTitle")}>
      <div className="grid gap-4 sm:grid-cols-2">
        <Field id={`${p}-group-name`} label={t("name")} error={errorText(errors.name?.message)}>
          <Input autoComplete="off" {...register("name")} required />
        </Field>
        <Field id={`${p}-group-idp`} label={t("idpGroup")} hint={t("idpGroupHint")} error={errorText(errors.idpGroup?.message)}>
          <Input autoComplete="off" {...register("idpGroup")} />
        </Field>
      </div>
      <Field id={`${p}-group-description`} label={t("descriptionField")} error={errorText(errors.description?.message)}>
        <Textarea rows={2} {...register("description")} />
      </Field>
      <div className="flex items-start gap-2">
        <input id={`${p}-group-admin`} type="checkbox" {...register("grantsAdmin")} className="mt-0.5 h-4 w-4 rounded border-slate-300 text-indigo-600" aria-describedby={`${p}-group-admin-hint`} />
        <div>
          <label htmlFor={`${p}-group-admin`} className="text-sm font-medium text-slate-800">
            {t("grantsAdmin")}
          </label>
          <p id={`${p}-group-admin-hint`} className="text-xs text-slate-600">
            {t("grantsAdminHint")}
          </p>
        </div>
      </div>
      <Button type="submit" disabled={isSubmitting}>
        {id ? t("save") : t("create")}
      </Button>
    </form>
  );
}
