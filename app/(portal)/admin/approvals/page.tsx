import { getTranslations } from "next-intl/server";
import { EmptyState, PageHeader } from "@/components/ui/card";
import { Pagination } from "@/components/ui/pagination";
import { ApprovalCard } from "@/components/approvals/approval-card";
import { guardPage } from "@/lib/actions/page-guard";
import { pageContext } from "@/lib/actions/run-action";
import { listPendingApprovalsSchema } from "@/lib/approvals/schemas";
import { listPendingApprovals } from "@/lib/approvals/list-pending-approvals";
import { approveRequestAction, rejectRequestAction } from "./actions";

export async function generateMetadata() {
  const t = await getTranslations("approvals");
  return { title: t("title") };
}

type SearchParams = Promise<Record<string, string | string[] | undefined>>;
const first = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v);

export default async function ApprovalsPage({ searchParams }: { searchParams: SearchParams }) {
  const sp = await searchParams;
  const input = listPendingApprovalsSchema.parse({ page: first(sp.page) });
  const list = await guardPage(async () => listPendingApprovals(await pageContext(), input));
  const t = await getTranslations("approvals");
  return (
    <>
      <PageHeader title={t("title")} description={t("description")} />
      <p className="mb-3 text-sm text-slate-700">{t("count", { count: list.total })}</p>
      {list.items.length ? (
        <div className="space-y-4">
          {list.items.map((item) => (
            <ApprovalCard key={item.id} item={item} currency={list.currency} approveAction={approveRequestAction} rejectAction={rejectRequestAction} />
          ))}
          <Pagination page={list.page} pageCount={list.pageCount} basePath="/admin/approvals" params={{}} />
        </div>
      ) : (
        <EmptyState title={t("emptyTitle")} description={t("emptyBody")} />
      )}
    </>
  );
}
