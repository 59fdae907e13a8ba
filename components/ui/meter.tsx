import { cn } from "@/lib/cn";

/** A labelled usage bar: used + adding against a limit (quota, host capacity). */
export function UsageMeter({
  label,
  used,
  adding = 0,
  limit,
  format = (n: number) => String(n),
}: {
  label: string;
  used: number;
  adding?: number;
  limit: number;
  format?: (n: number) => string;
}) {
  const total = used + adding;
  const over = limit >= 0 && total > limit;
  const pct = (n: number) => (limit > 0 ? Math.min(100, (n / limit) * 100) : n > 0 ? 100 : 0);
  return (
    <div>
      <div className="flex justify-between text-xs">
        <span className="font-medium text-slate-700">{label}</span>
        <span className={cn("tabular-nums", over ? "font-semibold text-red-700" : "text-slate-700")}>
          {format(used)}
          {adding ? ` + ${format(adding)}` : ""} / {format(limit)}
        </span>
      </div>
      <div
        className="mt-1 flex h-2 overflow-hidden rounded-full bg-slate-200"
        role="meter"
        aria-label={label}
        aria-valuemin={0}
        aria-valuemax={limit}
        aria-valuenow={total}
        aria-valuetext={`${format(total)} / ${format(limit)}`}
      >
        <div className="bg-slate-500" style={{ width: `${pct(used)}%` }} />
        {adding ? <div className={over ? "bg-red-500" : "bg-indigo-500"} style={{ width: `${Math.max(0, pct(total) - pct(used))}%` }} /> : null}
      </div>
    </div>
  );
}
