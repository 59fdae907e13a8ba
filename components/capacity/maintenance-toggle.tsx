"use client";
import { useRouter } from "next/navigation";
import { useTranslations } from "next-intl";
import { useTransition } from "react";
import { toast } from "sonner";
import { Button } from "@/components/ui/button";
import { setHostMaintenanceAction } from "@/app/(portal)/admin/hosts/actions";
import { useErrorText } from "@/components/machines/client-utils";

/** Puts a host into maintenance (placement skips it) or takes it out. */
export function MaintenanceToggle({ hostId, name, state }: { hostId: string; name: string; state: "ACTIVE" | "MAINTENANCE" | "DISABLED" | "FAILED" }) {
  const t = useTranslations("capacity.hosts");
  const errorText = useErrorText();
  const router = useRouter();
  const [pending, startTransition] = useTransition();
  if (state === "DISABLED" || state === "FAILED") return null;
  const entering = state === "ACTIVE";
  const toggle = () =>
    startTransition(async () => {
      const r = await setHostMaintenanceAction({ hostId, maintenance: entering });
      if (r.ok) toast.success(entering ? t("maintenanceOn", { name }) : t("maintenanceOff", { name }));
      else toast.error(entering ? t("enterMaintenanceLabel", { name }) : t("leaveMaintenanceLabel", { name }), { description: errorText(r.error) });
      router.refresh();
    });
  return (
    <Button size="sm" variant="secondary" disabled={pending} onClick={toggle} aria-label={entering ? t("enterMaintenanceLabel", { name }) : t("leaveMaintenanceLabel", { name })}>
      {entering ? t("enterMaintenance") : t("leaveMaintenance")}
    </Button>
  );
}
