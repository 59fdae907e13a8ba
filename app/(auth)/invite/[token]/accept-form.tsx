"use client";
import Link from "next/link";
import { useActionState } from "react";
import { useTranslations } from "next-intl";
import { Button } from "@/components/ui/button";
import { Field, Input } from "@/components/ui/field";
import { useErrorText } from "@/components/admin/use-error-text";
import { acceptInvitationAction, type AcceptState } from "./actions";

export function AcceptInvitationForm({ token, email }: { token: string; email: string }) {
  const t = useTranslations("users.invite");
  const errorText = useErrorText();
  const [state, action, pending] = useActionState<AcceptState, FormData>(acceptInvitationAction, {});
  if (state.done) {
    return (
      <div role="status" className="space-y-4 text-sm text-slate-700">
        <p>{t("accepted")}</p>
        <Link href="/login" className="font-medium text-indigo-700 underline">
          {t("goToSignIn")}
        </Link>
      </div>
    );
  }
  return (
    <form action={action} className="space-y-4" noValidate>
      {state.error === "expired" ? (
        <div role="alert" className="rounded-md border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-800">
          {t("expired")}
        </div>
      ) : null}
      <input type="hidden" name="token" value={token} />
      <Field id="invite-email" label={t("email")}>
        <Input type="email" value={email} readOnly autoComplete="username" />
      </Field>
      <Field id="invite-password" label={t("password")} hint={t("passwordHint")} error={errorText(state.fields?.password?.[0])}>
        <Input name="password" type="password" autoComplete="new-password" required />
      </Field>
      <Field id="invite-confirm" label={t("confirm")} error={errorText(state.fields?.confirm?.[0])}>
        <Input name="confirm" type="password" autoComplete="new-password" required />
      </Field>
      <Button type="submit" className="w-full" disabled={pending}>
        {pending ? t("saving") : t("setPassword")}
      </Button>
    </form>
  );
}
