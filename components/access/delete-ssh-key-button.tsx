"use client";
import { useRouter } from "next/navigation";
import { useTranslations } from "next-intl";
import { toast } from "sonner";
import { ConfirmButton } from "@/components/admin/confirm-button";
import type { ActionResult } from "@/lib/actions/run-action";

export function DeleteSshKeyButton({ keyId, name, action }: { keyId: string; name: string; action: (input: unknown) => Promise<ActionResult<{ keyId: string }>> }) {
  const t = useTranslations("access");
  const router = useRouter();
  return (
    <ConfirmButton
      label={t("delete")}
      accessibleLabel={t("deleteLabel", { name })}
      title={t("deleteTitle", { name })}
      body={t("deleteText")}
      confirmLabel={t("deleteConfirm")}
      cancelLabel={t("cancel")}
      closeLabel={t("close")}
      onConfirm={async () => {
        const r = await action({ keyId });
        if (!r.ok) {
          toast.error(r.error.message || t("deleteFailed"));
          return false;
        }
        toast.success(t("deleted"));
        router.refresh();
        return true;
      }}
    />
  );
}
