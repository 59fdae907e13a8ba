"use client";
import { useRef, useState, useTransition } from "react";
import { useTranslations } from "next-intl";
import { toast } from "sonner";
import { Button } from "@/components/ui/button";
import { Field, Input } from "@/components/ui/field";
import type { ActionResult } from "@/lib/actions/run-action";

type Fields = Record<string, string[]>;

export function ChangePasswordForm({ action }: { action: (input: unknown) => Promise<ActionResult<{ sessionsEnded: number }>> }) {
  const t = useTranslations("users.security");
  const tRoot = useTranslations();
  const formRef = useRef<HTMLFormElement>(null);
  const [pending, start] = useTransition();
  const [errors, setErrors] = useState<Fields>({});
  const err = (f: string) => errors[f]?.map((m) => (m.startsWith("users.") ? tRoot(m as never) : m));
  return (
    <form
      ref={formRef}
      noValidate
      className="grid max-w-md gap-4"
      onSubmit={(e) => {
        e.preventDefault();
        const form = new FormData(e.currentTarget);
        const input = { currentPassword: String(form.get("currentPassword") ?? ""), newPassword: String(form.get("newPassword") ?? "") };
        start(async () => {
          const r = await action(input);
          if (r.ok) {
            setErrors({});
            formRef.current?.reset();
            toast.success(t("passwordChanged", { count: r.data.sessionsEnded }));
          } else {
            setErrors((r.error.details?.fields as Fields) ?? {});
            toast.error(r.error.details?.fields ? t("changeFailed") : r.error.message);
          }
        });
      }}
    >
      <Field id="current-password" label={t("currentPassword")} error={err("currentPassword")}>
        <Input name="currentPassword" type="password" autoComplete="current-password" required />
      </Field>
      <Field id="new-password" label={t("newPassword")} hint={t("newPasswordHint")} error={err("newPassword")}>
        <Input name="newPassword" type="password" autoComplete="new-password" required minLength={12} maxLength={200} />
      </Field>
      <div>
        <Button type="submit" disabled={pending}>
          {pending ? t("changing") : t("changePassword")}
        </Button>
      </div>
    </form>
  );
}
