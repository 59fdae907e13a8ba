"use client";
// A project's multi-stage approval policy: ordered stages, each decided by every approver of the
// project and/or named approvers, optionally only from a monthly cost. The server checks again.
import { useState, useTransition } from "react";
import { useRouter } from "next/navigation";
import { useTranslations } from "next-intl";
import { toast } from "sonner";
import { Button } from "@/components/ui/button";
import { Field, Input } from "@/components/ui/field";
import { useErrorMessage } from "@/components/requests/use-error-message";
import { useFieldMessage } from "@/components/ui/use-field-message";
import type { ApprovalStagesView } from "@/lib/approvals/get-approval-stages";
import type { ActionResult } from "@/lib/actions/run-action";
import { MAX_STAGES } from "@/lib/approvals/stages";

interface Draft {
  key: number;
  name: string;
  allProjectApprovers: boolean;
  approverIds: string[];
  threshold: string;
}

type SaveInput = {
  projectId: string;
  stages: { name: string; allProjectApprovers: boolean; approverIds: string[]; minMonthlyCents: number | null }[];
};

let nextKey = 1;

export function ApprovalStagesForm({ view, save }: { view: ApprovalStagesView; save: (input: SaveInput) => Promise<ActionResult<unknown>> }) {
  const t = useTranslations("approvals.stages");
  const ta = useTranslations("approvals");
  const router = useRouter();
  const errorMessage = useErrorMessage();
  // Bare keys under approvals.errors, or full keys (fieldErrors.*): in the user's language.
  const fieldMessage = useFieldMessage("approvals.errors");
  const [pending, start] = useTransition();
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [stages, setStages] = useState<Draft[]>(() =>
    view.stages.map((s) => ({
      key: nextKey++,
      name: s.name,
      allProjectApprovers: s.allProjectApprovers,
      approverIds: s.approverIds,
      threshold: s.minMonthlyCents === null ? "" : String(s.minMonthlyCents / 100),
    })),
  );
  const update = (key: number, patch: Partial<Draft>) => setStages((all) => all.map((s) => (s.key === key ? { ...s, ...patch } : s)));
  const move = (i: number, d: -1 | 1) =>
    setStages((all) => {
      const next = [...all];
      [next[i], next[i + d]] = [next[i + d], next[i]];
      return next;
    });

  const submit = (e: React.FormEvent) => {
    e.preventDefault();
    const local: Record<string, string> = {};
    const payload = stages.map((s, i) => {
      const amount = s.threshold.trim() === "" ? null : Number(s.threshold.replace(",", "."));
      if (amount !== null && (!Number.isFinite(amount) || amount < 0)) local[`stages.${i}.minMonthlyCents`] = ta("errors.thresholdInvalid");
      if (!s.name.trim()) local[`stages.${i}.name`] = ta("errors.stageNameRequired");
      if (!s.allProjectApprovers && !s.approverIds.length) local[`stages.${i}.approverIds`] = ta("errors.stageWithoutApprovers");
      return { name: s.name.trim(), allProjectApprovers: s.allProjectApprovers, approverIds: s.approverIds, minMonthlyCents: amount === null ? null : Math.round(amount * 100) };
    });
    setErrors(local);
    if (Object.keys(local).length) return;
    start(async () => {
      const result = await save({ projectId: view.projectId, stages: payload });
      if (result.ok) {
        toast.success(t("saved"));
        router.refresh();
        return;
      }
      const fields = result.error.details?.fields as Record<string, string[]> | undefined;
      if (result.error.code === "VALIDATION" && fields) {
        const shown = Object.fromEntries(Object.entries(fields).map(([k, v]) => [k, fieldMessage(v[0])]));
        setErrors(shown);
        // A problem no field shows (too many stages, the project): said in a toast.
        const elsewhere = Object.entries(shown).find(([k]) => !/^stages\.\d+\.(name|minMonthlyCents|approverIds)$/.test(k));
        if (elsewhere) toast.error(elsewhere[1]);
      } else toast.error(errorMessage(result.error));
    });
  };

  return (
    <form onSubmit={submit} noValidate className="space-y-4" aria-labelledby="stages-heading">
      {stages.length === 0 ? <p className="text-sm text-slate-700">{t("none")}</p> : null}
      <ol className="space-y-4">
        {stages.map((s, i) => (
          <li key={s.key} className="rounded-md border border-slate-200 p-4" data-testid={`stage-${i + 1}`}>
            <fieldset className="space-y-3">
              <legend className="text-sm font-semibold text-slate-900">{t("stageN", { n: i + 1 })}</legend>
              <Field id={`stage-${s.key}-name`} label={t("name")} error={errors[`stages.${i}.name`]}>
                <Input value={s.name} maxLength={60} onChange={(e) => update(s.key, { name: e.target.value })} />
              </Field>
              <Field id={`stage-${s.key}-threshold`} label={t("threshold", { currency: view.currency })} hint={t("thresholdHint")} error={errors[`stages.${i}.minMonthlyCents`]}>
                <Input inputMode="decimal" className="max-w-40" value={s.threshold} onChange={(e) => update(s.key, { threshold: e.target.value })} />
              </Field>
              <div className="space-y-1">
                <label className="flex items-center gap-2 text-sm text-slate-900">
                  <input type="checkbox" checked={s.allProjectApprovers} onChange={(e) => update(s.key, { allProjectApprovers: e.target.checked })} />
                  {t("allApprovers")}
                </label>
                <fieldset>
                  <legend className="text-sm text-slate-700">{t("named")}</legend>
                  <div className="mt-1 flex flex-wrap gap-x-4 gap-y-1">
                    {view.approvers.map((a) => (
                      <label key={a.id} className="flex items-center gap-2 text-sm text-slate-900">
                        <input
                          type="checkbox"
                          checked={s.approverIds.includes(a.id)}
                          onChange={(e) => update(s.key, { approverIds: e.target.checked ? [...s.approverIds, a.id] : s.approverIds.filter((x) => x !== a.id) })}
                        />
                        {a.name}
                      </label>
                    ))}
                  </div>
                </fieldset>
                {errors[`stages.${i}.approverIds`] ? (
                  <p role="alert" className="text-xs font-medium text-red-700">
                    {errors[`stages.${i}.approverIds`]}
                  </p>
                ) : null}
              </div>
              <div className="flex flex-wrap gap-2">
                <Button type="button" size="sm" variant="secondary" disabled={i === 0} onClick={() => move(i, -1)} aria-label={t("up", { n: i + 1 })}>
                  ↑
                </Button>
                <Button type="button" size="sm" variant="secondary" disabled={i === stages.length - 1} onClick={() => move(i, 1)} aria-label={t("down", { n: i + 1 })}>
                  ↓
                </Button>
                <Button type="button" size="sm" variant="secondary" onClick={() => setStages((all) => all.filter((x) => x.key !== s.key))}>
                  {t("remove", { n: i + 1 })}
                </Button>
              </div>
            </fieldset>
          </li>
        ))}
      </ol>
      <div className="flex flex-wrap gap-2">
        <Button
          type="button"
          variant="secondary"
          disabled={stages.length >= MAX_STAGES}
          onClick={() => setStages((all) => [...all, { key: nextKey++, name: "", allProjectApprovers: all.length === 0, approverIds: [], threshold: "" }])}
        >
          {t("add")}
        </Button>
        <Button type="submit" disabled={pending}>
          {t("save")}
        </Button>
      </div>
    </form>
  );
}
