"use client";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { useForm } from "react-hook-form";
import { zodResolver } from "@hookform/resolvers/zod";
import { useTranslations } from "next-intl";
import { toast } from "sonner";
import type { z } from "zod";
import { Button } from "@/components/ui/button";
import { Field, Input, NativeSelect } from "@/components/ui/field";
import { EmptyState } from "@/components/ui/card";
import { Badge } from "@/components/ui/badge";
import { Table, Td, Th } from "@/components/ui/table";
import { addMemberSchema, PROJECT_ROLES } from "@/lib/projects/schemas";
import { ConfirmButton } from "./confirm-button";
import { useErrorText } from "./use-error-text";
import { fieldErrorsOf, useActionErrorToast, type ClientActionResult } from "./action-result";

type Role = (typeof PROJECT_ROLES)[number];
type AddInput = z.infer<typeof addMemberSchema>;

export interface MemberRow {
  userId: string;
  email: string;
  name: string;
  role: Role;
  disabled: boolean;
  since: string;
}

/** The members table (role select, remove) and the add-by-e-mail form. */
export function ProjectMembers({
  projectId,
  members,
  addMember,
  changeRole,
  removeMember,
}: {
  projectId: string;
  members: MemberRow[];
  addMember: (input: unknown) => Promise<ClientActionResult>;
  changeRole: (input: unknown) => Promise<ClientActionResult>;
  removeMember: (input: unknown) => Promise<ClientActionResult>;
}) {
  const t = useTranslations("projects");
  const tc = useTranslations("common");
  const errorText = useErrorText();
  const toastError = useActionErrorToast();
  const router = useRouter();
  const [busyUser, setBusyUser] = useState<string | null>(null);
  const {
    register,
    handleSubmit,
    setError,
    reset,
    formState: { errors, isSubmitting },
  } = useForm<AddInput>({ resolver: zodResolver(addMemberSchema), defaultValues: { projectId, email: "", role: "MEMBER" } });

  const onAdd = handleSubmit(async (values) => {
    const r = await addMember(values);
    if (!r.ok) {
      for (const [field, messages] of Object.entries(fieldErrorsOf(r.error))) setError(field as keyof AddInput, { type: "server", message: messages[0] });
      toastError(r.error);
      return;
    }
    toast.success(t("memberAdded"));
    reset({ projectId, email: "", role: values.role });
    router.refresh();
  });

  async function onRole(select: HTMLSelectElement, userId: string, previous: Role) {
    setBusyUser(userId);
    try {
      const r = await changeRole({ projectId, userId, role: select.value });
      if (!r.ok) {
        select.value = previous; // show the role that is still in force
        toastError(r.error);
      } else toast.success(t("roleChanged"));
      router.refresh();
    } finally {
      setBusyUser(null);
    }
  }

  return (
    <div className="space-y-6">
      {members.length === 0 ? (
        <EmptyState title={t("noMembers")} description={t("noMembersBody")} />
      ) : (
        <Table>
          <thead>
            <tr>
              <Th>{t("memberEmail")}</Th>
              <Th>{t("name")}</Th>
              <Th>{t("role")}</Th>
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
                <Td>
                  <NativeSelect
                    aria-label={t("roleFor", { email: m.email })}
                    defaultValue={m.role}
                    disabled={busyUser === m.userId}
                    onChange={(e) => void onRole(e.currentTarget, m.userId, m.role)}
                    className="w-40"
                  >
                    {PROJECT_ROLES.map((r) => (
                      <option key={r} value={r}>
                        {t(`roles.${r}`)}
                      </option>
                    ))}
                  </NativeSelect>
                </Td>
                <Td className="text-right">
                  <ConfirmButton
                    label={t("remove")}
                    accessibleLabel={t("removeNamed", { email: m.email })}
                    title={t("removeTitle", { email: m.email })}
                    body={t("removeBody")}
                    confirmLabel={t("remove")}
                    cancelLabel={t("cancel")}
                    closeLabel={tc("close")}
                    onConfirm={async () => {
                      const r = await removeMember({ projectId, userId: m.userId });
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
        <Field id="member-email" label={t("memberEmail")} hint={t("memberEmailHint")} error={errorText(errors.email?.message)} className="sm:w-80">
          <Input type="email" autoComplete="off" {...register("email")} required />
        </Field>
        <Field id="member-role" label={t("role")} error={errorText(errors.role?.message)} className="sm:w-44">
          <NativeSelect {...register("role")}>
            {PROJECT_ROLES.map((r) => (
              <option key={r} value={r}>
                {t(`roles.${r}`)}
              </option>
            ))}
          </NativeSelect>
        </Field>
        <Button type="submit" disabled={isSubmitting} className="sm:mt-6">
          {t("addMember")}
        </Button>
      </form>
    </div>
  );
}
