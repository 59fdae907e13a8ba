"use client";
import Link from "next/link";
import { useFormatter, useTranslations } from "next-intl";
import type { MaintenanceOverview } from "@/lib/maintenance/get-maintenance-overview";
import { cn } from "@/lib/cn";

type Window = MaintenanceOverview["windows"][number];

const shiftMonth = (month: string, by: number) => {
  const [y, m] = month.split("-").map(Number);
  const d = new Date(Date.UTC(y, m - 1 + by, 1));
  return d.toISOString().slice(0, 7);
};

/**
 * A month grid (weeks start on Monday, UTC days) with the windows that touch each day. A
 * table with a caption and header cells, so screen readers read it as a calendar; every
 * window is also listed in words next to it.
 */
export function MaintenanceCalendar({ month, windows, today }: { month: string; windows: Window[]; today: string }) {
  const t = useTranslations("maintenance");
  const format = useFormatter();
  const [y, m] = month.split("-").map(Number);
  const first = new Date(Date.UTC(y, m - 1, 1));
  const days = new Date(Date.UTC(y, m, 0)).getUTCDate();
  const lead = (first.getUTCDay() + 6) % 7;
  const cells: (number | null)[] = [...Array(lead).fill(null), ...Array.from({ length: days }, (_, i) => i + 1)];
  while (cells.length % 7) cells.push(null);
  const weeks = Array.from({ length: cells.length / 7 }, (_, i) => cells.slice(i * 7, i * 7 + 7));
  const weekday = (i: number) => format.dateTime(new Date(Date.UTC(2024, 0, 1 + i)), { weekday: "short", timeZone: "UTC" });
  const on = (day: number) => {
    const start = Date.UTC(y, m - 1, day);
    const end = start + 86_400_000;
    return windows.filter((w) => new Date(w.startsAt).getTime() < end && new Date(w.endsAt).getTime() > start);
  };
  const title = format.dateTime(first, { month: "long", year: "numeric", timeZone: "UTC" });
  return (
    <div>
      <div className="mb-2 flex items-center justify-between">
        <Link href={`?month=${shiftMonth(month, -1)}`} className="text-sm text-indigo-700 hover:underline" aria-label={t("calendar.previous")}>
          ← {t("calendar.previous")}
        </Link>
        <h2 className="text-base font-semibold text-slate-900">{title}</h2>
        <Link href={`?month=${shiftMonth(month, 1)}`} className="text-sm text-indigo-700 hover:underline" aria-label={t("calendar.next")}>
          {t("calendar.next")} →
        </Link>
      </div>
      <table className="w-full table-fixed border-collapse text-xs" aria-label={t("calendar.label", { month: title })}>
        <caption className="sr-only">{t("calendar.label", { month: title })}</caption>
        <thead>
          <tr>
            {Array.from({ length: 7 }, (_, i) => (
              <th key={i} scope="col" className="border border-slate-200 bg-slate-50 p-1 font-medium text-slate-600">
                {weekday(i)}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {weeks.map((w, wi) => (
            <tr key={wi}>
              {w.map((day, di) => {
                const list = day ? on(day) : [];
                const iso = day ? `${month}-${String(day).padStart(2, "0")}` : "";
                return (
                  <td key={di} className={cn("h-20 border border-slate-200 p-1 align-top", iso === today && "bg-indigo-50")} data-day={iso || undefined}>
                    {day ? <div className="mb-1 font-medium text-slate-700">{day}</div> : null}
                    <ul className="space-y-0.5">
                      {list.map((x) => (
                        <li
                          key={x.id}
                          className={cn(
                            "truncate rounded px-1 py-0.5",
                            x.status === "ACTIVE" ? "bg-amber-200 text-amber-900" : x.status === "COMPLETED" ? "bg-slate-200 text-slate-700" : "bg-indigo-100 text-indigo-900",
                          )}
                          title={`${x.where}: ${x.reason}`}
                        >
                          {x.where}
                        </li>
                      ))}
                    </ul>
                  </td>
                );
              })}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
