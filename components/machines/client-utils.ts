"use client";
// Small client helpers shared by the machine, lease and capacity components.
import { useTranslations } from "next-intl";
import { toast } from "sonner";
import type { ActionResult } from "@/lib/actions/run-action";
import type { ErrorBody } from "@/lib/errors";

export async function fetchJson<T>(url: string): Promise<T> {
  const res = await fetch(url, { cache: "no-store", headers: { Accept: "application/json" } });
  if (!res.ok) throw new Error(`HTTP ${res.status}`);
  return (await res.json()) as T;
}

/** A localized sentence for an error body (the server's text is English and for the API). */
export function useErrorText() {
  const t = useTranslations("common");
  return (e: ErrorBody) => t(`errors.${e.code}`, { ref: e.correlationId ?? "" });
}

/** Runs a server action, toasting success or the localized failure. Returns the result. */
export function useActionToast() {
  const errorText = useErrorText();
  return async function run<T>(
    call: Promise<ActionResult<T>>,
    messages: { success: string; failure: string },
  ): Promise<ActionResult<T>> {
    const r = await call;
    if (r.ok) toast.success(messages.success);
    else toast.error(messages.failure, { description: errorText(r.error) });
    return r;
  };
}

/** Field errors of a VALIDATION result, keyed by field name. */
export function fieldErrorsOf(r: ActionResult<unknown>): Record<string, string[]> {
  if (r.ok || r.error.code !== "VALIDATION") return {};
  return ((r.error.details as { fields?: Record<string, string[]> } | undefined)?.fields ?? {}) as Record<string, string[]>;
}

export const GiB = (mb: number) => Math.round((mb / 1024) * 10) / 10;
export const DAY_MS = 24 * 60 * 60 * 1000;
/** Whole days from now until `iso` (negative when past). */
export const daysUntil = (iso: string, now = Date.now()) => Math.floor((new Date(iso).getTime() - now) / DAY_MS);
