"use client";
import { useState, useTransition } from "react";
import { useRouter } from "next/navigation";
import { useTranslations } from "next-intl";
import { toast } from "sonner";
import { Button } from "@/components/ui/button";
import { Dialog, DialogClose, DialogContent, DialogTrigger } from "@/components/ui/dialog";
import type { ActionResult } from "@/lib/actions/run-action";
import { useErrorMessage } from "./use-error-message";

export function CancelRequestButton({
  requestId,
  number,
  action,
}: {
  requestId: string;
  number: number;
  action: (input: { requestId: string }) => Promise<ActionResult<{ requestId: string }>>;
}) {
  const t = useTranslations("requests");
  const tc = useTranslations("common");
  const router = useRouter();
  const errorMessage = useErrorMessage();
  const [open, setOpen] = useState(false);
  const [pending, startTransition] = useTransition();

  const confirm = () =>
    startTransition(async () => {
      const result = await action({ requestId });
      setOpen(false);
      if (result.ok) toast.success(t("cancelled", { number }));
      else toast.error(errorMessage(result.error));
      router.refresh();
    });

  return (
    <Dialog open={open} onOpenChange={setOpen}>
      <DialogTrigger asChild>
        <Button variant="secondary" size="sm" className="whitespace-nowrap" aria-label={t("cancelLabel", { number })}>
          {t("cancel")}
        </Button>
      </DialogTrigger>
      <DialogContent title={t("cancelTitle", { number })} description={t("cancelBody")} closeLabel={tc("close")}>
        <div className="flex justify-end gap-2">
          <DialogClose asChild>
            <Button variant="secondary">{t("cancelKeep")}</Button>
          </DialogClose>
          <Button variant="danger" onClick={confirm} disabled={pending}>
            {t("cancelConfirm")}
          </Button>
        </div>
      </DialogContent>
    </Dialog>
  );
}
