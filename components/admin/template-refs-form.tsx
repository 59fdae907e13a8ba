"use client";
import { useRouter } from "next/navigation";
import { useForm } from "react-hook-form";
import { zodResolver } from "@hookform/resolvers/zod";
import { useTranslations } from "next-intl";
import { toast } from "sonner";
import type { z } from "zod";
import { Button } from "@/components/ui/button";
import { Field, Input } from "@/components/ui/field";
import { Badge } from "@/components/ui/badge";
import { setTemplateProviderRefsSchema } from "@/lib/templates/schemas";
import { TEMPLATE_REF_EXAMPLES } from "@/lib/providers/kinds";
import type { ProviderKind } from "@/lib/generated/prisma/enums";
import { useErrorText } from "./use-error-text";
import { fieldErrorsOf, useActionErrorToast, type ClientActionResult } from "./action-result";

type RefsInput = z.infer<typeof setTemplateProviderRefsSchema>;

/** One text field per provider: how that provider knows the template (empty = cannot serve it). */
export function TemplateRefsForm({
  templateId,
  providers,
  save,
}: {
  templateId: string;
  providers: { id: string; name: string; kind: string; status: "ACTIVE" | "UNAVAILABLE" | "DISABLED"; ref: string }[];
  save: (input: unknown) => Promise<ClientActionResult<{ changed: boolean }>>;
}) {
  const t = useTranslations("templates");
  const tc = useTranslations("common");
  const errorText = useErrorText();
  const toastError = useActionErrorToast();
  const router = useRouter();
  const {
    register,
    handleSubmit,
    setError,
    formState: { errors, isSubmitting },
  } = useForm<RefsInput>({
    resolver: zodResolver(setTemplateProviderRefsSchema),
    defaultValues: { templateId, refs: providers.map((p) => ({ providerId: p.id, ref: p.ref })) },
  });

  const onSubmit = handleSubmit(async (values) => {
    const r = await save(values);
    if (!r.ok) {
      for (const [field, messages] of Object.entries(fieldErrorsOf(r.error))) setError(field as "refs", { type: "server", message: messages[0] });
      toastError(r.error);
      return;
    }
    toast.success(r.data.changed ? t("refsSaved") : t("refsUnchanged"));
    router.refresh();
  });

  if (!providers.length) return <p className="text-sm text-slate-600">{t("noProviders")}</p>;
  return (
    <form onSubmit={onSubmit} noValidate className="space-y-4">
      {providers.map((p, i) => (
        <div key={p.id} className="grid gap-2 sm:grid-cols-[14rem_1fr] sm:items-start">
          <div className="pt-1 text-sm">
            <p className="font-medium text-slate-900">{p.name}</p>
            <p className="text-xs text-slate-600">
              {tc(`providerKinds.${p.kind}`)} · <Badge tone={p.status === "ACTIVE" ? "green" : "gray"}>{t(`providerStatus.${p.status}`)}</Badge>
            </p>
          </div>
          <Field
            id={`ref-${p.id}`}
            label={<span className="sr-only">{t("refLabel", { provider: p.name })}</span>}
            hint={TEMPLATE_REF_EXAMPLES[p.kind as ProviderKind] ? t("refExample", { example: TEMPLATE_REF_EXAMPLES[p.kind as ProviderKind] }) : undefined}
            error={errorText(errors.refs?.[i]?.ref?.message)}
          >
            <Input
              {...register(`refs.${i}.ref`)}
              placeholder={t("refPlaceholder")}
              autoComplete="off"
              spellCheck={false}
              className="font-mono"
            />
          </Field>
        </div>
      ))}
      <Button type="submit" disabled={isSubmitting}>
        {isSubmitting ? t("saving") : t("saveRefs")}
      </Button>
    </form>
  );
}
