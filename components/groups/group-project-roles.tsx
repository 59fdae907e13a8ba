"use client";
import { useRouter } from "next/navigation";
import { useForm } from "react-hook-form";
import { useTranslations } from "next-intl";
import { toast } from "sonner";
import { Button } from "@/components/ui/button";
import { Field, NativeSelect } from "@/components/ui/field";
import { EmptyState } from "@/components/ui/card";
import { Table, Td, Th } from "@/components/ui/table";
import { ConfirmButton } from "@/components/admin/confirm-button";
import { useErrorText } from "@/components/admin/use-error-text";
import { fieldErrorsOf, useActionErrorToast, type ClientActionResult } from "@/components/admin/action-result";
import { PROJECT_ROLES } from "@/lib/projects/schemas";

type Action = (input: unknown) => Promise<ClientActionResult>;
type Role = (typeof PROJECT_ROLES)[number];

/** The roles a group grants in projects: one per project; grant (or change) and remove. */
export function GroupProjectRoles({
  groupId,
  roles,
  projects,
  setRole,
  removeRole,
}: {
  groupId: string;
  roles: { projectId: string; projectName: string; role: Role }[];
  projects: { id: string; name: string }[];
  setRole: Action;
  removeRole: Action;
}) {
  const t = useTranslations("groups");
  const tp = useTranslations("projects");
  const tc = useTranslations("common");
  const errorText = useErrorText();
  const toastError = useActionErrorToast();
  const router = useRouter();
  const {
    register,
    handleSubmit,
    setError,
    formState: { errors, isSubmitting },
  } = useForm<{ projectId: string; role: Role }>({ defaultValues: { projectId: "", role: "MEMBER" } });

  const onGrant = handleSubmit(async (values) => {
    const r = await setRole({ groupId, ...values });
    if (!r.ok) {
      const fields = fieldErrorsOf(r.error);
      if (fields.projectId) setError("projectId", { type: "server", message: fields.projectId[0] });
      toastError(r.error);
      return;
    }
    toast.success(t("roleGranted"));
    router.refresh();
  });

  return (
    <div className="space-y-4">
      {roles.length === 0 ? (
        <EmptyState title={t("noRoles")} description={t("noRolesBody")} />
      ) : (
        <Table aria-label={t("rolesTitle")}>
          <thead>
            <tr>
              <Th>{t("project")}</Th>
              <Th>{t("role")}</Th>
              <Th>
                <span className="sr-only">{t("remove")}</span>
              </Th>
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100">
            {roles.map((r) => (
              <tr key={r.projectId}>
                <Td>{r.projectName}</Td>
                <Td>{tp(`roles.${r.role}`)}</Td>
                <Td className="text-right">
                  <ConfirmButton
                    label={t("remove")}
                    accessibleLabel={t("removeRoleNamed", { project: r.projectName })}
                    title={t("removeRoleTitle", { project: r.projectName })}
                    body={t("removeRoleBody")}
                    confirmLabel={t("remove")}
                    cancelLabel={t("cancel")}
                    closeLabel={tc("close")}
                    onConfirm={async () => {
                      const res = await removeRole({ groupId, projectId: r.projectId });
                      if (!res.ok) {
                        toastError(res.error);
                        return false;
                      }
                      toast.success(t("roleRemoved"));
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
      <form onSubmit={onGrant} noValidate className="flex flex-col gap-3 sm:flex-row sm:items-start" aria-label={t("grantRole")}>
        <Field id="group-role-project" label={t("project")} hint={t("grantHint")} error={errorText(errors.projectId?.message)} className="sm:w-72">
          <NativeSelect {...register("projectId")} required>
            <option value="">{t("chooseProject")}</option>
            {projects.map((p) => (
              <option key={p.id} value={p.id}>
                {p.name}
              </option>
            ))}
          </NativeSelect>
        </Field>
        <Field id="group-role-role" label={t("role")} className="sm:w-44">
          <NativeSelect {...register("role")}>
            {PROJECT_ROLES.map((r) => (
              <option key={r} value={r}>
                {tp(`roles.${r}`)}
              </option>
            ))}
          </NativeSelect>
        </Field>
        <Button type="submit" disabled={isSubmitting} className="sm:mt-6">
          {t("grantRole")}
        </Button>
      </form>
    </div>
  );
}
