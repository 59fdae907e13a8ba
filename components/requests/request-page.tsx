"use client";
// The request page: what was asked, its timeline (submitted, each approval stage, each machine's
// provisioning with times and failures in plain words), its machines, the comments between the
// requester and the approvers, and what the reader may do. Live: polls app/api/requests/<number>.
import { useEffect, useState, useTransition } from "react";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useQueryClient } from "@tanstack/react-query";
import { useFormatter, useTranslations } from "next-intl";
import { toast } from "sonner";
import { useLiveQuery } from "@/components/live/use-live-query";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { Button } from "@/components/ui/button";
import { Field, Textarea } from "@/components/ui/field";
import { formatMoney } from "@/components/catalog/format";
import { fetchJson } from "@/components/machines/client-utils";
import { DecisionButtons } from "@/components/approvals/decision-buttons";
import { CancelRequestButton } from "./cancel-request-button";
import { RequestStatusBadge } from "./request-status-badge";
import { useErrorMessage } from "./use-error-message";
import { failureMessageKey } from "@/lib/machines/failure-words";
import { MAX_COMMENT } from "@/lib/requests/schemas";
import type { RequestPageView } from "@/lib/requests/get-request-page";
import type { ActionResult } from "@/lib/actions/run-action";
import type { RejectRequestInput } from "@/lib/approvals/schemas";

type Action<I, O = unknown> = (input: I) => Promise<ActionResult<O>>;

interface Event {
  at: string;
  text: string;
  detail?: string | null;
  tone: "neutral" | "good" | "bad" | "waiting";
}

