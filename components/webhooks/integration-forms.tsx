"use client";
// Administration -> Integrations: the webhook private-network allow-list and a test e-mail.
import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import { useTranslations } from "next-intl";
import { toast } from "sonner";
import { Button } from "@/components/ui/button";
import { Field, Textarea } from "@/components/ui/field";
import { fieldErrorsOf, useErrorText } from "@/components/machines/client-utils";
import type { ActionResult } from "@/lib/actions/run-action";

export function AllowedNetworksForm({
  initial,
  action,
}: {
  initial: string[];
  action: (input: unknown) => Promise<ActionResult<{ allowedNetworks: string[] }>>;
}) {
  const t = useTranslations("webhooks.integrations");
  const tRoot = useTranslations();
  const errorText = useErrorText();
  const router = useRouter();
  const [pending, start] = useTransition();
  const [text, setText] = useState(initial.join("\n"));
  const [errors, setErrors] = useState<string[]>([]);
  return (
    <form
      noValidate
      className="space-y-3"
      onSubmit={(e) => {
        e.preventDefault();
        const allowedNetworks = text
          .split(/[\s,]+/)
          .map((s) => s.trim())
          .filter(Boolean);
        start(async () => {
          const r = await action({ allowedNetworks });
          if (r.ok) {
            setErrors([]);
            setText(r.data.allowedNetworks.join("\n"));
            toast.success(t("saved"));
            router.refresh();
          } else {
            const fields = fieldErrorsOf(r);
            const list = Object.values(fields).flat();
            setErrors(list.map((m) => (m.startsWith("webhooks.") ? tRoot(m as never) : m)));
            toast.error(t("saveFailed"), list.length ? undefined : { description: errorText(r.error) });
          }
        });
      }}
    >
      <Field id="allowed-networks" label={t("allowedNetworks")} hint={t("allowedNetworksHint")} error={errors.length ? errors : null}>
        <Textarea name="allowedNetworks" rows={4} className="font-mono text-xs" value={text} onChange={(e) => setText(e.target.value)} spellCheck={false} />
      </Field>
      <div className="flex justify-end">
        <Button type="submit" disabled={pending}>
          {pending ? t("saving") : t("save")}
        </Button>
      </div>
    </form>
  );
}

export function TestEmailButton({ action }: { action: () => Promise<ActionResult<{ messageId: string; to: string }>> }) {
  const t = useTranslations("webhooks.integrations");
  const errorText = useErrorText();
  const router = useRouter();
  const [pending, start] = useTransition();
  return (
    <Button
      variant="secondary"
      disabled={pending}
      onClick={() =>
        start(async () => {
          const r = await action();
          if (r.ok) {
            toast.success(t("testQueued", { to: r.data.to }));
            router.refresh();
          } else toast.error(t("testFailed"), { description: errorText(r.error) });
        })
      }
    >
      {pending ? t("testSending") : t("testEmail")}
    </Button>
  );
}
