import Link from "next/link";
import { getTranslations } from "next-intl/server";
import { EmptyState, PageHeader } from "@/components/ui/card";
import { KeysetPager } from "@/components/ui/list";
import { MyRequestsTable } from "@/components/requests/my-requests-table";
import { RequestFilter } from "@/components/requests/request-filter";
import { guardPage } from "@/lib/actions/page-guard";
import { pageContext } from "@/lib/actions/run-action";
import { listMyRequestsSchema } from "@/lib/requests/schemas";
import { listMyRequests } from "@/lib/requests/list-my-requests";
import { cancelRequestAction } from "./actions";
import { withMessages } from "@/components/layout/page-messages";

export async function generateMetadata() {
  const t = await getTranslations("requests");
  return { title: t("title") };
}

type SearchParams = Promise<Record<string, string | string[] | undefined>>;
const first = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v);

async function RequestsPage({ searchParams }: { searchParams: SearchParams }) {
  const sp = await searchParams;
  const input = listMyRequestsSchema.parse({
    status: first(sp.status) || undefined,
    q: first(sp.q) || undefined,
    sort: first(sp.sort),
    dir: first(sp.dir),
    cursor: first(sp.cursor) || undefined,
  });
  const list = await guardPage(async () => listMyRequests(await pageContext(), input));
  const t = await getTranslations("requests");
  const tr = await getTranslations("requestList");
  const tl = await getTranslations("lists");
  const params = { status: input.status, q: input.q || undefined, sort: input.sort, dir: input.dir };
  const query = new URLSearchParams(Object.entries({ ...params, cursor: input.cursor }).filter((e): e is [string, string] => !!e[1])).toString();
  const filtered = !!(input.status || input.q);
  return (
    <>
      <PageHeader title={t("title")} description={t("description")} />
      <RequestFilter status={input.status} q={input.q} sort={input.sort} dir={input.dir} />
      <p className="mb-2 flex flex-wrap items-center gap-3 text-sm text-slate-700">
        <span>{t("count", { count: list.total })}</span>
        {list.total > 0 ? (
          <a href={`/api/requests/export?${new URLSearchParams(Object.entries(params).filter((e): e is [string, string] => !!e[1]))}`} download className="ml-auto text-indigo-700 underline hover:text-indigo-900">
            {tl("exportCsv")}
          </a>
        ) : null}
      </p>
      {list.items.length ? (
        <>
          <MyRequestsTable initial={list} query={query} params={params} sort={list.sort} dir={list.dir} currency={list.currency} cancelAction={cancelRequestAction} />
          <KeysetPager basePath="/requests" params={params} nextCursor={list.nextCursor} atStart={!input.cursor} labels={{ nav: tl("pager.label"), next: tl("pager.next"), first: tl("pager.first") }} />
        </>
      ) : (
        <EmptyState
          title={filtered ? (input.q ? tr("emptyFiltered") : t("emptyFilteredTitle")) : t("emptyTitle")}
          description={t("emptyBody")}
          action={
            <Link href="/catalog" className="text-sm font-medium text-indigo-700 hover:underline">
              {t("goToCatalog")}
            </Link>
          }
        />
      )}
    </>
  );
}

export default withMessages(["requestList", "requests"], RequestsPage);
