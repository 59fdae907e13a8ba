"use client";
import { useTranslations } from "next-intl";

/** Announces that the form has errors (the messages themselves sit next to each field). */
export function FormErrorSummary({ show }: { show: boolean }) {
  const t = useTranslations("common");
  if (!show) return null;
  return (
    <div role="alert" className="rounded-md border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-800">
      {t("errors.VALIDATION")}
    </div>
  );
}
