"use client";
// Small pieces shared by the monitoring charts (machine page, project and admin views).
import { useFormatter, useTranslations } from "next-intl";
import type { MetricRange } from "@/lib/monitoring/schemas";

export const POLL_MS: Record<MetricRange, number> = { "1h": 15_000, "24h": 60_000, "7d": 300_000, "30d": 300_000 };
export const AXIS = { fontSize: 11, fill: "#334155" };

export function useBytes() {
  const f = useFormatter();
  return (n: number) => {
    const units = ["B", "KiB", "MiB", "GiB", "TiB"];
    let v = n;
    let i = 0;
    while (v >= 1024 && i < units.length - 1) {
      v /= 1024;
      i++;
    }
    return `${f.number(v, { maximumFractionDigits: v < 10 ? 1 : 0 })} ${units[i]}`;
  };
}

export function useTimeLabel(range: MetricRange) {
  const f = useFormatter();
  return (iso: string) =>
    f.dateTime(new Date(iso), range === "1h" || range === "24h" ? { hour: "2-digit", minute: "2-digit" } : { day: "2-digit", month: "short", hour: "2-digit" });
}

export function RangePicker({ label, value, onChange, ranges }: { label: string; value: MetricRange; onChange: (r: MetricRange) => void; ranges: readonly MetricRange[] }) {
  const t = useTranslations("monitoring.charts");
  return (
    <div role="group" aria-label={label} className="flex gap-1">
      {ranges.map((r) => (
        <button
          key={r}
          type="button"
          aria-pressed={value === r}
          onClick={() => onChange(r)}
          className={`rounded px-2 py-1 text-xs font-medium ${value === r ? "bg-indigo-600 text-white" : "bg-slate-100 text-slate-800 hover:bg-slate-200"}`}
        >
          {t(`ranges.${r}`)}
        </button>
      ))}
    </div>
  );
}
