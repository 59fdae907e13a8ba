import { getTranslations } from "next-intl/server";
import { diffRows } from "@/lib/audit/diff";
import { cn } from "@/lib/cn";

const show = (v: unknown) => (typeof v === "string" ? JSON.stringify(v) : JSON.stringify(v, null, 2));

/** Before and after side by side; changed keys are highlighted and labelled (not colour only). */
export async function AuditDiff({ before, after }: { before: unknown; after: unknown }) {
  const t = await getTranslations("audit");
  const rows = diffRows(before, after);
  if (!rows.length || (before == null && after == null)) return <p className="text-sm text-slate-600">{t("noData")}</p>;
  const cell = (present: boolean, v: unknown, changed: boolean) => (
    <td className={cn("px-3 py-1.5 align-top", changed && "bg-amber-50")}>
      {present ? <pre className="whitespace-pre-wrap break-all font-mono text-xs text-slate-900">{show(v)}</pre> : <span className="text-xs italic text-slate-500">{t("absent")}</span>}
    </td>
  );
  return (
    <table className="w-full table-fixed border border-slate-200 text-left text-sm">
      <thead className="bg-slate-50">
        <tr>
          <th scope="col" className="w-48 px-3 py-1.5 text-xs font-semibold text-slate-700">
            {t("field")}
          </th>
          <th scope="col" className="px-3 py-1.5 text-xs font-semibold text-slate-700">
            {t("before")}
          </th>
          <th scope="col" className="px-3 py-1.5 text-xs font-semibold text-slate-700">
            {t("after")}
          </th>
        </tr>
      </thead>
      <tbody className="divide-y divide-slate-100">
        {rows.map((r) => (
          <tr key={r.key} className={r.changed ? "border-l-4 border-l-amber-500" : undefined}>
            <th scope="row" className={cn("px-3 py-1.5 align-top font-mono text-xs font-medium text-slate-800", r.changed && "bg-amber-50")}>
              {r.key}
              {r.changed ? <span className="ml-2 rounded bg-amber-200 px-1 py-0.5 font-sans text-[10px] font-semibold uppercase text-amber-900">{t("changed")}</span> : null}
            </th>
            {cell(r.inBefore, r.before, r.changed)}
            {cell(r.inAfter, r.after, r.changed)}
          </tr>
        ))}
      </tbody>
    </table>
  );
}
