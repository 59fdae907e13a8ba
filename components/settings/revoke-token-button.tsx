"use client";
import { useRouter } from "next/navigation";
import { useTranslations } from "next-intl";
import { toast } from "sonner";
import { ConfirmButton } from "@/components/admin/confirm-button";
import type { ActionResult } from "@/lib/actions/run-action";

export function RevokeTokenButton({
  tokenId,
  name,
  action,
}: {
  tokenId: string;
  name: string;
  action: (input: unknown) => Promise<ActionResult<{ tokenId: string }>>;
}) {
  const t = useTranslations("settings.tokens");
  const router = useRouter();
  return (
    <ConfirmButton
      label={t("revoke")}
      accessibleLabel={t("revokeLabel", { name })}
      title={t("revokeTitle", { name })}
      body={t("revokeText")}
      confirmLabel={t("revokeConfirm")}
      cancelLabel={t("cancel")}
      closeLabel={t("close")}
      onConfirm={async () => {
        const r = await action({ tokenId });
        if (!r.ok) {
          toast.error(r.error.message || t("revokeFailed"));
          return false;
        }
        toast.success(t("revoked"));
        router.refresh();
        return true;
      }}
    />
  );
}
