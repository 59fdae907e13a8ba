import Link from "next/link";
import { getTranslations } from "next-intl/server";
import { EmptyState, PageHeader } from "@/components/ui/card";
import { AutoSubmitForm } from "@/components/ui/auto-submit-form";
import { Button } from "@/components/ui/button";
import { Input, Label, NativeSelect } from "@/components/ui/field";
import { KeysetPager } from "@/components/ui/list";
import { ApprovalCard } from "@/components/approvals/approval-card";
import { ApprovalBulkBar, ApprovalSelection, SelectAllRequests, SelectRequest } from "@/components/approvals/approval-bulk";
import { guardPage } from "@/lib/actions/page-guard";
import { pageContext } from "@/lib/actions/run-action";
import { listPendingApprovalsSchema } from "@/lib/approvals/schemas";
import { listPendingApprovals } from "@/lib/approvals/list-pending-approvals";
import { approveRequestAction, rejectRequestAction } from "./actions";
import { withMessages } from "@/components/layout/page-messages";

export async function generateMetadata() {
  const t = await getTranslations("approvals");
  return { title: t("title") };
}

type SearchParams = Promise<Record<string, string | string[] | undefined>>;
const first = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v);

/** The queue's order choices (one select): each is a sort and a direction of the list verb. */
const ORDERS = {
  oldest: { sort: "created", dir: "asc" },
  newest: { sort: "created", dir: "desc" },
  cost: { sort: "cost", dir: "desc" },
  project: { sort: "project", dir: "asc" },
} as const;
type Order = keyof typeof ORDERS;
const isOrder = (v: string | undefined): v is Order => !!v && v in ORDERS;

async function ApprovalsPage({ searchParams }: { searchParams: SearchParams }) {
  const sp = await searchParams;
  const order: Order = isOrder(first(sp.order)) ? (first(sp.order) as Order) : "oldest";
  const input = listPendingApprovalsSchema.parse({ q: first(sp.q), cursor: first(sp.cursor), ...ORDERS[order] });
  const list = await guardPage(async () => listPendingApprovals(await pageContext(), input));
  const t = await getTranslations("approvals");
  const tq = await getTranslations("approvalQueue");
  const tl = await getTranslations("lists");
  const params = { q: input.q || undefined, order: order === "oldest" ? undefined : order };
  const filtered = !!input.q;
  const decidable = list.items.filter((i) => !i.ownRequest).map((i) => i.id);
  return (
    <>
      <PageHeader title={t("title")} description={t("description")} />
      <AutoSubmitForm action="/admin/approvals" role="search" aria-label={tq("filters.label")} className="mb-4 flex flex-wrap items-end gap-3">
        <div>
          <Label htmlFor="f-q">{tq("filters.search")}</Label>
          <Input id="f-q" name="q" type="search" defaultValue={input.q ?? ""} />
        </div>
        <div>
          <Label htmlFor="f-order">{tq("filters.order")}</Label>
          <NativeSelect id="f-order" name="order" defaultValue={order}>
            {(Object.keys(ORDERS) as Order[]).map((o) => (
              <option key={o} value={o}>
                {tq(`order.${o}`)}
              </option>
            ))}
          </NativeSelect>
        </div>
        <noscript>
          <Button type="submit" variant="secondary">
            {tq("filters.search")}
          </Button>
        </noscript>
        {filtered || order !== "oldest" ? (
          <Link href="/admin/approvals" className="py-2 text-sm text-indigo-700 hover:underline">
            {tq("filters.clear")}
          </Link>
        ) : null}
      </AutoSubmitForm>
      <p className="mb-3 text-sm text-slate-700">{t("count", { count: list.total })}</p>
      {list.items.length ? (
        <ApprovalSelection ids={decidable}>
          <ApprovalBulkBar />
          {decidable.length ? (
            <div className="mb-2">
              <SelectAllRequests />
            </div>
          ) : null}
          <div className="space-y-4">
            {list.items.map((item) => (
              <ApprovalCard
                key={item.id}
                item={item}
                currency={list.currency}
                approveAction={approveRequestAction}
                rejectAction={rejectRequestAction}
                select={item.ownRequest ? undefined : <SelectRequest id={item.id} number={item.number} />}
              />
            ))}
            <KeysetPager
              basePath="/admin/approvals"
              params={params}
              nextCursor={list.nextCursor}
              atStart={!input.cursor}
              labels={{ nav: tl("pager.label"), next: tl("pager.next"), first: tl("pager.first") }}
            />
          </div>
        </ApprovalSelection>
      ) : (
        <EmptyState title={filtered ? tq("emptyFiltered") : t("emptyTitle")} description={t("emptyBody")} />
      )}
    </>
  );
}

export default withMessages("all", ApprovalsPage);
