"use client";
import { useRouter } from "next/navigation";
import { useForm } from "react-hook-form";
import { useTranslations } from "next-intl";
import { toast } from "sonner";
import { Button } from "@/components/ui/button";
import { Field, Input } from "@/components/ui/field";
import { EmptyState } from "@/components/ui/card";
import { Badge } from "@/components/ui/badge";
import { Table, Td, Th } from "@/components/ui/table";
import { ConfirmButton } from "@/components/admin/confirm-button";
import { useErrorText } from "@/components/admin/use-error-text";
import { fieldErrorsOf, useActionErrorToast, type ClientActionResult } from "@/components/admin/action-result";

type Action = (input: unknown) => Promise<ClientActionResult>;

/** A group's members (remove) and the add-by-e-mail form. */
export function GroupMembers({
  groupId,
  members,
  addMember,
  removeMember,
}: {
  groupId: string;
  members: { userId: string; email: string; name: string; source: "MANUAL" | "IDP"; disabled: boolean }[];
  addMember: Action;
  removeMember: Action;
}) {
  const t = useTranslations("groups");
  const tc = useTranslations("common");
  const errorText = useErrorText();
  const toastError = useActionErrorToast();
  const router = useRouter();
  const {
    register,
    handleSubmit,
    setError,
    reset,
    formState: { errors, isSubmitting },
  } = useForm<{ email: string }>({ defaultValues: { email: "" } });

  const onAdd = handleSubmit(async (values) => {
    const r = await addMember({ groupId, email: values.email });
    if (!r.ok) {
      const fields = fieldErrorsOf(r.error);
      if (fields.email) setError("email", { type: "server", message: fields.email[0] });
      toastError(r.error);
      return;
    }
    toast.success(t("memberAdded"));
    reset({ email: "" });
    router.refresh();
  });

  return (
    <div className="space-y-4">
      {members.length === 0 ? (
        <EmptyState title={t("noMembers")} description={t("noMembersBody")} />
      ) : (
        <Table aria-label={t("membersTitle")}>
          <thead>
            <tr>
              <Th>{t("memberEmail")}</Th>
              <Th>{t("memberName")}</Th>
              <Th>{t("source")}</Th>
              <Th>
                <span className="sr-only">{t("remove")}</span>
              </Th>
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100">
            {members.map((m) => (
              <tr key={m.userId}>
                <Td>
                  {m.email}
                  {m.disabled ? (
                    <Badge tone="gray" className="ml-2">
                      {t("disabledUser")}
                    </Badge>
                  ) : null}
                </Td>
                <Td>{m.name}</Td>
                <Td>{t(`sources.${m.source}`)}</Td>
                <Td className="text-right">
                  <ConfirmButton
                    label={t("remove")}
                    accessibleLabel={t("removeNamed", { email: m.email })}
                    title={t("removeTitle", { email: m.email })}
                    body={m.source === "IDP" ? t("removeBodyIdp") : t("removeBody")}
                    confirmLabel={t("remove")}
                    cancelLabel={t("cancel")}
                    closeLabel={tc("close")}
                    onConfirm={async () => {
                      const r = await removeMember({ groupId, userId: m.userId });
                      if (!r.ok) {
                        toastError(r.error);
                        return false;
                      }
                      toast.success(t("memberRemoved"));
                      router.refresh();
                      return true;
                    }}
                  />
                </Td>
              </tr>
            ))}
          </tbody>
        </Table>
      )}
      <form onSubmit={onAdd} noValidate className="flex flex-col gap-3 sm:flex-row sm:items-start" aria-label={t("addMember")}>
        <Field id="group-member-email" label={t("memberEmail")} error={errorText(errors.email?.message)} className="sm:w-80">
          <Input type="email" autoComplete="off" {...register("email")} required />
        </Field>
        <Button type="submit" disabled={isSubmitting} className="sm:mt-6">
          {t("addMember")}
        </Button>
      </form>
    </div>
  );
}
