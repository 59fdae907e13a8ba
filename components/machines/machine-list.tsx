"use client";
import Link from "next/link";
import { useState } from "react";
import { useRouter } from "next/navigation";
import { useQueryClient } from "@tanstack/react-query";
import { useLiveQuery } from "@/components/live/use-live-query";
import { useFormatter, useTranslations } from "next-intl";
import { toast } from "sonner";
import { Table, Td, Th } from "@/components/ui/table";
import { Button } from "@/components/ui/button";
import { Dialog, DialogClose, DialogContent } from "@/components/ui/dialog";
import { BulkBar, SelectAll, PhoneSortLinks, SortableTh, useSelection, type SortDir } from "@/components/ui/list";
import { formatMoney } from "@/components/catalog/format";
import { bulkMachineOperationAction } from "@/app/(portal)/machines/actions";
import type { MachineList } from "@/lib/machines/views";
import { StateBadge } from "./state-badge";
import { fetchJson } from "./client-utils";

export const FAST_POLL_MS = 2_500;
export const SLOW_POLL_MS = 15_000;

type BulkAction = "start" | "stop" | "delete";

/** A cell as part of a phone card (below 640 px). */
const CARD_CELL = "max-sm:block max-sm:p-0";

/**
 * The machines table, refreshed in place: every 2.5 s while any listed machine is busy,
 * every 15 s otherwise. `query` is the page's own filter query string. Headers sort (links
 * keeping the filters); rows can be selected for bulk start/stop/delete; below 640 px each row
 * is a card with the key fields.
 */
