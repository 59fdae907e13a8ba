"use client";
// The stack editor: a textarea checked against the document schema as you type (problems by
// line and column, the same parser the server uses), then save, plan, apply and destroy.
import { useMemo, useState, useTransition } from "react";
import { useRouter } from "next/navigation";
import { useFormatter, useTranslations } from "next-intl";
import { toast } from "sonner";
import { Button } from "@/components/ui/button";
import { Label, Textarea } from "@/components/ui/field";
import { Table, Td, Th } from "@/components/ui/table";
import { parseStackYaml } from "@/lib/stacks/parse";
import type { ActionResult } from "@/lib/actions/run-action";
import type { StackPlan } from "@/lib/stacks/plan";

type Action<T> = (input: unknown) => Promise<ActionResult<T>>;
type PlanAnswer = StackPlan & { version: number; versionId: string };

export function StackEditor(props: {
  stackId?: string;
  initialYaml: string;
  currency: string;
  saveAction: Action<{ stackId: string; versionId: string; version: number; created: boolean }>;
  planAction?: Action<PlanAnswer>;
  applyAction?: Action<{ status: string; reason: string | null }>;
  destroyAction?: Action<{ status: string }>;
}) {
  const t = useTranslations("stacks");
  const format = useFormatter();
  const router = useRouter();
  const [yaml, setYaml] = useState(props.initialYaml);
  const [plan, setPlan] = useState<PlanAnswer | null>(null);
  const [pending, start] = useTransition();
  const result = useMemo(() => parseStackYaml(yaml), [yaml]);
  const problems = result.ok ? [] : result.problems;

  const fail = (r: { ok: false; error: { message: string } }) => toast.error(r.error.message);
  const save = async () => {
    const r = await props.saveAction({ yaml });
    if (!r.ok) {
      fail(r);
      return null;
    }
    toast.success(t("saved", { version: r.data.version }));
    if (r.data.stackId !== props.stackId) router.push(`/stacks/${r.data.stackId}`);
    else router.refresh();
    return r.data;
  };
  const doPlan = () =>
    start(async () => {
      const saved = await save();
      if (!saved || !props.planAction) return;
      const r = await props.planAction({ stackId: saved.stackId, versionId: saved.versionId });
      if (r.ok) setPlan(r.data);
      else fail(r);
    });
  const doApply = () =>
    start(async () => {
      const saved = await save();
      if (!saved || !props.applyAction) return;
      const r = await props.applyAction({ stackId: saved.stackId, versionId: saved.versionId });
      if (r.ok) toast.success(t("applyStarted", { status: t(`statuses.${r.data.status}` as "statuses.APPLYING") }));
      else fail(r);
      router.refresh();
    });
  const doDestroy = () =>
    start(async () => {
      if (!props.stackId || !props.destroyAction || !window.confirm(t("destroyConfirm"))) return;
      const r = await props.destroyAction({ stackId: props.stackId });
      if (r.ok) toast.success(t("destroyStarted"));
      else fail(r);
      router.refresh();
    });

  return (
    <div className="space-y-3">
      <Label htmlFor="stack-yaml">{t("editor")}</Label>
      <p id="stack-yaml-help" className="text-sm text-slate-600">
        {t("editorHelp")}
      </p>
      <Textarea
        id="stack-yaml"
        aria-describedby="stack-yaml-help stack-problems"
        aria-invalid={problems.length > 0}
        className="min-h-[22rem] font-mono text-sm"
        spellCheck={false}
        value={yaml}
        onChange={(e) => setYaml(e.target.value)}
      />
      <div id="stack-problems" aria-live="polite">
        {problems.length ? (
          <div className="rounded border border-red-300 bg-red-50 p-2 text-sm text-red-800">
            <p className="font-medium">{t("problems", { count: problems.length })}</p>
            <ul className="list-disc pl-5">
              {problems.map((p, i) => (
                <li key={i}>{t("problemAt", { line: p.line, column: p.column, message: p.path ? `${p.path}: ${p.message}` : p.message })}</li>
              ))}
            </ul>
          </div>
        ) : (
          <p className="text-sm text-green-800">{t("valid")}</p>
        )}
      </div>
      <div className="flex flex-wrap gap-2">
        <Button type="button" variant="secondary" disabled={pending || problems.length > 0} onClick={() => start(async () => void (await save()))}>
          {t("save")}
        </Button>
        {props.planAction ? (
          <Button type="button" variant="secondary" disabled={pending || problems.length > 0} onClick={doPlan}>
            {t("plan")}
          </Button>
        ) : null}
        {props.applyAction ? (
          <Button type="button" disabled={pending || problems.length > 0} onClick={doApply}>
            {t("apply")}
          </Button>
        ) : null}
        {props.destroyAction ? (
          <Button type="button" variant="danger" disabled={pending} onClick={doDestroy}>
            {t("destroy")}
          </Button>
        ) : null}
      </div>
      {plan ? (
        <section aria-labelledby="plan-title" className="space-y-2">
          <h2 id="plan-title" className="text-lg font-semibold">
            {t("planTitle", { version: plan.version })}
          </h2>
          {plan.changes.length ? (
            <Table>
              <caption className="sr-only">{t("machineChanges")}</caption>
              <thead>
                <tr>
                  <Th>{t("action")}</Th>
                  <Th>{t("machine")}</Th>
                  <Th>{t("group")}</Th>
                  <Th>{t("detail")}</Th>
                </tr>
              </thead>
              <tbody>
                {plan.changes.map((c, i) => (
                  <tr key={i}>
                    <Td>{t(`actions.${c.action}`)}</Td>
                    <Td>{c.name}</Td>
                    <Td>{c.group}</Td>
                    <Td>{c.action === "create" ? `${c.offering}, ${c.template}` : c.action === "resize" ? `${c.fromOffering} → ${c.offering}` : c.action === "replace" ? `${c.fromTemplate} → ${c.template}` : ""}</Td>
                  </tr>
                ))}
              </tbody>
            </Table>
          ) : null}
          {plan.workloadChanges?.length ? (
            <Table>
              <caption className="sr-only">{t("workloadChanges")}</caption>
              <thead>
                <tr>
                  <Th>{t("action")}</Th>
                  <Th>{t("workload")}</Th>
                  <Th>{t("detail")}</Th>
                </tr>
              </thead>
              <tbody>
                {plan.workloadChanges.map((c, i) => (
                  <tr key={i}>
                    <Td>{t(`workloadActions.${c.action}`)}</Td>
                    <Td>{c.name}</Td>
                    <Td>
                      {c.action === "create"
                        ? `${c.image}, ${c.replicas} × ${c.offering}`
                        : c.action === "scale"
                          ? `${c.fromReplicas} → ${c.replicas}`
                          : c.action === "rollout"
                            ? `${c.fromImage} → ${c.image}`
                            : c.action === "replace"
                              ? t(`replaceReasons.${c.reason}`)
                              : ""}
                    </Td>
                  </tr>
                ))}
              </tbody>
            </Table>
          ) : null}
          {!plan.changes.length && !plan.workloadChanges?.length ? <p className="text-sm">{t("noChanges", { count: plan.unchanged })}</p> : null}
          <p className="text-sm">
            {t("waves")}: {plan.waves.map((w) => w.join(", ")).join(" → ")}
          </p>
          <p className="text-sm">
            {t("monthlyDelta")}: {format.number(plan.monthlyDeltaCents / 100, { style: "currency", currency: props.currency })}
          </p>
          {plan.quota.some((q) => q.over) ? (
            <p className="text-sm text-red-800">{t("quotaOver", { resources: plan.quota.filter((q) => q.over).map((q) => q.resource).join(", ") })}</p>
          ) : null}
          {plan.errors.map((e, i) => (
            <p key={i} className="text-sm text-red-800">
              {e.group}: {e.message}
            </p>
          ))}
        </section>
      ) : null}
    </div>
  );
}
