"use client";
import { Loader2 } from "lucide-react";
import { useTranslations } from "next-intl";
import { Badge, type BadgeTone } from "@/components/ui/badge";
import type { MachineState } from "@/lib/generated/prisma/enums";

const TONES: Record<MachineState, BadgeTone> = {
  REQUESTED: "gray",
  PROVISIONING: "blue",
  RUNNING: "green",
  STOPPING: "yellow",
  STOPPED: "gray",
  STARTING: "blue",
  REBOOTING: "blue",
  RESIZING: "blue",
  MIGRATING: "blue",
  RECOVERING: "yellow",
  RESTORING: "blue",
  DELETING: "yellow",
  DELETED: "gray",
  FAILED: "red",
};
const BUSY: readonly MachineState[] = ["REQUESTED", "PROVISIONING", "STOPPING", "STARTING", "REBOOTING", "RESIZING", "MIGRATING", "RECOVERING", "RESTORING", "DELETING"];

/** The machine's state as text (never colour alone), announced politely when it changes. */
export function StateBadge({ state, id }: { state: MachineState; id?: string }) {
  const t = useTranslations("machines");
  return (
    <Badge tone={TONES[state]} role="status" id={id} data-state={state} className="gap-1">
      {BUSY.includes(state) ? <Loader2 className="h-3 w-3 animate-spin" aria-hidden /> : null}
      {t(`states.${state}`)}
    </Badge>
  );
}
