"use client";
// Turns a server action's error into a sentence in the user's language.
import { useFormatter, useTranslations } from "next-intl";
import type { ErrorBody } from "@/lib/errors";
import type { QuotaResource } from "@/lib/quotas/impact";

export function useErrorMessage() {
  const t = useTranslations("requests");
  const tc = useTranslations("common");
  const f = useFormatter();
  const resourceList = (resources: readonly QuotaResource[]) => f.list(resources.map((r) => t(`resources.${r}`)), { type: "conjunction" });
  return (error: ErrorBody): string => {
    if (error.code === "QUOTA_EXCEEDED") {
      const resources = (error.details?.resources as QuotaResource[] | undefined) ?? [];
      return resources.length ? t("errors.quotaExceeded", { resources: resourceList(resources) }) : tc("errors.QUOTA_EXCEEDED");
    }
    if (error.code === "INTERNAL") return tc("errors.INTERNAL", { ref: error.correlationId ?? "" });
    return tc(`errors.${error.code}`);
  };
}
