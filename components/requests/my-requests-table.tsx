import Link from "next/link";
import { useFormatter, useTranslations } from "next-intl";
import { Table, Td, Th } from "@/components/ui/table";
import type { MyRequest } from "@/lib/requests/list-my-requests";
import type { ActionResult } from "@/lib/actions/run-action";
import { formatMoney } from "@/components/catalog/format";
import { RequestStatusBadge } from "./request-status-badge";
import { CancelRequestButton } from "./cancel-request-button";
import { MachineNames } from "./machine-names";

export function MyRequestsTable({
  items,
  currency,
  cancelAction,
}: {
  items: MyRequest[];
  currency: string;
  cancelAction: (input: { requestId: string }) => Promise<ActionResult<{ requestId: string }>>;
}) {
  const t = useTranslations("requests");
  const f = useFormatter();
  const date = (d: Date) => f.dateTime(d, "short");
  return (
    <Table>
      <caption className="sr-only">{t("title")}</caption>
      <thead>
        <tr>
          <Th>{t("table.number")}</Th>
          <Th>{t("table.project")}</Th>
          <Th>{t("table.offering")}</Th>
          <Th>{t("table.machines")}</Th>
          <Th className="text-right">{t("table.cost")}</Th>
          <Th>{t("table.status")}</Th>
          <Th>{t("table.decision")}</Th>
          <Th>
            <span className="sr-only">{t("table.actions")}</span>
          </Th>
        </tr>
      </thead>
      <tbody className="divide-y divide-slate-100">
        {items.map((r) => (
          <tr key={r.id} data-testid={`request-${r.number}`}>
            <Td className="whitespace-nowrap">
              <Link href={`/requests/${r.number}`} className="font-medium text-indigo-700 hover:underline">
                {t("numberLabel", { number: r.number })}
              </Link>
              <span className="block text-xs text-slate-600">{date(r.createdAt)}</span>
            </Td>
            <Td>{r.project.name}</Td>
            <Td>
              {r.offering.name}
              <span className="block text-xs text-slate-600">{r.template.name}</span>
            </Td>
            <Td>
              {t.rich("quantityNames", { quantity: r.quantity, names: () => <MachineNames names={r.names} /> })}
              {r.leaseEndsAt ? <span className="block text-xs text-slate-600">{t("leaseUntil", { date: date(r.leaseEndsAt) })}</span> : null}
            </Td>
            <Td className="text-right tabular-nums">{formatMoney(f, r.monthlyCostCents, currency)}</Td>
            <Td>
              <RequestStatusBadge status={r.status} />
            </Td>
            <Td className="max-w-xs text-xs text-slate-700">
              {r.autoApproved && r.decidedAt ? <span className="block">{t("autoApproved", { date: date(r.decidedAt) })}</span> : null}
              {!r.autoApproved && r.decidedBy && r.decidedAt ? (
                <span className="block">{t("decidedBy", { name: r.decidedBy.name, date: date(r.decidedAt) })}</span>
              ) : null}
              {r.status === "CANCELLED" && r.decidedAt ? <span className="block">{t("cancelledOn", { date: date(r.decidedAt) })}</span> : null}
              {r.decisionReason ? <span className="block whitespace-pre-line break-words">{t("reason", { reason: r.decisionReason })}</span> : null}
            </Td>
            <Td className="text-right">
              {r.cancellable ? <CancelRequestButton requestId={r.id} number={r.number} action={cancelAction} /> : null}
            </Td>
          </tr>
        ))}
      </tbody>
    </Table>
  );
}
