"use client";
// Creates a price book (for a provider, or a kind's default) and opens it.
import { useState } from "react";
import { useRouter } from "next/navigation";
import { useTranslations } from "next-intl";
import { toast } from "sonner";
import type { ActionResult } from "@/lib/actions/run-action";
import type { CreatePriceBookInput } from "@/lib/costs/schemas";

export function CreatePriceBookButton({
  input,
  label,
  text,
  action,
}: {
  input: CreatePriceBookInput;
  label: string;
  /** Visible text (default "Create"). */
  text?: string;
  action: (input: CreatePriceBookInput) => Promise<ActionResult<{ id: string }>>;
}) {
  const t = useTranslations("costs.priceBooks");
  const tc = useTranslations("common");
  const router = useRouter();
  const [busy, setBusy] = useState(false);
  return (
    <button
      type="button"
      disabled={busy}
      aria-label={label}
      className="font-medium text-indigo-700 hover:underline disabled:opacity-50"
      onClick={async () => {
        setBusy(true);
        const r = await action(input);
        setBusy(false);
        if (!r.ok) {
          toast.error(tc.has(`errors.${r.error.code}`) ? tc(`errors.${r.error.code}`, { ref: r.error.correlationId ?? "" }) : r.error.message);
          return;
        }
        toast.success(t("created"));
        router.push(`/admin/price-books/${r.data.id}`);
      }}
    >
      {text ?? t("create")}
    </button>
  );
}
