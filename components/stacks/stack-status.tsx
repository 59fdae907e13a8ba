import { getTranslations } from "next-intl/server";
import { Badge, type BadgeTone } from "@/components/ui/badge";

const TONES: Record<string, BadgeTone> = { DRAFT: "gray", PENDING_APPROVAL: "yellow", APPLYING: "blue", APPLIED: "green", FAILED: "red", DESTROYING: "blue", DESTROYED: "gray" };

export async function StackStatusBadge({ status }: { status: string }) {
  const t = await getTranslations("stacks");
  return <Badge tone={TONES[status] ?? "gray"}>{t(`statuses.${status}` as "statuses.APPLIED")}</Badge>;
}

export async function DriftBadge({ drift, paused }: { drift: string[]; paused: boolean }) {
  const t = await getTranslations("stacks");
  return (
    <span className="inline-flex flex-wrap gap-1">
      <Badge tone={drift.length ? "yellow" : "green"} title={drift.join("\n") || undefined}>
        {drift.length ? t("driftCount", { count: drift.length }) : t("driftNone")}
      </Badge>
      {paused ? <Badge tone="red">{t("healingPaused")}</Badge> : null}
    </span>
  );
}
