import { useTranslations } from "next-intl";
import { Badge, type BadgeTone } from "@/components/ui/badge";
import type { RequestStatus } from "@/lib/generated/prisma/enums";

const tones: Record<RequestStatus, BadgeTone> = {
  PENDING_APPROVAL: "yellow",
  APPROVED: "blue",
  REJECTED: "red",
  CANCELLED: "gray",
  FULFILLED: "green",
  FAILED: "red",
};

/** A request's status as text (never colour alone). */
export function RequestStatusBadge({ status }: { status: RequestStatus }) {
  const t = useTranslations("requests");
  return <Badge tone={tones[status]}>{t(`status.${status}`)}</Badge>;
}
