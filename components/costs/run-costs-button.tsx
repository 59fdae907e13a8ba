"use client";
// Administrators: bring the cost ledger up to date now instead of at the next scheduled run.
import { useState } from "react";
import { useRouter } from "next/navigation";
import { useTranslations } from "next-intl";
import { toast } from "sonner";
import { Button } from "@/components/ui/button";
import type { ActionResult } from "@/lib/actions/run-action";

export function RunCostsButton({ action }: { action: (input: Record<string, never>) => Promise<ActionResult<{ queued: true }>> }) {
  const t = useTranslations("costs.page");
  const router = useRouter();
  const [busy, setBusy] = useState(false);
  return (
    <Button
      type="button"
      variant="secondary"
      size="sm"
      disabled={busy}
      onClick={async () => {
        setBusy(true);
        const r = await action({});
        if (!r.ok) {
          setBusy(false);
          toast.error(t("runFailed"));
          return;
        }
        toast.success(t("runQueued"));
        // The worker usually finishes within seconds: show the new figures then.
        setTimeout(() => {
          router.refresh();
          setBusy(false);
        }, 4000);
      }}
    >
      {t("runNow")}
    </Button>
  );
}
