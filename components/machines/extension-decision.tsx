"use client";
import { useRouter } from "next/navigation";
import { useTranslations } from "next-intl";
import { useState, useTransition } from "react";
import { toast } from "sonner";
import { Button } from "@/components/ui/button";
import { Dialog, DialogContent, DialogTrigger } from "@/components/ui/dialog";
import { Field, Textarea } from "@/components/ui/field";
import { decideLeaseExtensionAction } from "@/app/(portal)/machines/extensions/actions";
import { fieldErrorsOf, useErrorText } from "./client-utils";

/** Approve or reject one lease extension, with a reason (required to reject). */
export function ExtensionDecision({ extensionId, machineName }: { extensionId: string; machineName: string }) {
  const t = useTranslations("leases.extensions");
  const tc = useTranslations("common");
  const errorText = useErrorText();
  const router = useRouter();
  const [open, setOpen] = useState(false);
  const [reason, setReason] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [pending, startTransition] = useTransition();
  const decide = (decision: "APPROVE" | "REJECT") => {
    if (decision === "REJECT" && !reason.trim()) return setError(t("decisionReasonHint"));
    startTransition(async () => {
      const r = await decideLeaseExtensionAction({ extensionId, decision, reason });
      if (r.ok) {
        toast.success(decision === "APPROVE" ? t("approved") : t("rejected"));
        setOpen(false);
        router.refresh();
      } else if (fieldErrorsOf(r).reason) setError(t("decisionReasonHint"));
      else toast.error(t("decideTitle", { name: machineName }), { description: errorText(r.error) });
    });
  };
  return (
    <Dialog open={open} onOpenChange={setOpen}>
      <DialogTrigger asChild>
        <Button size="sm" variant="secondary" aria-label={t("decideLabel", { name: machineName })}>
          {t("decision")}
        </Button>
      </DialogTrigger>
      <DialogContent title={t("decideTitle", { name: machineName })} closeLabel={tc("close")}>
        <div className="space-y-4">
          <Field id={`reason-${extensionId}`} label={t("decisionReason")} hint={t("decisionReasonHint")} error={error}>
            <Textarea value={reason} onChange={(e) => setReason(e.target.value)} maxLength={1000} />
          </Field>
          <div className="flex justify-end gap-2">
            <Button type="button" variant="danger" disabled={pending} onClick={() => decide("REJECT")}>
              {t("reject")}
            </Button>
            <Button type="button" disabled={pending} onClick={() => decide("APPROVE")}>
              {t("approve")}
            </Button>
          </div>
        </div>
      </DialogContent>
    </Dialog>
  );
}
