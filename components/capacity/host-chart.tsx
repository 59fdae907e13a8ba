"use client";
import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { useTranslations } from "next-intl";

export interface HostChartRow {
  name: string;
  used: number;
  free: number;
}

/** Stacked bars of allocated vs free vCPU per host; the table beside it carries the same numbers as text. */
export function HostChart({ rows }: { rows: HostChartRow[] }) {
  const t = useTranslations("capacity.hosts");
  if (!rows.length) return null;
  return (
    <figure className="mb-6 rounded-lg border border-slate-200 bg-white p-4">
      <figcaption className="mb-2">
        <span className="block text-sm font-semibold text-slate-900">{t("chartTitle")}</span>
        <span className="block text-xs text-slate-600">{t("chartDescription")}</span>
      </figcaption>
      <div className="h-64" aria-hidden>
        <ResponsiveContainer width="100%" height="100%">
          <BarChart accessibilityLayer={false} data={rows} margin={{ top: 8, right: 8, bottom: 8, left: 0 }}>
            <CartesianGrid strokeDasharray="3 3" vertical={false} />
            <XAxis dataKey="name" tick={{ fontSize: 11 }} interval={0} angle={rows.length > 8 ? -30 : 0} textAnchor={rows.length > 8 ? "end" : "middle"} height={rows.length > 8 ? 50 : 30} />
            <YAxis allowDecimals={false} tick={{ fontSize: 11 }} />
            <Tooltip />
            <Legend />
            <Bar dataKey="used" name={t("allocated")} stackId="vcpu" fill="#4f46e5" />
            <Bar dataKey="free" name={t("free")} stackId="vcpu" fill="#cbd5e1" />
          </BarChart>
        </ResponsiveContainer>
      </div>
    </figure>
  );
}
