"use client";
import Link from "next/link";
import { useQuery } from "@tanstack/react-query";
import { useFormatter, useTranslations } from "next-intl";
import { Table, Td, Th } from "@/components/ui/table";
import type { MachineList } from "@/lib/machines/views";
import { StateBadge } from "./state-badge";
import { fetchJson } from "./client-utils";

export const FAST_POLL_MS = 2_500;
export const SLOW_POLL_MS = 15_000;

/**
 * The machines table, refreshed in place: every 2.5 s while any listed machine is busy,
 * every 15 s otherwise. `query` is the page's own filter query string.
 */
export function MachineListTable({ initial, query }: { initial: MachineList; query: string }) {
  const t = useTranslations("machines");
  const format = useFormatter();
  const { data, isError } = useQuery({
    queryKey: ["machines", query],
    queryFn: () => fetchJson<MachineList>(`/api/machines?${query}`),
    initialData: initial,
    refetchInterval: (q) => (q.state.data?.busy ? FAST_POLL_MS : SLOW_POLL_MS),
  });
  return (
    <div>
      <p className="mb-2 flex flex-wrap items-center gap-3 text-sm text-slate-600">
        <span>{t("count", { total: data.total })}</span>
        {isError ? (
          <span role="alert" className="text-red-700">
            {t("live.error")}
          </span>
        ) : data.busy ? (
          <span>{t("live.updating")}</span>
        ) : null}
      </p>
      <Table>
        <thead>
          <tr>
            <Th>{t("columns.name")}</Th>
            <Th>{t("columns.state")}</Th>
            <Th>{t("columns.project")}</Th>
            <Th>{t("columns.offering")}</Th>
            <Th>{t("columns.host")}</Th>
            <Th>{t("columns.ip")}</Th>
            <Th>{t("columns.lease")}</Th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {data.items.map((m) => (
            <tr key={m.id} data-machine={m.name}>
              <Td>
                <Link href={`/machines/${m.id}`} className="font-medium text-indigo-700 hover:underline">
                  {m.name}
                </Link>
                <div className="text-xs text-slate-500">{m.templateName}</div>
              </Td>
              <Td>
                <StateBadge state={m.state} />
                {m.currentOperation ? (
                  <div className="mt-1 text-xs text-slate-600">
                    {t("operationRunning", { kind: t(`kinds.${m.currentOperation.kind}`), status: t(`opStatus.${m.currentOperation.status}`) })}
                  </div>
                ) : null}
              </Td>
              <Td>{m.projectName}</Td>
              <Td>{m.offeringName}</Td>
              <Td>{m.hostName ? `${m.providerName ?? ""} / ${m.hostName}` : "—"}</Td>
              <Td className="font-mono text-xs">{m.ipAddress ?? "—"}</Td>
              <Td>{m.leaseEndsAt ? format.dateTime(new Date(m.leaseEndsAt), "short") : "—"}</Td>
            </tr>
          ))}
        </tbody>
      </Table>
    </div>
  );
}
