"use client";
// Pieces every list shares (machines, approvals, admin lists): sortable column headers that
// say their order to assistive technology (aria-sort) and keep the other query parameters,
// a row-selection model with a bulk action bar, and a capped count ("10,000+").
import * as React from "react";
import Link from "next/link";
import { useFormatter, useTranslations } from "next-intl";
import { cn } from "@/lib/cn";

export type SortDir = "asc" | "desc";

/** The URL of a list with some query parameters changed (paging always starts over). */
export function listHref(basePath: string, params: Record<string, string | undefined>, change: Record<string, string | undefined>): string {
  const sp = new URLSearchParams();
  for (const [k, v] of Object.entries({ ...params, ...change })) if (v && k !== "page" && k !== "cursor") sp.set(k, v);
  const q = sp.toString();
  return q ? `${basePath}?${q}` : basePath;
}

/**
 * A column header that sorts the list: a link to the same list sorted by `column` (the other
 * direction when it already is), with aria-sort on the header cell.
 */
export function SortableTh({
  column,
  label,
  sort,
  dir,
  firstDir = "asc",
  basePath,
  params,
  className,
}: {
  column: string;
  label: string;
  sort: string;
  dir: SortDir;
  /** The direction of the first click (e.g. "desc" for cost: most expensive first). */
  firstDir?: SortDir;
  basePath: string;
  params: Record<string, string | undefined>;
  className?: string;
}) {
  const active = sort === column;
  const next: SortDir = active ? (dir === "asc" ? "desc" : "asc") : firstDir;
  return (
    <th
      scope="col"
      aria-sort={active ? (dir === "asc" ? "ascending" : "descending") : "none"}
      className={cn("bg-slate-50 px-4 py-2 text-left text-xs font-semibold uppercase tracking-wide text-slate-700", className)}
    >
      <Link href={listHref(basePath, params, { sort: column, dir: next })} scroll={false} className="inline-flex items-center gap-1 hover:text-indigo-700 focus-visible:outline-2 focus-visible:outline-indigo-600">
        {label}
        <span aria-hidden="true" className={cn("text-[10px]", active ? "text-slate-900" : "text-slate-400")}>
          {active ? (dir === "asc" ? "▲" : "▼") : "↕"}
        </span>
      </Link>
    </th>
  );
}

/**
 * The sort of a list on a phone, where the header row is hidden (rows are cards): one link per
 * sortable column, the current one marked with its direction. Same URLs as SortableTh.
 */
export function PhoneSortLinks({
  columns,
  sort,
  dir,
  basePath,
  params,
}: {
  columns: { column: string; label: string; firstDir?: SortDir }[];
  sort: string;
  dir: SortDir;
  basePath: string;
  params: Record<string, string | undefined>;
}) {
  const t = useTranslations("common");
  return (
    <nav aria-label={t("sortBy")} className="mb-2 flex flex-wrap items-center gap-x-3 gap-y-1 text-sm sm:hidden" data-testid="phone-sort">
      <span className="text-slate-600">{t("sortBy")}:</span>
      {columns.map(({ column, label, firstDir = "asc" }) => {
        const active = sort === column;
        const next: SortDir = active ? (dir === "asc" ? "desc" : "asc") : firstDir;
        return (
          <Link
            key={column}
            href={listHref(basePath, params, { sort: column, dir: next })}
            scroll={false}
            aria-current={active ? "true" : undefined}
            className={cn("inline-flex items-center gap-1 rounded px-1 py-1 underline-offset-2 hover:underline", active ? "font-semibold text-slate-900" : "text-indigo-700")}
          >
            {label}
            {active ? (
              <>
                <span aria-hidden="true" className="text-[10px]">
                  {dir === "asc" ? "▲" : "▼"}
                </span>
                <span className="sr-only">({t(dir === "asc" ? "sortAscending" : "sortDescending")})</span>
              </>
            ) : null}
          </Link>
        );
      })}
    </nav>
  );
}

/** "1,234" or, above the cap, "10,000+". */
export function CappedCount({ total, capped }: { total: number; capped: boolean }) {
  const format = useFormatter();
  return <>{`${format.number(total)}${capped ? "+" : ""}`}</>;
}

/** Which rows are selected; forgets rows that left the list (after a refresh or a new page). */
export function useSelection(ids: string[]) {
  const [picked, setSelected] = React.useState<Set<string>>(new Set());
  // Only rows still listed count as selected (derived, so a refresh never acts on hidden rows).
  const selected = new Set(ids.filter((id) => picked.has(id)));
  const toggle = (id: string, on: boolean) =>
    setSelected((s) => {
      const n = new Set(s);
      if (on) n.add(id);
      else n.delete(id);
      return n;
    });
  const all = ids.length > 0 && ids.every((id) => selected.has(id));
  const some = !all && ids.some((id) => selected.has(id));
  const toggleAll = (on: boolean) => setSelected(on ? new Set(ids) : new Set());
  const clear = () => setSelected(new Set());
  return { selected, toggle, toggleAll, all, some, clear };
}

/** A checkbox whose "some selected" state is shown (indeterminate). */
export function SelectAll({ checked, indeterminate, onChange, label }: { checked: boolean; indeterminate: boolean; onChange: (on: boolean) => void; label: string }) {
  const ref = React.useRef<HTMLInputElement>(null);
  React.useEffect(() => {
    if (ref.current) ref.current.indeterminate = indeterminate;
  }, [indeterminate]);
  return <input ref={ref} type="checkbox" aria-label={label} checked={checked} onChange={(e) => onChange(e.target.checked)} className="h-4 w-4 rounded border-slate-400" />;
}

/** The bar of actions for the selected rows: shown only while something is selected. */
export function BulkBar({ count, label, children }: { count: number; label: string; children: React.ReactNode }) {
  if (count === 0) return null;
  return (
    <div role="region" aria-label={label} className="sticky top-0 z-10 mb-2 flex flex-wrap items-center gap-2 rounded-lg border border-indigo-200 bg-indigo-50 px-3 py-2 text-sm">
      {children}
    </div>
  );
}

/**
 * Keyset paging links: "Next page" continues after the last row shown (`nextCursor`), "First
 * page" drops the cursor. The other query parameters (filters, sort) are kept.
 */
export function KeysetPager({
  basePath,
  params,
  nextCursor,
  atStart,
  labels,
}: {
  basePath: string;
  params: Record<string, string | undefined>;
  nextCursor: string | null;
  atStart: boolean;
  labels: { nav: string; next: string; first: string };
}) {
  if (!nextCursor && atStart) return null;
  const cls = "rounded-md border border-slate-300 bg-white px-3 py-1.5 text-sm text-slate-800 hover:bg-slate-50";
  const base = listHref(basePath, params, {});
  const withCursor = (c: string) => `${base}${base.includes("?") ? "&" : "?"}cursor=${encodeURIComponent(c)}`;
  return (
    <nav aria-label={labels.nav} className="mt-4 flex justify-end gap-2">
      {atStart ? null : (
        <Link className={cls} href={base} rel="first">
          {labels.first}
        </Link>
      )}
      {nextCursor ? (
        <Link className={cls} href={withCursor(nextCursor)} rel="next">
          {labels.next}
        </Link>
      ) : null}
    </nav>
  );
}
