"use client";
// My requests, refreshed in place (the shared live poll: every 2.5 s while a request waits for a
// decision, every 15 s otherwise), so an approval or rejection shows without reloading. Headers
// sort (links keeping the filters); below 640 px each row is a card with the key fields.
import { useEffect } from "react";
import Link from "next/link";
import { useQueryClient } from "@tanstack/react-query";
import { useFormatter, useTranslations } from "next-intl";
import { Table, Td, Th } from "@/components/ui/table";
import { PhoneSortLinks, SortableTh, type SortDir } from "@/components/ui/list";
import { useLiveQuery } from "@/components/live/use-live-query";
import { fetchJson } from "@/components/machines/client-utils";
import type { MyRequest } from "@/lib/requests/list-my-requests";
import type { ActionResult } from "@/lib/actions/run-action";
import { formatMoney } from "@/components/catalog/format";
import { RequestStatusBadge } from "./request-status-badge";
import { CancelRequestButton } from "./cancel-request-button";
import { MachineNames } from "./machine-names";

export interface MyRequestsData {
  items: MyRequest[];
  total: number;
  busy: boolean;
  nextCursor: string | null;
}

/** A cell as part of a phone card (below 640 px). */
const CARD_CELL = "max-sm:block max-sm:p-0";

export function MyRequestsTable({
  initial,
  query,
  params,
  sort,
  dir,
  currency,
  cancelAction,
}: {
  initial: MyRequestsData;
  /** The page's own query string (filters, sort, cursor): the live refresh asks for the same rows. */
  query: string;
  params: Record<string, string | undefined>;
  sort: string;
  dir: SortDir;
  currency: string;
  cancelAction: (input: { requestId: string }) => Promise<ActionResult<{ requestId: string }>>;
}) {
  const t = useTranslations("requests");
  const tr = useTranslations("requestList");
  const f = useFormatter();
  const { data: live, isError } = useLiveQuery({
    queryKey: ["my-requests", query],
    queryFn: () => fetchJson<MyRequestsData>(`/api/requests?${query}`),
    initialData: initial,
    busy: (d) => d.busy,
  });
  const data = live ?? initial;
  // A server refresh (after cancelling, say) brings newer rows: they replace the cached ones.
  const qc = useQueryClient();
  useEffect(() => {
    qc.setQueryData(["my-requests", query], initial);
  }, [qc, query, initial]);
  // JSON brings dates as text; the first render has Date objects.
  const date = (d: Date | string) => f.dateTime(new Date(d), "short");
  const sortProps = { sort, dir, basePath: "/requests", params };
  return (
    <div>
      {isError ? (
        <p role="alert" className="mb-2 text-sm text-red-700">
          {tr("liveError")}
        </p>
      ) : null}
      <PhoneSortLinks columns={[{ column: "created", label: t("table.number"), firstDir: "desc" }, { column: "project", label: t("table.project") }, { column: "cost", label: t("table.cost"), firstDir: "desc" }]} {...sortProps} />
      <Table className="max-sm:block max-sm:divide-y-0">
        <caption className="sr-only">{t("title")}</caption>
        <thead className="max-sm:sr-only">
          <tr>
            <SortableTh column="created" label={t("table.number")} firstDir="desc" {...sortProps} />
            <SortableTh column="project" label={t("table.project")} {...sortProps} />
            <Th>{t("table.offering")}</Th>
            <Th>{t("table.machines")}</Th>
            <SortableTh column="cost" label={t("table.cost")} firstDir="desc" className="text-right" {...sortProps} />
            <Th>{t("table.status")}</Th>
            <Th>{t("table.decision")}</Th>
            <Th>
              <span className="sr-only">{t("table.actions")}</span>
            </Th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100 max-sm:block max-sm:space-y-2 max-sm:divide-y-0 max-sm:p-2">
          {data.items.map((r) => (
            <tr
              key={r.id}
              data-testid={`request-${r.number}`}
              className="max-sm:grid max-sm:grid-cols-[1fr_auto] max-sm:items-start max-sm:gap-x-3 max-sm:gap-y-1 max-sm:rounded-lg max-sm:border max-sm:border-slate-200 max-sm:p-3"
            >
              <Td className={`${CARD_CELL} whitespace-nowrap`}>
                <Link href={`/requests/${r.number}`} className="font-medium text-indigo-700 hover:underline">
                  {t("numberLabel", { number: r.number })}
                </Link>
                <span className="block text-xs text-slate-600">{date(r.createdAt)}</span>
              </Td>
              <Td className={`${CARD_CELL} max-sm:col-start-1 max-sm:text-sm`}>{r.project.name}</Td>
              <Td className={`${CARD_CELL} max-sm:col-start-1 max-sm:text-xs max-sm:text-slate-600`}>
                {r.offering.name}
                <span className="block text-xs text-slate-600 max-sm:hidden">{r.template.name}</span>
              </Td>
              <Td className="max-sm:hidden">
                {t.rich("quantityNames", { quantity: r.quantity, names: () => <MachineNames names={r.names} /> })}
                {r.leaseEndsAt ? <span className="block text-xs text-slate-600">{t("leaseUntil", { date: date(r.leaseEndsAt) })}</span> : null}
              </Td>
              <Td className={`${CARD_CELL} text-right tabular-nums max-sm:col-start-2 max-sm:row-start-2`}>{formatMoney(f, r.monthlyCostCents, currency)}</Td>
              <Td className={`${CARD_CELL} max-sm:col-start-2 max-sm:row-start-1 max-sm:text-right`}>
                <RequestStatusBadge status={r.status} />
              </Td>
              <Td className={`${CARD_CELL} max-w-xs text-xs text-slate-700 max-sm:col-span-2 max-sm:max-w-none`}>
                {r.autoApproved && r.decidedAt ? <span className="block">{t("autoApproved", { date: date(r.decidedAt) })}</span> : null}
                {!r.autoApproved && r.decidedBy && r.decidedAt ? <span className="block">{t("decidedBy", { name: r.decidedBy.name, date: date(r.decidedAt) })}</span> : null}
                {r.status === "CANCELLED" && r.decidedAt ? <span className="block">{t("cancelledOn", { date: date(r.decidedAt) })}</span> : null}
                {r.decisionReason ? <span className="block whitespace-pre-line break-words">{t("reason", { reason: r.decisionReason })}</span> : null}
              </Td>
              <Td className={`${CARD_CELL} text-right max-sm:col-span-2`}>
                {r.cancellable ? <CancelRequestButton requestId={r.id} number={r.number} action={cancelAction} /> : null}
              </Td>
            </tr>
          ))}
        </tbody>
      </Table>
    </div>
  );
}
