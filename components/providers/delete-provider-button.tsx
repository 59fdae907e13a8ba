"use client";
import { useRouter } from "next/navigation";
import { useTranslations } from "next-intl";
import { toast } from "sonner";
import { ConfirmButton } from "@/components/admin/confirm-button";
import { useActionErrorToast, type ClientActionResult } from "@/components/admin/action-result";

/** Deletes a provider nothing runs on; while machines live on it, says why it cannot. */
export function DeleteProviderButton({
  id,
  name,
  liveMachines,
  remove,
}: {
  id: string;
  name: string;
  liveMachines: number;
  remove: (input: unknown) => Promise<ClientActionResult<{ id: string }>>;
}) {
  const t = useTranslations("providers");
  const tc = useTranslations("common");
  const toastError = useActionErrorToast();
  const router = useRouter();
  if (liveMachines > 0) {
    return (
      <p className="text-sm text-slate-700" data-testid="delete-blocked">
        {t("deleteBlockedCount", { count: liveMachines })}
      </p>
    );
  }
  return (
    <ConfirmButton
      label={t("delete")}
      accessibleLabel={t("deleteLabel", { name })}
      variant="danger"
      title={t("deleteTitle", { name })}
      body={t("deleteBody")}
      confirmLabel={t("delete")}
      cancelLabel={t("cancel")}
      closeLabel={tc("close")}
      onConfirm={async () => {
        const r = await remove({ id });
        if (!r.ok) {
          toastError(r.error);
          router.refresh();
          return false;
        }
        toast.success(t("deleted", { name }));
        router.push("/admin/providers");
        router.refresh();
        return true;
      }}
    />
  );
}
