"use client";
import { useFormatter, useTranslations } from "next-intl";
import type { MachineDetail, OperationView } from "@/lib/machines/views";

/** Progress of the running (or queued) operation: a bar from Operation.progress, indeterminate at 0. */
export function OperationProgress({ op }: { op: OperationView }) {
  const t = useTranslations("machines");
  const kind = t(`kinds.${op.kind}`);
  const determinate = op.status === "RUNNING" && op.progress > 0;
  return (
    <section aria-label={t("progress.label")} className="mb-4 rounded-lg border border-blue-200 bg-blue-50 px-4 py-3">
      <div className="flex flex-wrap items-center justify-between gap-2 text-sm text-blue-900">
        <span className="font-medium">{op.status === "QUEUED" ? t("progress.queued", { kind }) : t("progress.running", { kind })}</span>
        <span className="text-xs">
          {op.attempts > 1 ? t("progress.attempt", { attempts: op.attempts }) : null}
          {determinate ? ` ${t("progress.percent", { progress: op.progress })}` : null}
        </span>
      </div>
      <div
        role="progressbar"
        aria-label={t("progress.running", { kind })}
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={determinate ? op.progress : undefined}
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

const KNOWN_CODES = ["NO_CAPACITY", "QUOTA_EXCEEDED", "TIMEOUT", "UNAVAILABLE", "AUTH", "NOT_FOUND", "UNSUPPORTED", "CAPACITY", "PROVIDER", "INTERNAL", "CONFLICT", "VALIDATION"];
/** Driver failures arrive as DRIVER_<code> (DRIVER_TIMEOUT, ...): the plain words are per driver code. */
const plainCode = (code: string | null) => (code ? code.replace(/^DRIVER_/, "") : null);

/** The failure reason in plain words: by code when known, with the provider's own message as detail. */
export function FailureNotice({ machine }: { machine: MachineDetail }) {
  const t = useTranslations("machines");
  const format = useFormatter();
  const op = machine.lastFailure;
  const failed = machine.state === "FAILED";
  if (!op && !failed) return null;
  // A later operation that is under way makes an old failure irrelevant.
  if (!failed && machine.currentOperation) return null;
  const code = plainCode(op?.errorCode ?? machine.failureCode ?? null);
  const detail = op?.error ?? machine.failureReason ?? null;
  const plain = code && KNOWN_CODES.includes(code) ? t(`failure.codes.${code}`) : t("failure.generic");
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
    </section>
  );
}
