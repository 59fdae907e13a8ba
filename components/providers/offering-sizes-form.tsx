"use client";
// The offering sizes of a provider that sells fixed shapes (EC2 instance types, Azure VM
// sizes): one row per offering, the provider's sizes to choose from (a datalist of what it
// reported), the closest one suggested, and a warning when a mapped size holds less than the
// offering promises.
import { useState } from "react";
import { useRouter } from "next/navigation";
import { useFormatter, useTranslations } from "next-intl";
import { toast } from "sonner";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/field";
import { Table, Td, Th } from "@/components/ui/table";
import { formatGib } from "@/components/catalog/format";
import { fieldErrorsOf, useActionErrorToast, type ClientActionResult } from "@/components/admin/action-result";
import { useErrorText } from "@/components/admin/use-error-text";
import { sizeShortfall } from "@/lib/providers/closest-size";
import type { OfferingSizesView } from "@/lib/providers/get-offering-sizes";

export function OfferingSizesForm({
  providerId,
  view,
  save,
}: {
  providerId: string;
  view: OfferingSizesView;
  save: (input: unknown) => Promise<ClientActionResult<{ changed: boolean }>>;
}) {
  const t = useTranslations("providers.offeringSizes");
  const f = useFormatter();
  const router = useRouter();
  const toastError = useActionErrorToast();
  const errorText = useErrorText();
  const [refs, setRefs] = useState<Record<string, string>>(() => Object.fromEntries(view.offerings.map((o) => [o.id, o.ref])));
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState(false);
  const sizes = new Map((view.sizes ?? []).map((s) => [s.ref, s]));
  const gib = (mib: number) => `${formatGib(f, mib)} GiB`;

  const fillSuggestions = () =>
    setRefs((r) => Object.fromEntries(view.offerings.map((o) => [o.id, r[o.id] || o.suggestion?.ref || ""])));

  const onSubmit = async (e: React.FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setErrors({});
    try {
      const r = await save({ providerId, refs: view.offerings.map((o) => ({ offeringId: o.id, ref: (refs[o.id] ?? "").trim() })) });
      if (!r.ok) {
        const fields = fieldErrorsOf(r.error);
        const next: Record<string, string> = {};
        for (const [path, messages] of Object.entries(fields)) {
          const m = /^refs\.(\d+)\.ref$/.exec(path);
          if (m) next[view.offerings[Number(m[1])].id] = messages[0];
        }
        setErrors(next);
        toastError(r.error);
        return;
      }
      toast.success(r.data.changed ? t("saved") : t("unchanged"));
      router.refresh();
    } finally {
      setBusy(false);
    }
  };

  return (
    <form onSubmit={onSubmit} noValidate className="space-y-3">
      {view.sizesError ? (
        <p role="status" className="rounded-md border border-amber-200 bg-amber-50 px-3 py-2 text-sm text-amber-900">
          {t("sizesUnavailable", { message: view.sizesError.message })}
        </p>
      ) : (
        <p className="text-sm text-slate-600">{t("sizesListed", { count: view.sizes?.length ?? 0 })}</p>
      )}
      <datalist id={`sizes-${providerId}`}>
        {(view.sizes ?? []).map((s) => (
          <option key={s.ref} value={s.ref}>
            {t("sizeOption", { vcpu: s.vcpu, memory: gib(s.memoryMb) })}
          </option>
        ))}
      </datalist>
      <Table>
        <thead>
          <tr>
            <Th>{t("offering")}</Th>
            <Th>{t("promises")}</Th>
            <Th>{t("size")}</Th>
            <Th>{t("suggestion")}</Th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {view.offerings.map((o) => {
            const id = `size-${o.id}`;
            const value = refs[o.id] ?? "";
            const known = sizes.get(value);
            const short = sizeShortfall(o, known);
            const hintId = `${id}-hint`;
            const errId = `${id}-error`;
            return (
              <tr key={o.id}>
                <Td className="font-medium">
                  <label htmlFor={id}>{t("sizeFor", { name: o.name })}</label>
                  {!o.active ? <span className="ml-1 text-xs text-slate-500">({t("inactive")})</span> : null}
                </Td>
                <Td className="whitespace-nowrap text-xs">{t("shape", { vcpu: o.vcpu, memory: gib(o.memoryMb), disk: o.diskGb, tier: o.diskTier })}</Td>
                <Td>
                  <Input
                    id={id}
                    list={`sizes-${providerId}`}
                    value={value}
                    onChange={(e) => setRefs((r) => ({ ...r, [o.id]: e.target.value }))}
                    placeholder={o.suggestion?.ref ?? t("notServed")}
                    autoComplete="off"
                    spellCheck={false}
                    className="min-w-44 font-mono"
                    aria-invalid={errors[o.id] ? true : undefined}
                    aria-describedby={[known || short.length ? hintId : null, errors[o.id] ? errId : null].filter(Boolean).join(" ") || undefined}
                  />
                  {known ? (
                    <p id={hintId} className={short.length ? "mt-1 text-xs font-medium text-amber-800" : "mt-1 text-xs text-slate-600"}>
                      {short.length
                        ? t("smallerThanOffering", { size: value, vcpu: known.vcpu, memory: gib(known.memoryMb) })
                        : t("sizeOption", { vcpu: known.vcpu, memory: gib(known.memoryMb) })}
                    </p>
                  ) : null}
                  {errors[o.id] ? (
                    <p id={errId} role="alert" className="mt-1 text-xs font-medium text-red-700">
                      {errorText(errors[o.id])}
                    </p>
                  ) : null}
                </Td>
                <Td className="text-xs">
                  {o.suggestion ? (
                    <Button
                      type="button"
                      size="sm"
                      variant="secondary"
                      aria-label={t("useSuggestionLabel", { size: o.suggestion.ref, name: o.name })}
                      onClick={() => setRefs((r) => ({ ...r, [o.id]: o.suggestion!.ref }))}
                    >
                      {t("useSuggestion", { size: o.suggestion.ref })}
                    </Button>
                  ) : view.sizes ? (
                    t("noneHolds")
                  ) : (
                    "—"
                  )}
                </Td>
              </tr>
            );
          })}
        </tbody>
      </Table>
      <div className="flex flex-wrap gap-2">
        <Button type="submit" disabled={busy}>
          {busy ? t("saving") : t("save")}
        </Button>
        {view.sizes?.length ? (
          <Button type="button" variant="secondary" onClick={fillSuggestions}>
            {t("fillSuggestions")}
          </Button>
        ) : null}
      </div>
    </form>
  );
}
