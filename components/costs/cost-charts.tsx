"use client";
// The Costs page's charts. Decorative for assistive technology (aria-hidden): each sits next
// to a table with the same figures (the page renders it).
import { useFormatter } from "next-intl";
import { Area, AreaChart, Bar, BarChart, CartesianGrid, Cell, Legend, ReferenceLine, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";

const COMPUTE = "#4f46e5";
const STORAGE = "#0ea5e9";
const PALETTE = ["#4f46e5", "#0ea5e9", "#16a34a", "#d97706", "#db2777", "#7c3aed", "#0891b2", "#65a30d", "#dc2626", "#475569"];

const useMoney = (currency: string) => {
  const f = useFormatter();
  return (units: number) => f.number(units, { style: "currency", currency, notation: Math.abs(units) >= 10_000 ? "compact" : "standard", maximumFractionDigits: Math.abs(units) < 1 && units !== 0 ? 4 : 2 });
};

export interface TrendPoint {
  label: string;
  compute: number;
  storage: number;
}

/** Stacked bars of compute and storage per month (currency units). */
export function TrendChart({ points, currency, labels }: { points: TrendPoint[]; currency: string; labels: { compute: string; storage: string } }) {
  const money = useMoney(currency);
  return (
    <div className="h-64 w-full" aria-hidden data-testid="trend-chart">
      <ResponsiveContainer width="100%" height="100%">
        <BarChart accessibilityLayer={false} data={points} margin={{ top: 8, right: 8, bottom: 0, left: 8 }}>
          <CartesianGrid vertical={false} stroke="#e2e8f0" />
          <XAxis dataKey="label" tick={{ fontSize: 12, fill: "#334155" }} tickLine={false} axisLine={false} />
          <YAxis tickFormatter={(v: number) => money(v)} tick={{ fontSize: 12, fill: "#334155" }} tickLine={false} axisLine={false} width={72} />
          <Tooltip formatter={(v) => money(Number(v))} cursor={{ fill: "#f1f5f9" }} />
          <Legend wrapperStyle={{ fontSize: 12 }} />
          <Bar dataKey="compute" name={labels.compute} stackId="c" fill={COMPUTE} isAnimationActive={false} />
          <Bar dataKey="storage" name={labels.storage} stackId="c" fill={STORAGE} radius={[3, 3, 0, 0]} isAnimationActive={false} />
        </BarChart>
      </ResponsiveContainer>
    </div>
  );
}

export interface DailyPoint {
  label: string;
  cumulative: number;
}

/** The month's cumulative cost, with the budget as a line (currency units). */
export function DailyChart({ points, budget, currency, labels }: { points: DailyPoint[]; budget: number | null; currency: string; labels: { cumulative: string; budget: string } }) {
  const money = useMoney(currency);
  return (
    <div className="h-64 w-full" aria-hidden data-testid="daily-chart">
      <ResponsiveContainer width="100%" height="100%">
        <AreaChart accessibilityLayer={false} data={points} margin={{ top: 8, right: 8, bottom: 0, left: 8 }}>
          <CartesianGrid vertical={false} stroke="#e2e8f0" />
          <XAxis dataKey="label" tick={{ fontSize: 12, fill: "#334155" }} tickLine={false} axisLine={false} interval="preserveStartEnd" />
          <YAxis tickFormatter={(v: number) => money(v)} tick={{ fontSize: 12, fill: "#334155" }} tickLine={false} axisLine={false} width={72} domain={[0, (max: number) => Math.max(max, budget ?? 0)]} />
          <Tooltip formatter={(v) => money(Number(v))} />
          <Area type="monotone" dataKey="cumulative" name={labels.cumulative} stroke={COMPUTE} fill="#c7d2fe" isAnimationActive={false} />
          {budget !== null ? <ReferenceLine y={budget} stroke="#dc2626" strokeDasharray="4 4" label={{ value: labels.budget, position: "insideTopRight", fontSize: 12, fill: "#b91c1c" }} /> : null}
        </AreaChart>
      </ResponsiveContainer>
    </div>
  );
}

export interface BreakdownPoint {
  label: string;
  total: number;
  share: string;
}

/** Horizontal bars of the month's cost per group (currency units). */
export function BreakdownChart({ points, currency }: { points: BreakdownPoint[]; currency: string }) {
  const money = useMoney(currency);
  const height = Math.max(120, points.length * 34 + 16);
  return (
    <div className="w-full" style={{ height }} aria-hidden data-testid="breakdown-chart">
      <ResponsiveContainer width="100%" height="100%">
        <BarChart accessibilityLayer={false} data={points} layout="vertical" margin={{ top: 0, right: 56, bottom: 0, left: 0 }} barCategoryGap={6}>
          <XAxis type="number" hide />
          <YAxis type="category" dataKey="label" width={140} tick={{ fontSize: 12, fill: "#334155" }} tickLine={false} axisLine={false} />
          <Tooltip formatter={(v) => money(Number(v))} cursor={{ fill: "#f1f5f9" }} />
          <Bar dataKey="total" radius={[0, 4, 4, 0]} isAnimationActive={false} label={{ position: "right", fontSize: 12, fill: "#334155", formatter: (v: unknown) => money(Number(v)) }}>
            {points.map((p, i) => (
              <Cell key={p.label} fill={PALETTE[i % PALETTE.length]} />
            ))}
          </Bar>
        </BarChart>
      </ResponsiveContainer>
    </div>
  );
}
