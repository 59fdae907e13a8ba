import Link from "next/link";
import { getTranslations } from "next-intl/server";

/**
 * Newer/older links for keyset pagination (cursors instead of page numbers: a deep page
 * costs the same as the first), keeping the current filters. Styled like ui/pagination.
 */
export async function KeysetPagination({
  basePath,
  params,
  newerCursor,
  olderCursor,
}: {
  basePath: string;
  params: Record<string, string | undefined>;
  newerCursor: string | null;
  olderCursor: string | null;
}) {
  const t = await getTranslations("audit");
  if (!newerCursor && !olderCursor) return null;
  const href = (key: "before" | "after" | null, cursor?: string) => {
    const sp = new URLSearchParams();
    for (const [k, v] of Object.entries(params)) if (v && k !== "before" && k !== "after") sp.set(k, v);
    if (key && cursor) sp.set(key, cursor);
    const q = sp.toString();
    return q ? `${basePath}?${q}` : basePath;
  };
  const cls = "rounded-md border border-slate-300 bg-white px-3 py-1.5 text-sm text-slate-800 hover:bg-slate-50";
  return (
    <nav aria-label={t("pagination")} className="mt-4 flex items-center justify-end gap-2">
      {newerCursor ? (
        <>
          <Link className={cls} href={href(null)}>
            {t("newest")}
          </Link>
          <Link className={cls} href={href("before", newerCursor)} rel="prev">
            {t("newer")}
          </Link>
        </>
      ) : null}
      {olderCursor ? (
        <Link className={cls} href={href("after", olderCursor)} rel="next">
          {t("older")}
        </Link>
      ) : null}
    </nav>
  );
}
