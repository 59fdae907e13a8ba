"use client";
// Approve, or reject with a required reason (dialog). The server re-checks who may decide.
import { useState, useTransition } from "react";
import { useRouter } from "next/navigation";
import { useForm } from "react-hook-form";
import { zodResolver } from "@hookform/resolvers/zod";
import { useTranslations } from "next-intl";
import { toast } from "sonner";
import { Button } from "@/components/ui/button";
import { Dialog, DialogClose, DialogContent, DialogTrigger } from "@/components/ui/dialog";
import { Field, Textarea } from "@/components/ui/field";
import { useErrorMessage } from "@/components/requests/use-error-message";
import { rejectRequestSchema, type RejectRequestInput } from "@/lib/approvals/schemas";
import type { ActionResult } from "@/lib/actions/run-action";
import type { ErrorBody } from "@/lib/errors";

type Action<I> = (input: I) => Promise<ActionResult<unknown>>;

export function DecisionButtons({
  requestId,
  number,
  approveAction,
  rejectAction,
}: {
  requestId: string;
  number: number;
  approveAction: Action<{ requestId: string }>;
  rejectAction: Action<RejectRequestInput>;
}) {
  const t = useTranslations("approvals");
  const tc = useTranslations("common");
  const router = useRouter();
  const errorMessage = useErrorMessage();
  const [approving, startApprove] = useTransition();
  // The page's refresh after a decision, as a transition of its own: until the refreshed page
  // is on screen the buttons stay disabled (a `router.refresh()` after an `await` is not part of
  // the action's transition, so without this they came back live under the old status).
  const [refreshing, startRefresh] = useTransition();
  const refresh = () => startRefresh(() => router.refresh());
  const [open, setOpen] = useState(false);

  const form = useForm<RejectRequestInput>({ resolver: zodResolver(rejectRequestSchema), defaultValues: { requestId, reason: "" } });
  const reasonError = form.formState.errors.reason?.message;

  const describe = (error: ErrorBody) => {
    if (error.code === "CONFLICT") return t("errors.alreadyDecided");
    return errorMessage(error);
  };

  const approve = () =>
    startApprove(async () => {
      const result = await approveAction({ requestId });
      // With approval stages, an approval may only move the request to its next stage.
      const waiting = result.ok ? (result.data as { waitingStage?: { name: string } | null } | undefined)?.waitingStage : null;
      if (result.ok) toast.success(waiting ? t("approvedStage", { number, stage: waiting.name }) : t("approved", { number }));
      else toast.error(describe(result.error));
      refresh();
    });

  const reject = form.handleSubmit(async (values) => {
    const result = await rejectAction(values);
    if (result.ok) {
      setOpen(false);
      toast.success(t("rejected", { number }));
      refresh();
      return;
    }
    const fields = result.error.details?.fields as Record<string, string[]> | undefined;
    if (result.error.code === "VALIDATION" && fields?.reason) {
      form.setError("reason", { type: "server", message: fields.reason[0] }, { shouldFocus: true });
      return;
    }
    setOpen(false);
    toast.error(describe(result.error));
    refresh();
  });

  return (
    <div className="flex flex-wrap gap-2">
      <Button onClick={approve} disabled={approving || refreshing} aria-label={t("approveLabel", { number })}>
        {approving ? t("approving") : t("approve")}
      </Button>
      <Dialog
        open={open}
        onOpenChange={(o) => {
          setOpen(o);
          if (!o) form.reset({ requestId, reason: "" });
        }}
      >
        <DialogTrigger asChild>
          <Button variant="danger" disabled={approving || refreshing} aria-label={t("rejectLabel", { number })}>
            {t("reject")}
          </Button>
        </DialogTrigger>
        <DialogContent title={t("rejectTitle", { number })} description={t("rejectBody")} closeLabel={tc("close")}>
          <form onSubmit={reject} noValidate className="space-y-4">
            <Field
              id={`reason-${requestId}`}
              label={t("reason")}
              error={reasonError ? (t.has(`errors.${reasonError}`) ? t(`errors.${reasonError}`) : reasonError) : undefined}
            >
              <Textarea rows={4} required aria-required="true" {...form.register("reason")} />
            </Field>
            <div className="flex justify-end gap-2">
              <DialogClose asChild>
                <Button type="button" variant="secondary">
                  {tc("cancel")}
                </Button>
              </DialogClose>
              <Button type="submit" variant="danger" disabled={form.formState.isSubmitting}>
                {form.formState.isSubmitting ? t("rejecting") : t("rejectConfirm")}
              </Button>
            </div>
          </form>
        </DialogContent>
      </Dialog>
    </div>
  );
}
