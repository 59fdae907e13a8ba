"use client";
// Bulk decisions in the approvals queue: the cards (server-rendered) carry a selection
// checkbox; the bar approves or rejects (with one reason) the selected requests. Each request is
// decided by the single-decision verb on the server; the toast says how many were decided and
// lists the skipped ones with their reason.
import * as React from "react";
import { useRouter } from "next/navigation";
import { useTranslations } from "next-intl";
import { toast } from "sonner";
import { Button } from "@/components/ui/button";
import { Dialog, DialogClose, DialogContent } from "@/components/ui/dialog";
import { Field, Textarea } from "@/components/ui/field";
import { BulkBar, SelectAll, useSelection } from "@/components/ui/list";
import { useFieldMessage } from "@/components/ui/use-field-message";
import { bulkDecideAction } from "@/app/(portal)/admin/approvals/actions";
import { MAX_REASON } from "@/lib/approvals/schemas";

type Selection = ReturnType<typeof useSelection>;
const Ctx = React.createContext<Selection | null>(null);

/** Holds which of the listed requests (`ids`: the decidable ones on this page) are selected. */
export function ApprovalSelection({ ids, children }: { ids: string[]; children: React.ReactNode }) {
  const sel = useSelection(ids);
  return <Ctx.Provider value={sel}>{children}</Ctx.Provider>;
}

function useSel(): Selection {
  const s = React.useContext(Ctx);
  if (!s) throw new Error("ApprovalSelection missing");
  return s;
}

export function SelectRequest({ id, number }: { id: string; number: number }) {
  const t = useTranslations("approvalQueue");
  const sel = useSel();
  return (
    <input
      type="checkbox"
      className="mt-1 h-5 w-5 shrink-0 rounded border-slate-400"
      aria-label={t("select", { number })}
      checked={sel.selected.has(id)}
      onChange={(e) => sel.toggle(id, e.target.checked)}
    />
  );
}

export function SelectAllRequests() {
  const t = useTranslations("approvalQueue");
  const sel = useSel();
  return (
    <label className="inline-flex items-center gap-2 text-sm text-slate-700">
      <SelectAll checked={sel.all} indeterminate={sel.some} onChange={sel.toggleAll} label={t("selectAll")} />
      <span aria-hidden="true">{t("selectAll")}</span>
    </label>
  );
}

export function ApprovalBulkBar() {
  const t = useTranslations("approvalQueue");
  const tc = useTranslations("common");
  const ta = useTranslations("approvals");
  const fieldMessage = useFieldMessage("approvals.errors");
  const sel = useSel();
  const router = useRouter();
  const [open, setOpen] = React.useState<"approve" | "reject" | null>(null);
  const [reason, setReason] = React.useState("");
  const [error, setError] = React.useState<string | null>(null);
  const [busy, setBusy] = React.useState(false);
  const count = sel.selected.size;

  async function run(decision: "approve" | "reject") {
    if (decision === "reject" && !reason.trim()) {
      setError(ta("errors.reasonRequired"));
      return;
    }
    setBusy(true);
    try {
      const r = await bulkDecideAction({ decision, requestIds: [...sel.selected], ...(decision === "reject" ? { reason } : {}) });
      if (!r.ok) {
        // Field errors are message keys (bare ones under approvals.errors): said in the user's language.
        const fields = r.error.details?.fields as Record<string, string[]> | undefined;
        const first = fields ? Object.entries(fields).find(([, m]) => m.length) : undefined;
        if (fields?.reason?.length) setError(fieldMessage(fields.reason[0]));
        else toast.error(first ? fieldMessage(first[1][0]) : r.error.message);
        return;
      }
      const { decided, skipped, results } = r.data;
      const message = t(decision === "approve" ? "bulk.approved" : "bulk.rejected", { decided, skipped });
      const lines = results
        .filter((x) => !x.ok)
        .slice(0, 6)
        .map((x) => (x.ok ? "" : x.number === null ? t("bulk.skippedHidden", { reason: x.reason }) : t("bulk.skippedLine", { number: x.number, reason: x.reason })));
      if (skipped === 0) toast.success(message);
      else toast.warning(message, { description: lines.join("\n"), duration: 12_000 });
      sel.clear();
      setOpen(null);
      setReason("");
      setError(null);
      router.refresh();
    } finally {
      setBusy(false);
    }
  }

  return (
    <>
      <BulkBar count={count} label={t("bulk.label")}>
        <span className="font-medium" aria-live="polite">
          {t("bulk.selected", { count })}
        </span>
        <Button size="sm" disabled={busy} onClick={() => setOpen("approve")}>
          {t("bulk.approve")}
        </Button>
        <Button size="sm" variant="danger" disabled={busy} onClick={() => setOpen("reject")}>
          {t("bulk.reject")}
        </Button>
        <Button size="sm" variant="ghost" onClick={sel.clear}>
          {t("bulk.clear")}
        </Button>
      </BulkBar>
      <Dialog open={open !== null} onOpenChange={(o) => !busy && !o && setOpen(null)}>
        {open ? (
          <DialogContent
            title={t(open === "approve" ? "bulk.approveTitle" : "bulk.rejectTitle", { count })}
            description={t(open === "approve" ? "bulk.approveBody" : "bulk.rejectBody")}
            closeLabel={tc("close")}
          >
            <form
              onSubmit={(e) => {
                e.preventDefault();
                void run(open);
              }}
              className="space-y-4"
            >
              {open === "reject" ? (
                <Field id="bulk-reason" label={t("bulk.reason")} error={error}>
                  <Textarea rows={4} aria-required="true" maxLength={MAX_REASON} value={reason} onChange={(e) => setReason(e.target.value)} />
                </Field>
              ) : null}
              <div className="flex justify-end gap-2">
                <DialogClose asChild>
                  <Button type="button" variant="secondary" disabled={busy}>
                    {tc("cancel")}
                  </Button>
                </DialogClose>
                <Button type="submit" variant={open === "reject" ? "danger" : "primary"} disabled={busy}>
                  {busy ? t("bulk.working") : t(open === "approve" ? "bulk.confirmApprove" : "bulk.confirmReject", { count })}
                </Button>
              </div>
            </form>
          </DialogContent>
        ) : null}
      </Dialog>
    </>
  );
}
