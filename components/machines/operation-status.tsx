"use client";
import { useTransition } from "react";
import { useFormatter, useTranslations } from "next-intl";
import { Button } from "@/components/ui/button";
import type { MachineDetail, OperationView } from "@/lib/machines/views";
import { retryOperationAction } from "@/app/(portal)/machines/[id]/actions";
import { useActionToast } from "./client-utils";
import { useRefreshMachine } from "./machine-actions";
import { failureMessageKey } from "@/lib/machines/failure-words";

/**
 * Progress of the running (or queued) operation: the phase the worker reported (step i of n,
 * lib/orchestration/phases.ts) and, for a queued retry, when the next attempt runs.
 */
export function OperationProgress({ op }: { op: OperationView }) {
  const t = useTranslations("machines");
  const to = useTranslations("ops");
  const format = useFormatter();
  const kind = t(`kinds.${op.kind}`);
  const determinate = op.status === "RUNNING" && op.progress > 0;
  const waiting = op.status === "QUEUED" && op.nextAttemptAt;
  const phase =
    op.phase && (op.phaseSteps ?? 0) > 0 && op.status === "RUNNING"
      ? to("step", { step: op.phaseStep ?? 1, steps: op.phaseSteps ?? 1, phase: to.has(`phases.${op.phase}`) ? to(`phases.${op.phase}`) : op.phase })
      : null;
  const time = waiting ? format.dateTime(new Date(op.nextAttemptAt!), { hour: "2-digit", minute: "2-digit", second: "2-digit" }) : "";
  return (
    <section aria-label={t("progress.label")} className="mb-4 rounded-lg border border-blue-200 bg-blue-50 px-4 py-3" data-testid="operation-progress">
      <div className="flex flex-wrap items-center justify-between gap-2 text-sm text-blue-900">
        <span className="font-medium">{op.status === "QUEUED" ? t("progress.queued", { kind }) : t("progress.running", { kind })}</span>
        <span className="text-xs">
          {op.attempts > 1 && !waiting ? t("progress.attempt", { attempts: op.attempts }) : null}
          {determinate ? ` ${t("progress.percent", { progress: op.progress })}` : null}
        </span>
      </div>
      {phase ? (
        <p className="mt-1 text-sm text-blue-900" data-testid="operation-phase">
          {phase}
        </p>
      ) : null}
      {waiting ? (
        <div className="mt-1 text-sm text-blue-900" data-testid="next-try">
          <p>
            {op.maxAttempts
              ? to("nextTry", { time, attempt: op.attempts + 1, max: op.maxAttempts })
              : to("nextTryNoMax", { time, attempt: op.attempts + 1 })}
          </p>
          {op.error ? <p className="mt-0.5 text-xs text-blue-800">{to("lastError", { error: op.error })}</p> : null}
        </div>
      ) : null}
      <div
        role="progressbar"
        aria-label={t("progress.running", { kind })}
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={determinate ? op.progress : undefined}
        aria-valuetext={phase ?? undefined}
        className="mt-2 h-2 overflow-hidden rounded-full bg-blue-100"
      >
        {determinate ? (
          <div className="h-full bg-blue-600 transition-all" style={{ width: `${Math.min(100, op.progress)}%` }} />
        ) : (
          <div className="h-full w-1/3 animate-pulse rounded-full bg-blue-500" />
        )}
      </div>
    </section>
  );
}

/** Retry of the machine's last failed operation: the same kind and settings, queued anew. */
function RetryButton({ machine, op }: { machine: MachineDetail; op: OperationView }) {
  const t = useTranslations("machines");
  const to = useTranslations("ops");
  const run = useActionToast();
  const refresh = useRefreshMachine(machine.id);
  const [pending, startTransition] = useTransition();
  const kind = t(`kinds.${op.kind}`);
  return (
    <div className="mt-3 flex flex-wrap items-center gap-3">
      <Button
        variant="secondary"
        disabled={pending}
        aria-describedby={`retry-hint-${op.id}`}
        onClick={() =>
          startTransition(async () => {
            await run(retryOperationAction({ machineId: machine.id, operationId: op.id }), {
              success: to("retried", { kind, name: machine.name }),
              failure: to("retryFailed", { kind }),
            });
            await refresh();
          })
        }
      >
        {to("retry")}
      </Button>
      <span id={`retry-hint-${op.id}`} className="text-xs text-red-800">
        {to("retryHint", { kind })}
      </span>
    </div>
  );
}

/** The failure reason in plain words: by code when known, with the provider's own message as detail. */
export function FailureNotice({ machine }: { machine: MachineDetail }) {
  const t = useTranslations("machines");
  const format = useFormatter();
  const op = machine.lastFailure;
  const failed = machine.state === "FAILED";
  if (!op && !failed) return null;
  // A later operation that is under way makes an old failure irrelevant.
  if (!failed && machine.currentOperation) return null;
  const detail = op?.error ?? machine.failureReason ?? null;
  const plain = t(failureMessageKey(op?.errorCode ?? machine.failureCode));
  return (
    <section role="alert" className="mb-4 rounded-lg border border-red-200 bg-red-50 px-4 py-3 text-sm text-red-900" data-testid="failure-reason">
      <p className="font-semibold">{failed ? t("failure.machineFailed") : t("failure.title")}</p>
      {op ? (
        <p className="mt-1">
          {t("failure.operation", { kind: t(`kinds.${op.kind}`), date: format.dateTime(new Date(op.finishedAt ?? op.createdAt), "long") })}
        </p>
      ) : null}
      <p className="mt-1">{plain}</p>
      {detail && detail !== plain ? <p className="mt-1 text-red-800">{t("failure.details", { error: detail })}</p> : null}
      {op?.retryable ? <RetryButton machine={machine} op={op} /> : null}
    </section>
  );
}
