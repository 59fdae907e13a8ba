"use client";
import { useRouter } from "next/navigation";
import { useTranslations } from "next-intl";
import { toast } from "sonner";
import { ConfirmButton } from "@/components/admin/confirm-button";
import { useActionErrorToast, type ClientActionResult } from "@/components/admin/action-result";

export function DeleteGroupButton({ id, name, remove }: { id: string; name: string; remove: (input: unknown) => Promise<ClientActionResult> }) {
  const t = useTranslations("groups");
  const tc = useTranslations("common");
  const toastError = useActionErrorToast();
  const router = useRouter();
  return (
    <ConfirmButton
      label={t("delete")}
      accessibleLabel={t("deleteNamed", { name })}
      title={t("deleteTitle", { name })}
      body={t("deleteBody")}
      confirmLabel={t("delete")}
      cancelLabel={t("cancel")}
      closeLabel={tc("close")}
      onConfirm={async () => {
        const r = await remove({ id });
        if (!r.ok) {
          toastError(r.error);
          return false;
        }
        toast.success(t("deleted"));
        router.push("/admin/groups");
        return true;
      }}
    />
  );
}