export function RequestPage({
  initial,
  commentAction,
  resubmitAction,
  approveAction,
  rejectAction,
  cancelAction,
}: {
  initial: RequestPageView;
  commentAction: Action<{ requestId: string; body: string }>;
  resubmitAction: Action<{ requestId: string }, { number: number }>;
  approveAction: Action<{ requestId: string }>;
  rejectAction: Action<RejectRequestInput>;
  cancelAction: Action<{ requestId: string }, { requestId: string }>;
}) {
  const t = useTranslations("requestPage");
  const tr = useTranslations("requests");
  const tm = useTranslations("machines");
  const f = useFormatter();
  const router = useRouter();
  const qc = useQueryClient();
  const errorMessage = useErrorMessage();
  const key = ["request-page", initial.number];
  const { data: live } = useLiveQuery({
    queryKey: key,
    queryFn: () => fetchJson<RequestPageView>(`/api/requests/${initial.number}`),
    initialData: initial,
    busy: (d) => d.busy,
  });
  // A server action elsewhere on the page refreshed the server component: take its data.
  useEffect(() => {
    qc.setQueryData(key, initial);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [initial]);
  const r = live ?? initial;
  const when = (iso: string) => f.dateTime(new Date(iso), { dateStyle: "medium", timeStyle: "medium" });
  const money = (cents: number) => formatMoney(f, cents, r.currency);

  const events: Event[] = [{ at: r.createdAt, text: t("events.submitted", { name: r.requester.name }), tone: "neutral" }];
  for (const d of r.stageDecisions) {
    events.push({
      at: d.at,
      text: d.approved ? t("events.stageApproved", { stage: d.name, name: d.by }) : t("events.stageRejected", { stage: d.name, name: d.by }),
      detail: d.reason,
      tone: d.approved ? "good" : "bad",
    });
  }
  if (r.decidedAt) {
    if (r.status === "CANCELLED") events.push({ at: r.decidedAt, text: t("events.cancelled"), tone: "neutral" });
    else if (r.autoApproved) events.push({ at: r.decidedAt, text: t("events.autoApproved"), tone: "good" });
    else if (r.status === "REJECTED" && !r.stageDecisions.some((d) => !d.approved))
      events.push({ at: r.decidedAt, text: t("events.rejected", { name: r.decidedBy?.name ?? "" }), detail: r.decisionReason, tone: "bad" });
    else if (r.status !== "REJECTED") events.push({ at: r.decidedAt, text: t("events.approved", { name: r.decidedBy?.name ?? "" }), tone: "good" });
  }
  for (const m of r.machines) {
    for (const o of m.operations) {
      const kind = tm(`kinds.${o.kind}`);
      events.push({ at: o.createdAt, text: t("events.opQueued", { kind, machine: m.name }), tone: "neutral" });
      if (o.startedAt) events.push({ at: o.startedAt, text: t("events.opStarted", { kind, machine: m.name }), tone: "neutral" });
      if (o.status === "QUEUED" && o.nextAttemptAt) events.push({ at: o.nextAttemptAt, text: t("events.opRetry", { kind, machine: m.name }), detail: o.error ? failureWords(o.errorCode, o.error) : null, tone: "waiting" });
      if (o.finishedAt && o.status === "SUCCEEDED") events.push({ at: o.finishedAt, text: t("events.opSucceeded", { kind, machine: m.name }), tone: "good" });
      if (o.finishedAt && o.status === "FAILED") events.push({ at: o.finishedAt, text: t("events.opFailed", { kind, machine: m.name }), detail: failureWords(o.errorCode, o.error), tone: "bad" });
      if (o.finishedAt && o.status === "CANCELLED") events.push({ at: o.finishedAt, text: t("events.opCancelled", { kind, machine: m.name }), tone: "neutral" });
    }
  }
  events.sort((a, b) => a.at.localeCompare(b.at));
  const waiting = r.status === "PENDING_APPROVAL" ? (r.waitingStage ? t("waitingStage", { stage: r.waitingStage.name }) : t("waitingApprovers")) : null;
  // Failures in plain words of the reader's language (by code), the provider's own message after them.
  function failureWords(code: string | null, error: string | null): string {
    const plain = tm(failureMessageKey(code));
    return error && error !== plain ? `${plain} ${tm("failure.details", { error })}` : plain;
  }
  function failedReason(m: RequestPageView["machines"][number]): string {
    const op = [...m.operations].reverse().find((o) => o.status === "FAILED");
    const reason = m.failureCode || m.failureReason ? failureWords(m.failureCode, m.failureReason) : op ? failureWords(op.errorCode, op.error) : t("noReason");
    return t("failedMachine", { machine: m.name, reason });
  }
  const failures = r.machines.filter((m) => m.failureReason || m.operations.some((o) => o.status === "FAILED"));

  return (
    <div className="grid gap-6 lg:grid-cols-[minmax(0,1fr)_22rem]">
      <div className="min-w-0 space-y-6">
        {failures.length ? (
          <div role="status" className="rounded-md border border-red-200 bg-red-50 px-4 py-3 text-sm text-red-800" data-testid="request-failures">
            <p className="font-medium">{t("failedTitle")}</p>
            <ul className="mt-1 list-disc pl-5">
              {failures.map((m) => (
                <li key={m.id}>
                  {failedReason(m)}
                </li>
              ))}
            </ul>
          </div>
        ) : null}
        <Card aria-labelledby="timeline-heading">
          <CardHeader>
            <h2 id="timeline-heading" className="text-base font-semibold text-slate-900">
              {t("timeline")}
            </h2>
          </CardHeader>
          <CardBody>
            <ol className="space-y-3" data-testid="request-timeline">
              {events.map((e, i) => (
                <li key={i} className="flex gap-3 text-sm">
                  <span
                    aria-hidden
                    className={`mt-1.5 h-2.5 w-2.5 shrink-0 rounded-full ${e.tone === "good" ? "bg-emerald-600" : e.tone === "bad" ? "bg-red-600" : e.tone === "waiting" ? "bg-amber-500" : "bg-slate-400"}`}
                  />
                  <div className="min-w-0">
                    <p className="text-slate-900">{e.text}</p>
                    {e.detail ? <p className="whitespace-pre-line break-words text-slate-700">{e.detail}</p> : null}
                    <p className="text-xs text-slate-600">
                      <time dateTime={e.at}>{when(e.at)}</time>
                    </p>
                  </div>
                </li>
              ))}
              {waiting ? (
                <li className="flex gap-3 text-sm">
                  <span aria-hidden className="mt-1.5 h-2.5 w-2.5 shrink-0 rounded-full border-2 border-amber-500" />
                  <p className="text-slate-900" data-testid="request-waiting">
                    {waiting}
                    {r.stagesAhead.length > 1 ? ` ${t("thenStages", { stages: f.list(r.stagesAhead.slice(1).map((s) => s.name), { type: "conjunction" }) })}` : null}
                  </p>
                </li>
              ) : null}
            </ol>
          </CardBody>
        </Card>

        <Card aria-labelledby="comments-heading">
          <CardHeader>
            <h2 id="comments-heading" className="text-base font-semibold text-slate-900">
              {t("comments")}
            </h2>
          </CardHeader>
          <CardBody className="space-y-4">
            {r.comments.length ? (
              <ul className="space-y-3" data-testid="request-comments">
                {r.comments.map((c) => (
                  <li key={c.id} className={`rounded-md border px-3 py-2 text-sm ${c.fromRequester ? "border-slate-200 bg-white" : "border-indigo-200 bg-indigo-50"}`}>
                    <p className="text-xs text-slate-700">
                      <span className="font-medium text-slate-900">{c.author}</span> · {c.fromRequester ? t("requesterRole") : t("approverRole")} ·{" "}
                      <time dateTime={c.at}>{when(c.at)}</time>
                    </p>
                    <p className="mt-1 whitespace-pre-line break-words text-slate-900">{c.body}</p>
                  </li>
                ))}
              </ul>
            ) : (
              <p className="text-sm text-slate-700">{t("noComments")}</p>
            )}
            {r.can.comment ? <CommentForm requestId={r.id} action={commentAction} onDone={() => void qc.invalidateQueries({ queryKey: key })} /> : null}
          </CardBody>
        </Card>
      </div>

      <div className="space-y-4">
        <Card aria-labelledby="summary-heading">
          <CardHeader>
            <h2 id="summary-heading" className="flex items-center justify-between gap-2 text-base font-semibold text-slate-900">
              {t("summary")} <RequestStatusBadge status={r.status} />
            </h2>
          </CardHeader>
          <CardBody>
            <dl className="space-y-2 text-sm">
              <Row label={t("project")}>{r.project.name}</Row>
              <Row label={t("requester")}>{r.requester.name}</Row>
              <Row label={t("offering")}>{r.offering.name}</Row>
              <Row label={t("template")}>{r.template.name}</Row>
              <Row label={t("quantity")}>{r.names.join(", ")}</Row>
              <Row label={t("cost")}>
                <span data-testid="request-cost">{tr("costBreakdown", { quantity: r.quantity, price: money(Math.round(r.monthlyCostCents / r.quantity)), total: money(r.monthlyCostCents) })}</span>
              </Row>
              <Row label={t("lease")}>{r.leaseEndsAt ? f.dateTime(new Date(r.leaseEndsAt), { dateStyle: "medium", timeZone: "UTC" }) : t("noLease")}</Row>
              {r.justification ? <Row label={t("justification")}>{r.justification}</Row> : null}
              {r.decisionReason ? <Row label={t("reason")}>{r.decisionReason}</Row> : null}
              {r.resubmittedFrom ? (
                <Row label={t("resubmittedFrom")}>
                  <Link className="text-indigo-700 hover:underline" href={`/requests/${r.resubmittedFrom}`}>
                    {tr("numberLabel", { number: r.resubmittedFrom })}
                  </Link>
                </Row>
              ) : null}
              {r.resubmissions.length ? (
                <Row label={t("resubmittedAs")}>
                  {r.resubmissions.map((n) => (
                    <Link key={n} className="mr-2 text-indigo-700 hover:underline" href={`/requests/${n}`}>
                      {tr("numberLabel", { number: n })}
                    </Link>
                  ))}
                </Row>
              ) : null}
            </dl>
          </CardBody>
        </Card>

        {r.machines.length ? (
          <Card aria-labelledby="machines-heading">
            <CardHeader>
              <h2 id="machines-heading" className="text-base font-semibold text-slate-900">
                {t("machines")}
              </h2>
            </CardHeader>
            <CardBody>
              <ul className="space-y-2 text-sm" data-testid="request-machines">
                {r.machines.map((m) => (
                  <li key={m.id} className="flex items-center justify-between gap-2">
                    {m.deleted ? (
                      <span className="font-mono">{m.name}</span>
                    ) : (
                      <Link className="font-mono text-indigo-700 hover:underline" href={`/machines/${m.id}`}>
                        {m.name}
                      </Link>
                    )}
                    <span className="text-slate-700">{tm(`states.${m.state}`)}</span>
                  </li>
                ))}
              </ul>
            </CardBody>
          </Card>
        ) : null}

        {r.can.decide || r.can.cancel || r.can.resubmit ? (
          <Card>
            <CardBody className="flex flex-wrap gap-2">
              {r.can.decide ? <DecisionButtons requestId={r.id} number={r.number} approveAction={approveAction} rejectAction={rejectAction} /> : null}
              {r.can.cancel ? <CancelRequestButton requestId={r.id} number={r.number} action={cancelAction} /> : null}
              {r.can.resubmit ? (
                <ResubmitButton
                  requestId={r.id}
                  action={resubmitAction}
                  onDone={(n) => router.push(`/requests/${n}`)}
                  describe={(e) =>
                    e.code === "VALIDATION"
                      ? describeFields(
                          e.details?.fields,
                          (k) => (tr.has(`errors.${k}`) ? tr(`errors.${k}`, { names: ((e.details?.taken as string[] | undefined) ?? []).join(", "), days: String(e.details?.days ?? "") }) : k),
                          t("changed"),
                        )
                      : errorMessage(e)
                  }
                />
              ) : null}
            </CardBody>
          </Card>
        ) : null}
      </div>
    </div>
  );
}

function Row({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <div className="grid grid-cols-[8rem_minmax(0,1fr)] gap-2">
      <dt className="text-slate-700">{label}</dt>
      <dd className="break-words text-slate-900">{children}</dd>
    </div>
  );
}

function describeFields(fields: unknown, message: (key: string) => string, lead: string): string {
  const list = fields && typeof fields === "object" ? Object.values(fields as Record<string, string[]>).flat() : [];
  return [lead, ...list.map(message)].join(" ");
}

function CommentForm({ requestId, action, onDone }: { requestId: string; action: Action<{ requestId: string; body: string }>; onDone: () => void }) {
  const t = useTranslations("requestPage");
  const tr = useTranslations("requests");
  const errorMessage = useErrorMessage();
  const [body, setBody] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [pending, start] = useTransition();
  const submit = (e: React.FormEvent) => {
    e.preventDefault();
    if (!body.trim()) {
      setError(tr("errors.commentRequired"));
      return;
    }
    start(async () => {
      const result = await action({ requestId, body });
      if (result.ok) {
        setBody("");
        setError(null);
        toast.success(t("commentSent"));
        onDone();
      } else {
        const fieldMsg = (result.error.details?.fields as Record<string, string[]> | undefined)?.body?.[0];
        setError(fieldMsg && tr.has(`errors.${fieldMsg}`) ? tr(`errors.${fieldMsg}`) : errorMessage(result.error));
      }
    });
  };
  return (
    <form onSubmit={submit} noValidate className="space-y-2">
      <Field id="comment-body" label={t("addComment")} hint={t("commentHint")} error={error}>
        <Textarea rows={3} maxLength={MAX_COMMENT} value={body} onChange={(e) => setBody(e.target.value)} />
      </Field>
      <Button type="submit" size="sm" disabled={pending}>
        {pending ? t("sending") : t("send")}
      </Button>
    </form>
  );
}

function ResubmitButton({
  requestId,
  action,
  onDone,
  describe,
}: {
  requestId: string;
  action: Action<{ requestId: string }, { number: number }>;
  onDone: (number: number) => void;
  describe: (e: import("@/lib/errors").ErrorBody) => string;
}) {
  const t = useTranslations("requestPage");
  const [pending, start] = useTransition();
  const [error, setError] = useState<string | null>(null);
  const go = () =>
    start(async () => {
      const result = await action({ requestId });
      if (result.ok) {
        toast.success(t("resubmitted", { number: result.data.number }));
        onDone(result.data.number);
      } else setError(describe(result.error));
    });
  return (
    <div className="w-full space-y-2">
      <Button variant="secondary" onClick={go} disabled={pending}>
        {t("resubmit")}
      </Button>
      <p className="text-xs text-slate-600">{t("resubmitHint")}</p>
      {error ? (
        <p role="alert" className="text-sm text-red-800">
          {error}
        </p>
      ) : null}
    </div>
  );
}
