"use client";
import { useTranslations } from "next-intl";

/**
 * Validation messages travel as message keys ("offerings.validation.vcpuRange") from the
 * shared zod schemas and the services; this turns one into text in the user's language.
 * Anything that is not a known key is shown as it is.
 */
export function useErrorText() {
  const t = useTranslations();
  return (message: string | undefined | null): string | undefined => {
    if (!message) return undefined;
    return t.has(message) ? t(message) : message;
  };
}
