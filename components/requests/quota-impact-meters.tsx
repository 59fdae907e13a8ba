// Quota bars: the project's usage plus one request, against each limit. Renders on the
// server (approvals page) and in the browser (the request form's live preview).
import { useFormatter, useTranslations } from "next-intl";
import { UsageMeter } from "@/components/ui/meter";
import type { ImpactLine } from "@/lib/quotas/impact";
import { formatCount, formatGib, formatMoney } from "@/components/catalog/format";

export function QuotaImpactMeters({ lines, currency }: { lines: ImpactLine[]; currency: string }) {
  const t = useTranslations("requests");
  const tc = useTranslations("catalog");
  const f = useFormatter();
  const formatter = (unit: ImpactLine["unit"]) => (n: number) => {
    switch (unit) {
      case "mib":
        return tc("gib", { value: formatGib(f, n) });
      case "gb":
        return tc("gb", { value: formatCount(f, n) });
      case "cents":
        return formatMoney(f, n, currency);
      default:
        return formatCount(f, n);
    }
  };
  return (
    <div className="space-y-3">
      {lines.map((l) => {
        const fmt = formatter(l.unit);
        if (l.limit === null) {
          return (
            <p key={l.resource} className="text-xs text-slate-700">
              {t("noBudget", { used: fmt(l.used), adding: fmt(l.adding) })}
            </p>
          );
        }
        return <UsageMeter key={l.resource} label={t(`resources.${l.resource}`)} used={l.used} adding={l.adding} limit={l.limit} format={fmt} />;
      })}
    </div>
  );
}
