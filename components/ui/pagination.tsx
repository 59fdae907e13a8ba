import Link from "next/link";
import { getTranslations } from "next-intl/server";

/** Server-rendered page links that keep the current filters (searchParams) intact. */
export async function Pagination({
  page,
  pageCount,
  basePath,
  params,
}: {
  page: number;
  pageCount: number;
  basePath: string;
  params: Record<string, string | undefined>;
}) {
  const t = await getTranslations("common");
  if (pageCount <= 1) return null;
  const href = (p: number) => {
    const sp = new URLSearchParams();
    for (const [k, v] of Object.entries(params)) if (v) sp.set(k, v);
    sp.set("page", String(p));
    return `${basePath}?${sp}`;
  };
  const cls = "rounded-md border border-slate-300 bg-white px-3 py-1.5 text-sm text-slate-800 hover:bg-slate-50";
  return (
    <nav aria-label={t("pagination")} className="mt-4 flex items-center justify-between">
      <span className="text-sm text-slate-700">{t("pageOf", { page, pageCount })}</span>
      <div className="flex gap-2">
        {page > 1 ? (
          <Link className={cls} href={href(page - 1)} rel="prev">
            {t("previous")}
          </Link>
        ) : null}
        {page < pageCount ? (
          <Link className={cls} href={href(page + 1)} rel="next">
            {t("next")}
          </Link>
        ) : null}
      </div>
    </nav>
  );
}
