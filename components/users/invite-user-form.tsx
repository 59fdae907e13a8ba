"use client";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { useForm } from "react-hook-form";
import { zodResolver } from "@hookform/resolvers/zod";
import { useTranslations } from "next-intl";
import { toast } from "sonner";
import type { z } from "zod";
import { Button } from "@/components/ui/button";
import { Field, Input, NativeSelect } from "@/components/ui/field";
import { useErrorText } from "@/components/admin/use-error-text";
import { fieldErrorsOf, useActionErrorToast, type ClientActionResult } from "@/components/admin/action-result";
import { inviteUserSchema } from "@/lib/users/schemas";

type InviteInput = z.input<typeof inviteUserSchema>;
type Invited = { emailed: boolean; invitationUrl: string | null; user: { email: string } };

/** Invite a person to a local account; without e-mail the one-time link is shown here once. */
export function InviteUserForm({ invite }: { invite: (input: unknown) => Promise<ClientActionResult<Invited>> }) {
  const t = useTranslations("users.admin");
  const errorText = useErrorText();
  const toastError = useActionErrorToast();
  const router = useRouter();
  const [link, setLink] = useState<{ email: string; url: string } | null>(null);
  const {
    register,
    handleSubmit,
    setError,
    reset,
    formState: { errors, isSubmitting },
  } = useForm<InviteInput>({ resolver: zodResolver(inviteUserSchema), defaultValues: { email: "", name: "", role: "USER", locale: "en" } });

  const onSubmit = handleSubmit(async (values) => {
    const r = await invite(values);
    if (!r.ok) {
      for (const [field, messages] of Object.entries(fieldErrorsOf(r.error))) setError(field as keyof InviteInput, { type: "server", message: messages[0] });
      toastError(r.error);
      return;
    }
    if (r.data.invitationUrl) setLink({ email: r.data.user.email, url: r.data.invitationUrl });
    else setLink(null);
    toast.success(r.data.emailed ? t("invitedEmailed", { email: r.data.user.email }) : t("invitedLink", { email: r.data.user.email }));
    reset({ email: "", name: "", role: values.role, locale: values.locale });
    router.refresh();
  });

  return (
    <section aria-labelledby="invite-title" className="mb-6 rounded-lg border border-slate-200 bg-white p-4">
      <h2 id="invite-title" className="mb-3 text-sm font-semibold text-slate-900">
        {t("inviteTitle")}
      </h2>
      <form onSubmit={onSubmit} noValidate className="flex flex-col gap-3 lg:flex-row lg:items-start">
        <Field id="invite-email" label={t("email")} error={errorText(errors.email?.message)} className="lg:w-64">
          <Input type="email" autoComplete="off" {...register("email")} required />
        </Field>
        <Field id="invite-name" label={t("name")} error={errorText(errors.name?.message)} className="lg:w-56">
          <Input autoComplete="off" {...register("name")} required />
        </Field>
        <Field id="invite-role" label={t("role")} error={errorText(errors.role?.message)} className="lg:w-40">
          <NativeSelect {...register("role")}>
            <option value="USER">{t("roles.USER")}</option>
            <option value="ADMIN">{t("roles.ADMIN")}</option>
          </NativeSelect>
        </Field>
        <Field id="invite-locale" label={t("inviteLocale")} error={errorText(errors.locale?.message)} className="lg:w-44">
          <NativeSelect {...register("locale")}>
            <option value="en">English</option>
            <option value="pt-BR">Português (Brasil)</option>
          </NativeSelect>
        </Field>
        <Button type="submit" disabled={isSubmitting} className="lg:mt-6">
          {t("invite")}
        </Button>
      </form>
      {link ? (
        <div role="status" className="mt-3 space-y-1 rounded-md border border-amber-300 bg-amber-50 p-3 text-sm text-amber-900">
          <p>{t("inviteLinkText", { email: link.email })}</p>
          <Field id="invite-link" label={t("inviteLink")}>
            <Input readOnly value={link.url} onFocus={(e) => e.currentTarget.select()} />
          </Field>
        </div>
      ) : null}
    </section>
  );
}
