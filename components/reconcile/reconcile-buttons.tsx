"use client";
import { useRouter } from "next/navigation";
import { useTranslations } from "next-intl";
import { useTransition } from "react";
import { toast } from "sonner";
import { Button } from "@/components/ui/button";
import { reconcileProviderAction, runCountersReconcileAction } from "@/app/(portal)/admin/reconcile/actions";
import { useErrorText } from "@/components/machines/client-utils";

/** "Check counters now", with or without repairing what drifted. */
export function CountersReconcileButtons() {
  const t = useTranslations("reconcile");
  const errorText = useErrorText();
  const router = useRouter();
  const [pending, startTransition] = useTransition();
  const run = (repair: boolean) =>
    startTransition(async () => {
      const r = await runCountersReconcileAction({ repair });
      if (r.ok) {
        if (r.data.drift === 0) toast.success(t("countersOk"));
        else toast.warning(repair ? t("countersRepaired", { drift: r.data.drift, repaired: r.data.repaired }) : t("countersDrift", { drift: r.data.drift }));
      } else toast.error(t("countersFailed"), { description: errorText(r.error) });
      router.refresh();
    });
  return (
    <div className="flex flex-wrap gap-2">
      <Button size="sm" disabled={pending} onClick={() => run(true)}>
        {t("checkAndRepair")}
      </Button>
      <Button size="sm" variant="secondary" disabled={pending} onClick={() => run(false)}>
        {t("checkOnly")}
      </Button>
    </div>
  );
}

/** Runs a provider's inventory sync and ownership reconcile now. */
export function ProviderReconcileButton({ providerId, name }: { providerId: string; name: string }) {
  const t = useTranslations("reconcile");
  const errorText = useErrorText();
  const router = useRouter();
  const [pending, startTransition] = useTransition();
  const run = () =>
    startTransition(async () => {
      const r = await reconcileProviderAction({ id: providerId });
      if (!r.ok) toast.error(t("providerFailed", { name }), { description: errorText(r.error) });
      else if ("failed" in r.data) toast.error(t("providerFailed", { name }), { description: r.data.failed });
      else toast.success(t("providerDone", { name, findings: r.data.findings }));
      router.refresh();
    });
  return (
    <Button size="sm" variant="secondary" disabled={pending} onClick={run} aria-label={t("reconcileProviderLabel", { name })}>
      {t("reconcileProvider")}
    </Button>
  );
}
