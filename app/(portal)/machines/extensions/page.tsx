import Link from "next/link";
import { getFormatter, getTranslations } from "next-intl/server";
import { pageContext } from "@/lib/actions/run-action";
import { guardPage } from "@/lib/actions/page-guard";
import { listLeaseExtensionsSchema } from "@/lib/leases/schemas";
import { listLeaseExtensions } from "@/lib/leases/list-lease-extensions";
import { EmptyState, PageHeader } from "@/components/ui/card";
import { Badge } from "@/components/ui/badge";
import { Pagination } from "@/components/ui/pagination";
import { Table, Td, Th } from "@/components/ui/table";
import { ExtensionDecision } from "@/components/machines/extension-decision";
import { cn } from "@/lib/cn";
import { withMessages } from "@/components/layout/page-messages";

export async function generateMetadata() {
  const t = await getTranslations("leases.extensions");
  return { title: t("title") };
}

async function LeaseExtensionsPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const sp = await searchParams;
  const input = listLeaseExtensionsSchema.parse({ status: sp.status, page: sp.page });
  const ctx = await pageContext();
  const data = await guardPage(() => listLeaseExtensions(ctx, input));
  const t = await getTranslations("leases.extensions");
  const format = await getFormatter();
  const day = (iso: string | null) => (iso ? format.dateTime(new Date(iso), "short") : "—");
  const tab = (status: "PENDING" | "DECIDED", label: string) => (
    <Link
      href={`/machines/extensions?status=${status}`}
      aria-current={input.status === status ? "page" : undefined}
      className={cn("rounded-md px-3 py-1.5 text-sm font-medium", input.status === status ? "bg-indigo-50 text-indigo-800" : "text-slate-700 hover:bg-slate-100")}
    >
      {label}
    </Link>
  );
  return (
    <>
      <PageHeader title={t("title")} description={t("description")} />
      <nav aria-label={t("tabs")} className="mb-4 flex gap-2">
        {tab("PENDING", t("pendingTab"))}
        {tab("DECIDED", t("decidedTab"))}
      </nav>
      {data.items.length === 0 ? (
        <EmptyState title={input.status === "PENDING" ? t("empty") : t("emptyDecided")} />
      ) : (
        <Table>
          <thead>
            <tr>
              <Th>{t("machine")}</Th>
              <Th>{t("project")}</Th>
              <Th>{t("requestedBy")}</Th>
              <Th>{t("currentEnd")}</Th>
              <Th>{t("newEnd")}</Th>
              <Th>{t("reason")}</Th>
              <Th>{input.status === "PENDING" ? t("decision") : t("status")}</Th>
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100">
            {data.items.map((e) => (
              <tr key={e.id}>
                <Td>
                  <Link href={`/machines/${e.machine.id}`} className="font-medium text-indigo-700 hover:underline">
                    {e.machine.name}
                  </Link>
                </Td>
                <Td>{e.projectName}</Td>
                <Td>{e.requestedBy.name}</Td>
                <Td>{e.machine.leaseEndsAt ? day(e.machine.leaseEndsAt) : t("noEnd")}</Td>
                <Td className="font-medium">{day(e.newEndsAt)}</Td>
                <Td className="max-w-xs whitespace-pre-wrap">{e.reason || "—"}</Td>
                <Td>
                  {e.status === "PENDING" ? (
                    e.canDecide ? (
                      <ExtensionDecision extensionId={e.id} machineName={e.machine.name} />
                    ) : (
                      <span className="text-xs text-slate-600">{t("ownRequest")}</span>
                    )
                  ) : (
                    <div>
                      <Badge tone={e.status === "APPROVED" ? "green" : "red"}>{t(`statuses.${e.status}`)}</Badge>
                      <p className="mt-1 text-xs text-slate-600">{t("decidedBy", { name: e.decidedBy ?? "—", date: day(e.decidedAt) })}</p>
                      {e.decisionReason ? <p className="mt-1 text-xs text-slate-700">{e.decisionReason}</p> : null}
                    </div>
                  )}
                </Td>
              </tr>
            ))}
          </tbody>
        </Table>
      )}
      <Pagination page={data.page} pageCount={data.pageCount} basePath="/machines/extensions" params={{ status: input.status }} />
    </>
  );
}

export default withMessages(["leases"], LeaseExtensionsPage);
