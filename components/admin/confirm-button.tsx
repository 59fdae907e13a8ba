"use client";
import { useState } from "react";
import { Button, type ButtonProps } from "@/components/ui/button";
import { Dialog, DialogClose, DialogContent, DialogTrigger } from "@/components/ui/dialog";

/**
 * A button that asks for confirmation in a dialog before running an async action. The
 * dialog stays open (with its buttons disabled) while the action runs.
 */
export function ConfirmButton({
  label,
  accessibleLabel,
  title,
  body,
  confirmLabel,
  cancelLabel,
  closeLabel,
  variant = "secondary",
  confirmVariant = "danger",
  onConfirm,
}: {
  label: string;
  accessibleLabel?: string;
  title: string;
  body: string;
  confirmLabel: string;
  cancelLabel: string;
  closeLabel: string;
  variant?: ButtonProps["variant"];
  confirmVariant?: ButtonProps["variant"];
  onConfirm: () => Promise<boolean>;
}) {
  const [open, setOpen] = useState(false);
  const [busy, setBusy] = useState(false);
  return (
    <Dialog open={open} onOpenChange={(o) => !busy && setOpen(o)}>
      <DialogTrigger asChild>
        <Button size="sm" variant={variant} aria-label={accessibleLabel}>
          {label}
        </Button>
      </DialogTrigger>
      <DialogContent title={title} description={body} closeLabel={closeLabel}>
        <div className="flex justify-end gap-2">
          <DialogClose asChild>
            <Button variant="secondary" disabled={busy}>
              {cancelLabel}
            </Button>
          </DialogClose>
          <Button
            variant={confirmVariant}
            disabled={busy}
            onClick={async () => {
              setBusy(true);
              try {
                if (await onConfirm()) setOpen(false);
              } finally {
                setBusy(false);
              }
            }}
          >
            {confirmLabel}
          </Button>
        </div>
      </DialogContent>
    </Dialog>
  );
}
