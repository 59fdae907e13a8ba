import Link from "next/link";
import { getTranslations } from "next-intl/server";
import { EmptyState, PageHeader } from "@/components/ui/card";
import { Pagination } from "@/components/ui/pagination";
import { MyRequestsTable } from "@/components/requests/my-requests-table";
import { RequestFilter } from "@/components/requests/request-filter";
import { guardPage } from "@/lib/actions/page-guard";
import { pageContext } from "@/lib/actions/run-action";
import { listMyRequestsSchema } from "@/lib/requests/schemas";
import { listMyRequests } from "@/lib/requests/list-my-requests";
import { cancelRequestAction } from "./actions";

export async function generateMetadata() {
  const t = await getTranslations("requests");
  return { title: t("title") };
}

type SearchParams = Promise<Record<string, string | string[] | undefined>>;
const first = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v);

export default async function RequestsPage({ searchParams }: { searchParams: SearchParams }) {
  const sp = await searchParams;
  const input = listMyRequestsSchema.parse({ status: first(sp.status) || undefined, page: first(sp.page) });
  const list = await guardPage(async () => listMyRequests(await pageContext(), input));
  const t = await getTranslations("requests");
  return (
    <>
      <PageHeader title={t("title")} description={t("description")} />
      <RequestFilter status={input.status} />
      <p className="mb-2 text-sm text-slate-700">{t("count", { count: list.total })}</p>
      {list.items.length ? (
        <>
          <MyRequestsTable items={list.items} currency={list.currency} cancelAction={cancelRequestAction} />
          <Pagination page={list.page} pageCount={list.pageCount} basePath="/requests" params={{ status: input.status }} />
        </>
      ) : (
        <EmptyState
          title={input.status ? t("emptyFilteredTitle") : t("emptyTitle")}
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
