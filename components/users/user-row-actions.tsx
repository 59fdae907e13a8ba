"use client";
import { useRouter } from "next/navigation";
import { useTranslations } from "next-intl";
import { toast } from "sonner";
import { ConfirmButton } from "@/components/admin/confirm-button";
import type { ActionResult } from "@/lib/actions/run-action";

type Action = (input: unknown) => Promise<ActionResult<unknown>>;

export function UserRowActions({
  user,
  self,
  actions,
}: {
  user: { id: string; email: string; disabled: boolean };
  self: boolean;
  actions: { setDisabled: Action; revoke: Action; remove: Action };
}) {
  const t = useTranslations("users.admin");
  const router = useRouter();
  const run = (fn: () => Promise<ActionResult<unknown>>) => async () => {
    const r = await fn();
    if (!r.ok) {
      toast.error(t("failed", { message: r.error.message }));
      return false;
    }
    toast.success(t("done"));
    router.refresh();
    return true;
  };
  const common = { cancelLabel: t("cancel"), closeLabel: t("close") };
  const email = user.email;
  return (
    <div className="flex flex-wrap justify-end gap-2">
      {self ? null : user.disabled ? (
        <ConfirmButton
          {...common}
          label={t("enable")}
          accessibleLabel={t("enableLabel", { email })}
          title={t("enableTitle", { email })}
          body={t("enableText")}
          confirmLabel={t("enable")}
          confirmVariant="primary"
          onConfirm={run(() => actions.setDisabled({ id: user.id, disabled: false }))}
        />
      ) : (
        <ConfirmButton
          {...common}
          label={t("disable")}
          accessibleLabel={t("disableLabel", { email })}
          title={t("disableTitle", { email })}
          body={t("disableText")}
          confirmLabel={t("disable")}
          onConfirm={run(() => actions.setDisabled({ id: user.id, disabled: true }))}
        />
      )}
      <ConfirmButton
        {...common}
        label={t("revoke")}
        accessibleLabel={t("revokeLabel", { email })}
        title={t("revokeTitle", { email })}
        body={t("revokeText")}
        confirmLabel={t("revoke")}
        onConfirm={run(() => actions.revoke({ id: user.id, sessions: true, tokens: true }))}
      />
      {self ? null : (
        <ConfirmButton
          {...common}
          label={t("delete")}
          accessibleLabel={t("deleteLabel", { email })}
          title={t("deleteTitle", { email })}
          body={t("deleteText")}
          confirmLabel={t("delete")}
          onConfirm={run(() => actions.remove({ id: user.id }))}
        />
      )}
    </div>
  );
}
