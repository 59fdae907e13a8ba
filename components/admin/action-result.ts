"use client";
import { toast } from "sonner";
import { useTranslations } from "next-intl";
import type { ErrorBody } from "@/lib/errors";

export type ClientActionResult<T = unknown> = { ok: true; data: T } | { ok: false; error: ErrorBody };

/**
 * Shows a failed server action as a toast in the user's language (validation failures are
 * also shown next to the fields by the form). Returns a function for the component to call.
 */
export function useActionErrorToast() {
  const t = useTranslations("common");
  return (error: ErrorBody) => {
    const code = error.code;
    const text = t.has(`errors.${code}`) ? t(`errors.${code}`, { ref: error.correlationId ?? "" }) : t("errors.INTERNAL", { ref: error.correlationId ?? "" });
    toast.error(text);
  };
}

/** The field errors of a VALIDATION failure ({ field: [messageKey] }), or {}. */
export function fieldErrorsOf(error: ErrorBody): Record<string, string[]> {
  if (error.code !== "VALIDATION") return {};
  const fields = (error.details as { fields?: Record<string, string[]> } | undefined)?.fields;
  return fields ?? {};
}
