"use client";
// One line on a provision in the machine's history: which provider the project's placement
// policy chose, at what monthly price, and which preferred providers were full.
import { useFormatter, useTranslations } from "next-intl";
import type { PlacementView } from "@/lib/costs/placement-view";
import { formatCost } from "./format";

export function PlacementLine({ placement }: { placement: PlacementView }) {
  const t = useTranslations("machines.history");
  const tp = useTranslations("costs.policies");
  const f = useFormatter();
  const policy = tp.has(placement.policy) ? tp(placement.policy) : placement.policy;
  return (
    <p className="mt-1 text-sm text-slate-700" data-testid="placement-reason">
      {t("placed", { provider: placement.providerName, policy, price: placement.monthly === null || !placement.currency ? "none" : formatCost(f, placement.monthly, placement.currency) })}
      {placement.skipped.length ? ` ${t("placedSkipped", { providers: placement.skipped.join(", ") })}` : null}
    </p>
  );
}
