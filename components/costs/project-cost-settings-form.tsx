"use client";
// A project's placement policy (how the portal orders its allowed providers after the default
// one), whether members may target one provider on the request form, and its budget alert
// thresholds. Same zod schema as the server. The allowed providers and the default one are set
// in the project's "Providers" section.
import { useId, useState } from "react";
import { useRouter } from "next/navigation";
import { useTranslations } from "next-intl";
import { toast } from "sonner";
import { Button } from "@/components/ui/button";
import { Field, Input, NativeSelect } from "@/components/ui/field";
import type { ActionResult } from "@/lib/actions/run-action";
import type { ProjectCostSettings } from "@/lib/costs/project-cost-settings";
import { BUDGET_BASES, projectCostSettingsSchema, type ProjectCostSettingsInput } from "@/lib/costs/schemas";
import { ProjectPlacementPolicy, type BudgetBasis } from "@/lib/generated/prisma/enums";

const POLICIES = Object.values(ProjectPlacementPolicy);

export function ProjectCostSettingsForm({ settings, action }: { settings: ProjectCostSettings; action: (input: ProjectCostSettingsInput) => Promise<ActionResult<unknown>> }) {
  const t = useTranslations("costs.settings");
  const tp = useTranslations("costs.policies");
  const th = useTranslations("costs.policyHelp");
  const te = useTranslations("costs.errors");
  const tc = useTranslations("common");
  const router = useRouter();
  const uid = useId();
  const [policy, setPolicy] = useState(settings.placementPolicy);
  const [choice, setChoice] = useState(settings.providerChoice);
  const [thresholds, setThresholds] = useState(settings.thresholds.map((x, i) => ({ key: `t${i}`, percent: String(x.percent), basis: x.basis })));
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState(false);
  const msg = (m: string) => (te.has(m) ? te(m) : m);

  const submit = async (e: React.FormEvent) => {
    e.preventDefault();
    const input = {
      projectId: settings.projectId,
      placementPolicy: policy,
      providerChoice: choice,
      thresholds: thresholds.map((x) => ({ percent: x.percent.trim() === "" ? Number.NaN : Number(x.percent), basis: x.basis })),
    };
    const parsed = projectCostSettingsSchema.safeParse(input);
    const errs: Record<string, string> = {};
    if (!parsed.success) for (const i of parsed.error.issues) errs[i.path.join(".")] ??= msg(i.message);
    setErrors(errs);
    if (!parsed.success) return;
    setBusy(true);
    const r = await action(parsed.data);
    setBusy(false);
    if (!r.ok) {
      const fields = (r.error.details?.fields ?? {}) as Record<string, string[]>;
      const server = Object.fromEntries(Object.entries(fields).map(([k, v]) => [k, msg(v[0])]));
      if (!Object.keys(server).length) server._form = tc.has(`errors.${r.error.code}`) ? tc(`errors.${r.error.code}`, { ref: r.error.correlationId ?? "" }) : r.error.message;
      setErrors(server);
      return;
    }
    toast.success(t("saved"));
    router.refresh();
  };

  return (
    <form onSubmit={submit} noValidate className="space-y-5" aria-label={t("title")}>
      <Field id={`${uid}-policy`} label={t("policy")} hint={th(policy)} error={errors.placementPolicy}>
        <NativeSelect value={policy} onChange={(e) => setPolicy(e.target.value as typeof policy)}>
          {POLICIES.map((p) => (
            <option key={p} value={p}>
              {tp(p)}
            </option>
          ))}
        </NativeSelect>
      </Field>
      <div className="flex items-start gap-2">
        <input id={`${uid}-choice`} type="checkbox" checked={choice} onChange={(e) => setChoice(e.target.checked)} className="mt-0.5 h-4 w-4 accent-indigo-600" />
        <label htmlFor={`${uid}-choice`} className="text-sm text-slate-800">
          {t("providerChoice")}
        </label>
      </div>
      <fieldset className="space-y-2">
        <legend className="text-sm font-semibold text-slate-900">{t("thresholds")}</legend>
        <p className="text-xs text-slate-600">{t("thresholdsHelp")}</p>
        {settings.monthlyBudgetCents === null ? <p className="text-xs text-amber-800">{t("noBudget")}</p> : null}
        {thresholds.length === 0 ? <p className="text-sm text-slate-600">{t("noThresholds")}</p> : null}
        <ul className="space-y-2">
          {thresholds.map((x, i) => {
            const err = errors[`thresholds.${i}.percent`];
            const set = (patch: Partial<typeof x>) => setThresholds(thresholds.map((y) => (y.key === x.key ? { ...y, ...patch } : y)));
            return (
              <li key={x.key} className="flex flex-wrap items-start gap-2">
                <div>
                  <Input
                    aria-label={`${t("percent")} ${i + 1}`}
                    inputMode="numeric"
                    value={x.percent}
                    onChange={(e) => set({ percent: e.target.value })}
                    className="w-24"
                    aria-invalid={err ? true : undefined}
                  />
                  {err ? <p className="mt-1 text-xs text-red-700">{err}</p> : null}
                </div>
                <span className="pt-2 text-sm text-slate-700">%</span>
                <NativeSelect aria-label={`${t("basis")} ${i + 1}`} value={x.basis} onChange={(e) => set({ basis: e.target.value as BudgetBasis })} className="w-40">
                  {BUDGET_BASES.map((b) => (
                    <option key={b} value={b}>
                      {t(`bases.${b}`)}
                    </option>
                  ))}
                </NativeSelect>
                <Button
                  type="button"
                  variant="secondary"
                  size="sm"
                  onClick={() => setThresholds(thresholds.filter((y) => y.key !== x.key))}
                  aria-label={t("removeThreshold", { percent: x.percent || "?", basis: t(`bases.${x.basis}`) })}
                >
                  ×
                </Button>
              </li>
            );
          })}
        </ul>
        <Button type="button" variant="secondary" size="sm" onClick={() => setThresholds([...thresholds, { key: `n${Date.now()}`, percent: "", basis: "ACTUAL" }])}>
          {t("addThreshold")}
        </Button>
      </fieldset>
      {errors._form || errors.thresholds ? (
        <p role="alert" className="rounded-md border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-800">
          {errors._form ?? errors.thresholds}
        </p>
      ) : null}
      <Button type="submit" disabled={busy}>
        {busy ? t("saving") : t("save")}
      </Button>
    </form>
  );
}
