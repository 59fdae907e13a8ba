import type * as React from "react";
import Link from "next/link";
import { useFormatter, useTranslations } from "next-intl";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { QuotaImpactMeters } from "@/components/requests/quota-impact-meters";
import { formatMoney } from "@/components/catalog/format";
import { quotaImpact } from "@/lib/quotas/impact";
import type { PendingApproval } from "@/lib/approvals/list-pending-approvals";
import type { RejectRequestInput } from "@/lib/approvals/schemas";
import type { ActionResult } from "@/lib/actions/run-action";
import { MachineNames } from "@/components/requests/machine-names";
import { DecisionButtons } from "./decision-buttons";

export function ApprovalCard({
  item,
  currency,
  approveAction,
  rejectAction,
  select,
}: {
  item: PendingApproval;
  /** The bulk-selection checkbox (the queue's), shown before the heading. */
  select?: React.ReactNode;
  currency: string;
  approveAction: (input: { requestId: string }) => Promise<ActionResult<unknown>>;
  rejectAction: (input: RejectRequestInput) => Promise<ActionResult<unknown>>;
}) {
  const t = useTranslations("approvals");
  const f = useFormatter();
  const headingId = `request-${item.id}-heading`;
  const lines = quotaImpact(item.project, item.offering, item.quantity, item.monthlyCostCents);
  return (
    <Card role="article" aria-labelledby={headingId} data-testid={`approval-${item.number}`}>
      <CardHeader className="flex flex-wrap items-start justify-between gap-3">
        <div className="flex items-start gap-3">
          {select}
          <div>
          <h2 id={headingId} className="text-base font-semibold text-slate-900">
            <Link href={`/requests/${item.number}`} className="hover:underline">
              {t("requestHeading", { number: item.number, project: item.project.name })}
            </Link>
          </h2>
          {item.stage ? (
            <p className="mt-1 text-sm font-medium text-indigo-800" data-testid={`approval-${item.number}-stage`}>
              {t("stage", { name: item.stage.name, step: item.stage.step, of: item.stage.of })}
            </p>
          ) : null}
          <p className="text-sm text-slate-600">
            {t("requestedBy", { name: item.requester.name, email: item.requester.email, date: f.dateTime(item.createdAt, "long") })}
          </p>
          </div>
        </div>
        {item.ownRequest ? (
          <p className="max-w-xs rounded-md bg-amber-50 px-3 py-2 text-sm text-amber-900">{t("ownRequest")}</p>
        ) : (
          <DecisionButtons requestId={item.id} number={item.number} approveAction={approveAction} rejectAction={rejectAction} />
        )}
      </CardHeader>
      <CardBody className="grid gap-6 md:grid-cols-2">
        <dl className="grid grid-cols-[auto_1fr] gap-x-4 gap-y-2 text-sm">
          <dt className="font-medium text-slate-700">{t("offering")}</dt>
          <dd>{item.offering.name}</dd>
          <dt className="font-medium text-slate-700">{t("template")}</dt>
          <dd>{item.template.name}</dd>
          <dt className="font-medium text-slate-700">{t("quantity")}</dt>
          <dd className="tabular-nums">{item.quantity}</dd>
          <dt className="font-medium text-slate-700">{t("machines")}</dt>
          <dd>
            <MachineNames names={item.names} />
          </dd>
          <dt className="font-medium text-slate-700">{t("cost")}</dt>
          <dd className="tabular-nums">{formatMoney(f, item.monthlyCostCents, currency)}</dd>
          <dt className="font-medium text-slate-700">{t("lease")}</dt>
          <dd>{item.leaseEndsAt ? f.dateTime(item.leaseEndsAt, "short") : t("noLease")}</dd>
          <dt className="font-medium text-slate-700">{t("justification")}</dt>
          <dd className="whitespace-pre-line break-words">{item.justification || <span className="text-slate-500">{t("noJustification")}</span>}</dd>
        </dl>
        <section aria-label={t("impact")}>
          <h3 className="mb-2 text-sm font-medium text-slate-800">{t("impact")}</h3>
          <QuotaImpactMeters lines={lines} currency={currency} />
        </section>
      </CardBody>
    </Card>
  );
}
