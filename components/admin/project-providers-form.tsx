"use client";
// Which providers a project's machines may be placed on, and the default one placement tries
// first. No provider ticked: every provider.
import { useState } from "react";
import { useRouter } from "next/navigation";
import { useTranslations } from "next-intl";
import { toast } from "sonner";
import { Button } from "@/components/ui/button";
import { Badge } from "@/components/ui/badge";
import { Field, NativeSelect } from "@/components/ui/field";
import { fieldErrorsOf, useActionErrorToast, type ClientActionResult } from "./action-result";
import { useErrorText } from "./use-error-text";
import { KIND_CLOUD } from "@/lib/providers/kinds";
import type { ProviderKind, ProviderStatus } from "@/lib/generated/prisma/enums";

export function ProjectProvidersForm({
  projectId,
  providers,
  allowedIds,
  defaultProviderId,
  save,
}: {
  projectId: string;
  providers: { id: string; name: string; kind: ProviderKind; status: ProviderStatus }[];
  allowedIds: string[];
  defaultProviderId: string | null;
  save: (input: unknown) => Promise<ClientActionResult<{ changed: boolean }>>;
}) {
  const t = useTranslations("projects.providers");
  const tk = useTranslations("providers.kinds");
  const ts = useTranslations("providers.statuses");
  const router = useRouter();
  const toastError = useActionErrorToast();
  const errorText = useErrorText();
  const [allowed, setAllowed] = useState<string[]>(allowedIds);
  const [def, setDef] = useState<string>(defaultProviderId ?? "");
  const [error, setError] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);
  const defaultChoices = allowed.length ? providers.filter((p) => allowed.includes(p.id)) : providers;

  const toggle = (id: string, on: boolean) => {
    const next = on ? [...allowed, id] : allowed.filter((x) => x !== id);
    setAllowed(next);
    if (def && next.length && !next.includes(def)) setDef("");
  };

  const onSubmit = async (e: React.FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      const r = await save({ projectId, providerIds: allowed, defaultProviderId: def || null });
      if (!r.ok) {
        setError(fieldErrorsOf(r.error).defaultProviderId?.[0]);
        toastError(r.error);
        return;
      }
      toast.success(r.data.changed ? t("saved") : t("unchanged"));
      router.refresh();
    } finally {
      setBusy(false);
    }
  };

  if (!providers.length) return <p className="text-sm text-slate-600">{t("noProviders")}</p>;
  return (
    <form onSubmit={onSubmit} noValidate className="space-y-4">
      <fieldset className="space-y-2">
        <legend className="text-sm font-medium text-slate-800">{t("allowed")}</legend>
        <p className="text-xs text-slate-600">{allowed.length ? t("allowedSome", { count: allowed.length }) : t("allowedAll")}</p>
        <ul className="grid gap-2 sm:grid-cols-2">
          {providers.map((p) => (
            <li key={p.id}>
              <label className="flex items-start gap-2 text-sm text-slate-800">
                <input type="checkbox" className="mt-0.5 h-4 w-4 rounded border-slate-300" checked={allowed.includes(p.id)} onChange={(e) => toggle(p.id, e.target.checked)} />
                <span>
                  <span className="font-medium">{p.name}</span>{" "}
                  <span className="text-xs text-slate-600">
                    {tk(p.kind)} · {t(`cloud.${KIND_CLOUD[p.kind]}`)}
                  </span>{" "}
                  {p.status !== "ACTIVE" ? <Badge tone="gray">{ts(p.status)}</Badge> : null}
                </span>
              </label>
            </li>
          ))}
        </ul>
      </fieldset>
      <Field id="project-default-provider" label={t("default")} hint={t("defaultHint")} error={errorText(error)}>
        <NativeSelect value={def} onChange={(e) => setDef(e.target.value)} className="max-w-md">
          <option value="">{t("noDefault")}</option>
          {defaultChoices.map((p) => (
            <option key={p.id} value={p.id}>
              {p.name}
            </option>
          ))}
        </NativeSelect>
      </Field>
      <Button type="submit" disabled={busy}>
        {busy ? t("saving") : t("save")}
      </Button>
    </form>
  );
}
