"use client";
// Shows a webhook's signing secret once (after create or rotate), like the API token page:
// the secret lives only in the caller's state, never in the URL, never re-fetched.
import { useTranslations } from "next-intl";
import { toast } from "sonner";
import { Button } from "@/components/ui/button";
import { Field, Input } from "@/components/ui/field";
import { Dialog, DialogContent } from "@/components/ui/dialog";

export function SecretDialog({ secret, onClose }: { secret: string | null; onClose: () => void }) {
  const t = useTranslations("webhooks.ui");
  return (
    <Dialog open={secret !== null} onOpenChange={(open) => !open && onClose()}>
      {secret ? (
        <DialogContent title={t("secretTitle")} description={t("secretText")} closeLabel={t("close")}>
          <div className="space-y-4">
            <Field id="webhook-secret" label={t("secretLabel")}>
              <Input readOnly value={secret} className="font-mono text-xs" onFocus={(e) => e.currentTarget.select()} data-testid="webhook-secret" />
            </Field>
            <div className="flex justify-end gap-2">
              <Button
                variant="secondary"
                onClick={async () => {
                  try {
                    await navigator.clipboard.writeText(secret);
                    toast.success(t("copied"));
                  } catch {
                    toast.error(t("copyFailed"));
                  }
                }}
              >
                {t("copy")}
              </Button>
              <Button onClick={onClose}>{t("done")}</Button>
            </div>
          </div>
        </DialogContent>
      ) : null}
    </Dialog>
  );
}
