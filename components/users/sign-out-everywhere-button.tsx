"use client";
import { useTranslations } from "next-intl";
import { toast } from "sonner";
import { ConfirmButton } from "@/components/admin/confirm-button";
import type { ActionResult } from "@/lib/actions/run-action";

export function SignOutEverywhereButton({ action }: { action: () => Promise<ActionResult<{ sessionsEnded: number }>> }) {
  const t = useTranslations("users.security");
  return (
    <ConfirmButton
      label={t("signOutEverywhere")}
      title={t("signOutEverywhereTitle")}
      body={t("signOutEverywhereText")}
      confirmLabel={t("signOutEverywhere")}
      cancelLabel={t("cancel")}
      closeLabel={t("close")}
      variant="danger"
      onConfirm={async () => {
        // On success the action signs this browser out and redirects to the sign-in page.
        const r = await action();
        if (!r.ok) toast.error(t("failed"));
        return r.ok;
      }}
    />
  );
}