export function MachineListTable({
  initial,
  query,
  params,
  sort,
  dir,
  currency,
}: {
  initial: MachineList;
  query: string;
  params: Record<string, string | undefined>;
  sort: string;
  dir: SortDir;
  currency: string;
}) {
  const t = useTranslations("machines");
  const tl = useTranslations("lists");
  const format = useFormatter();
  const router = useRouter();
  const qc = useQueryClient();
  const { data: live, isError } = useLiveQuery({
    queryKey: ["machines", query],
    queryFn: () => fetchJson<MachineList>(`/api/machines?${query}`),
    initialData: initial,
    busy: (d) => d.busy,
  });
  const data = live ?? initial;
  const sel = useSelection(data.items.map((m) => m.id));
  const [confirm, setConfirm] = useState<BulkAction | null>(null);
  const [busy, setBusy] = useState(false);

  async function run(action: BulkAction) {
    setBusy(true);
    try {
      const ids = [...sel.selected];
      const r = await bulkMachineOperationAction({ action, machineIds: ids, ...(action === "delete" ? { confirmCount: ids.length } : {}) });
      if (!r.ok) {
        toast.error(r.error.message);
        return;
      }
      const { succeeded, failed, results } = r.data;
      if (failed === 0) toast.success(tl("bulk.done", { action: tl(`bulk.${action}`), count: succeeded }));
      else
        toast.warning(tl("bulk.partial", { action: tl(`bulk.${action}`), succeeded, failed }), {
          description: results
            .filter((x) => !x.ok)
            .slice(0, 5)
            .map((x) => `${x.name ?? x.machineId}: ${x.ok ? "" : x.reason}`)
            .join("\n"),
          duration: 10_000,
        });
      sel.clear();
      setConfirm(null);
      await qc.invalidateQueries({ queryKey: ["machines"] });
      router.refresh();
    } finally {
      setBusy(false);
    }
  }

  const sortProps = { sort, dir, basePath: "/machines", params };
  const money = (cents: number) => formatMoney(format, cents, currency);
  return (
    <div>
      <p className="mb-2 flex flex-wrap items-center gap-3 text-sm text-slate-600">
        <span>
          {data.totalCapped ? tl("countCapped", { total: format.number(data.total) }) : t("count", { total: data.total })}
        </span>
        {isError ? (
          <span role="alert" className="text-red-700">
            {t("live.error")}
          </span>
        ) : data.busy ? (
          <span>{t("live.updating")}</span>
        ) : null}
        <a href={`/api/machines/export?${query}`} download className="ml-auto text-indigo-700 underline hover:text-indigo-900">
          {tl("exportCsv")}
        </a>
      </p>
      <BulkBar count={sel.selected.size} label={tl("bulk.label")}>
        <span className="font-medium">{tl("bulk.selected", { count: sel.selected.size })}</span>
        {(["start", "stop", "delete"] as const).map((a) => (
          <Button key={a} size="sm" variant={a === "delete" ? "danger" : "secondary"} disabled={busy} onClick={() => setConfirm(a)}>
            {tl(`bulk.${a}`)}
          </Button>
        ))}
        <Button size="sm" variant="ghost" onClick={sel.clear}>
          {tl("bulk.clear")}
        </Button>
      </BulkBar>
      <Dialog open={confirm !== null} onOpenChange={(o) => !busy && !o && setConfirm(null)}>
        {confirm ? (
          <DialogContent title={tl("bulk.confirmTitle", { action: tl(`bulk.${confirm}`), count: sel.selected.size })} description={confirm === "delete" ? tl("bulk.confirmDelete") : tl("bulk.confirmBody")} closeLabel={tl("close")}>
            <div className="flex justify-end gap-2">
              <DialogClose asChild>
                <Button variant="secondary" disabled={busy}>
                  {tl("cancel")}
                </Button>
              </DialogClose>
              <Button variant={confirm === "delete" ? "danger" : "primary"} disabled={busy} onClick={() => run(confirm)}>
                {tl("bulk.confirm", { action: tl(`bulk.${confirm}`), count: sel.selected.size })}
              </Button>
            </div>
          </DialogContent>
        ) : null}
      </Dialog>

      {/* Below 640 px the rows are cards (one table, so each machine appears once): the header
          row is read by screen readers only and the secondary cells are hidden. */}
      <div>
        <PhoneSortLinks columns={[{ column: "name", label: t("columns.name") }, { column: "state", label: t("columns.state") }, { column: "cost", label: tl("columns.cost"), firstDir: "desc" }]} {...sortProps} />
        <Table className="max-sm:block max-sm:divide-y-0">
          <thead className="max-sm:sr-only">
            <tr>
              <Th className="w-8">
                <SelectAll checked={sel.all} indeterminate={sel.some} onChange={sel.toggleAll} label={tl("selectAll")} />
              </Th>
              <SortableTh column="name" label={t("columns.name")} {...sortProps} />
              <SortableTh column="state" label={t("columns.state")} {...sortProps} />
              <Th>{t("columns.project")}</Th>
              <Th>{t("columns.offering")}</Th>
              <Th>{t("columns.host")}</Th>
              <Th>{t("columns.ip")}</Th>
              <Th>{t("columns.lease")}</Th>
              <SortableTh column="cost" label={tl("columns.cost")} firstDir="desc" className="text-right" {...sortProps} />
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100 max-sm:block max-sm:space-y-2 max-sm:divide-y-0 max-sm:p-2">
            {data.items.map((m) => (
              <tr key={m.id} data-machine={m.name} className="max-sm:grid max-sm:grid-cols-[auto_1fr_auto] max-sm:items-start max-sm:gap-x-3 max-sm:gap-y-1 max-sm:rounded-lg max-sm:border max-sm:border-slate-200 max-sm:p-3">
                <Td className={CARD_CELL}>
                  <input type="checkbox" className="h-4 w-4" aria-label={tl("selectRow", { name: m.name })} checked={sel.selected.has(m.id)} onChange={(e) => sel.toggle(m.id, e.target.checked)} />
                </Td>
                <Td className={CARD_CELL}>
                  <Link href={`/machines/${m.id}`} className="font-medium text-indigo-700 hover:underline">
                    {m.name}
                  </Link>
                  <div className="text-xs text-slate-500">{m.templateName}</div>
                </Td>
                <Td className={`${CARD_CELL} max-sm:text-right`}>
                  <StateBadge state={m.state} />
                  {m.currentOperation ? (
                    <div className="mt-1 text-xs text-slate-600">
                      {t("operationRunning", { kind: t(`kinds.${m.currentOperation.kind}`), status: t(`opStatus.${m.currentOperation.status}`) })}
                    </div>
                  ) : null}
                </Td>
                <Td className={`${CARD_CELL} max-sm:col-start-2 max-sm:text-xs max-sm:text-slate-600`}>{m.projectName}</Td>
                <Td className="max-sm:hidden">{m.offeringName}</Td>
                <Td className="max-sm:hidden">{m.hostName ? `${m.providerName ?? ""} / ${m.hostName}` : "—"}</Td>
                <Td className={`${CARD_CELL} max-sm:col-start-2 font-mono text-xs`}>{m.ipAddress ?? "—"}</Td>
                <Td className="max-sm:hidden">{m.leaseEndsAt ? format.dateTime(new Date(m.leaseEndsAt), "short") : "—"}</Td>
                <Td className={`${CARD_CELL} text-right tabular-nums max-sm:col-start-3 max-sm:row-start-2`}>{money(m.monthlyCents)}</Td>
              </tr>
            ))}
          </tbody>
        </Table>
      </div>
    </div>
  );
}
