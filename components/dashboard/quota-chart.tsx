"use client";
import { Bar, BarChart, Cell, LabelList, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";

export interface QuotaChartRow {
  label: string;
  /** Share of the limit in use, 0..100 (capped for drawing; the text says the real figure). */
  pct: number;
  /** "6 / 40", "12 GiB / 64 GiB": shown in the tooltip. */
  detail: string;
  /** "15 %": printed at the end of the bar. */
  share: string;
}

const colour = (pct: number) => (pct >= 90 ? "#dc2626" : pct >= 75 ? "#d97706" : "#4f46e5");

/**
 * Horizontal bars of the share of each quota in use for one project. Decorative for
 * assistive technology: the table that goes with it (see QuotaCard) carries the figures.
 */
export function QuotaChart({ rows }: { rows: QuotaChartRow[] }) {
  return (
    <div className="h-52 w-full" aria-hidden>
      <ResponsiveContainer width="100%" height="100%">
        <BarChart accessibilityLayer={false} data={rows} layout="vertical" margin={{ top: 0, right: 48, bottom: 0, left: 0 }} barCategoryGap={6}>
          <XAxis type="number" domain={[0, 100]} hide />
          <YAxis type="category" dataKey="label" width={86} tick={{ fontSize: 12, fill: "#334155" }} tickLine={false} axisLine={false} />
          <Tooltip
            cursor={{ fill: "#f1f5f9" }}
            formatter={(_v, _n, item) => [(item.payload as QuotaChartRow).detail, (item.payload as QuotaChartRow).share]}
          />
          <Bar dataKey="pct" background={{ fill: "#e2e8f0" }} radius={[0, 4, 4, 0]} isAnimationActive={false}>
            {rows.map((r) => (
              <Cell key={r.label} fill={colour(r.pct)} />
            ))}
            <LabelList dataKey="share" position="right" offset={6} style={{ fontSize: 12, fill: "#334155" }} />
          </Bar>
        </BarChart>
      </ResponsiveContainer>
    </div>
  );
}
