"use client";
import { useMemo, useState } from "react";
import { useRouter } from "next/navigation";
import { useForm, useWatch } from "react-hook-form";
import { zodResolver } from "@hookform/resolvers/zod";
import { useFormatter, useTranslations } from "next-intl";
import { toast } from "sonner";
import { Button } from "@/components/ui/button";
import { Dialog, DialogClose, DialogContent, DialogTrigger } from "@/components/ui/dialog";
import { Field, NativeSelect } from "@/components/ui/field";
import { useErrorText } from "@/components/admin/use-error-text";
import { fieldErrorsOf, useActionErrorToast, type ClientActionResult } from "@/components/admin/action-result";
import { formatGib } from "@/components/catalog/format";
import { importUnmanagedSchema, type ImportUnmanagedInput } from "@/lib/providers/schemas";
import { closestOffering } from "@/lib/providers/closest-offering";
import type { ImportChoices } from "@/lib/providers/list-import-choices";

export interface UnmanagedRow {
  id: string;
  name: string;
  vcpu: number | null;
  memoryMb: number | null;
  diskGb: number | null;
}

/** "Import" an unmanaged machine: project, owner (a member of it), offering (closest size preselected), template. */
export function ImportDialog({
  machine,
  choices,
  importMachine,
}: {
  machine: UnmanagedRow;
  choices: ImportChoices;
  importMachine: (input: unknown) => Promise<ClientActionResult<{ machineId: string }>>;
}) {
  const t = useTranslations("providers");
  const format = useFormatter();
  const errorText = useErrorText();
  const toastError = useActionErrorToast();
  const router = useRouter();
  const [open, setOpen] = useState(false);
  const suggested = useMemo(() => closestOffering(machine, choices.offerings), [machine, choices.offerings]);
  const {
    register,
    handleSubmit,
    setError,
    setValue,
    control,
    formState: { errors, isSubmitting },
  } = useForm<ImportUnmanagedInput>({
    resolver: zodResolver(importUnmanagedSchema),
    defaultValues: { unmanagedId: machine.id, projectId: "", ownerId: "", offeringId: suggested?.id ?? "", templateId: "" },
  });
  const projectId = useWatch({ control, name: "projectId" });
  const members = choices.projects.find((p) => p.id === projectId)?.members ?? [];

  const onSubmit = handleSubmit(async (values) => {
    const r = await importMachine(values);
    if (r.ok) {
      toast.success(t("imported", { name: machine.name }));
      setOpen(false);
      router.refresh();
      return;
    }
    for (const [field, messages] of Object.entries(fieldErrorsOf(r.error))) setError(field as keyof ImportUnmanagedInput, { type: "server", message: messages[0] });
    toastError(r.error);
  });
  const err = (f: keyof ImportUnmanagedInput) => errorText(errors[f]?.message);
  const base = `import-${machine.id.slice(0, 8)}`;

  return (
    <Dialog open={open} onOpenChange={(o) => !isSubmitting && setOpen(o)}>
      <DialogTrigger asChild>
        <Button size="sm" variant="secondary" aria-label={t("importLabel", { name: machine.name })}>
          {t("import")}
        </Button>
      </DialogTrigger>
      <DialogContent title={t("importTitle", { name: machine.name })} description={t("importDescription")} closeLabel={t("close")}>
        {choices.projects.length === 0 ? (
          <p className="text-sm text-slate-700">{t("noProjects")}</p>
        ) : (
          <form onSubmit={onSubmit} noValidate className="space-y-4">
            <Field id={`${base}-project`} label={t("importProject")} error={err("projectId")}>
              <NativeSelect
                {...register("projectId", { onChange: () => setValue("ownerId", "") })}
                required
              >
                <option value="">{t("choose")}</option>
                {choices.projects.map((p) => (
                  <option key={p.id} value={p.id}>
                    {p.name}
                  </option>
                ))}
              </NativeSelect>
            </Field>
            <Field id={`${base}-owner`} label={t("importOwner")} error={err("ownerId")}>
              <NativeSelect {...register("ownerId")} disabled={!projectId} required>
                <option value="">{t("choose")}</option>
                {members.map((m) => (
                  <option key={m.id} value={m.id}>
                    {t("memberOption", { name: m.name, email: m.email })}
                  </option>
                ))}
              </NativeSelect>
            </Field>
            <Field id={`${base}-offering`} label={t("importOffering")} error={err("offeringId")}>
              <NativeSelect {...register("offeringId")} required>
                <option value="">{t("choose")}</option>
                {choices.offerings.map((o) => (
                  <option key={o.id} value={o.id}>
                    {t("offeringOption", { name: o.name, vcpu: o.vcpu, memory: `${formatGib(format, o.memoryMb)} GiB`, disk: o.diskGb, tier: o.diskTier })}
                  </option>
                ))}
              </NativeSelect>
            </Field>
            <Field id={`${base}-template`} label={t("importTemplate")} error={err("templateId")}>
              <NativeSelect {...register("templateId")} required>
                <option value="">{t("choose")}</option>
                {choices.templates.map((tp) => (
                  <option key={tp.id} value={tp.id}>
                    {tp.name}
                  </option>
                ))}
              </NativeSelect>
            </Field>
            <div className="flex justify-end gap-2">
              <DialogClose asChild>
                <Button type="button" variant="secondary" disabled={isSubmitting}>
                  {t("cancel")}
                </Button>
              </DialogClose>
              <Button type="submit" disabled={isSubmitting}>
                {isSubmitting ? t("importing") : t("import")}
              </Button>
            </div>
          </form>
        )}
      </DialogContent>
    </Dialog>
  );
}
