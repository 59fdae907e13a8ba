// One attempt to send one queued e-mail (the worker's `orq-email-send` job). A failure
// (connection refused, timeout, a 4xx/5xx from the server) is tried again with exponential
// backoff (ORQ_EMAIL_RETRY_BASE_MS doubling, at most ORQ_EMAIL_MAX_ATTEMPTS attempts), then
// the message is FAILED with the server's answer. Results are fenced by the attempt number.
// An invitation's body (it holds a one-time link) is cleared once it was sent.
import type { Db } from "../db/client";
import { env } from "../env";
import { backoffDelayMs, type RetryPolicy } from "../orchestration/backoff";
import { smtpSettings, type SmtpSettings } from "./config";
import { enqueueEmailSend } from "./queue-email";
import { smtpTransport } from "./transport";

export interface SendEmailDeps {
  now?: () => Date;
  smtp?: SmtpSettings | null;
  policy?: RetryPolicy;
}

export function emailRetryPolicy(): RetryPolicy {
  const e = env();
  return { baseMs: e.ORQ_EMAIL_RETRY_BASE_MS, maxMs: 6 * 3_600_000, maxAttempts: e.ORQ_EMAIL_MAX_ATTEMPTS, jitter: 0.2 };
}

export type SendOutcome = "missing" | "skipped" | "sent" | "retrying" | "failed";

export async function sendQueuedEmail(db: Db, messageId: string, deps: SendEmailDeps = {}): Promise<SendOutcome> {
  const now = deps.now ?? (() => new Date());
  const policy = deps.policy ?? emailRetryPolicy();
  const smtp = deps.smtp === undefined ? smtpSettings() : deps.smtp;
  const m = await db.emailMessage.findUnique({ where: { id: messageId } });
  if (!m) return "missing";
  if (m.status !== "PENDING") return "skipped";
  const n = m.attempts + 1;
  let ok = false;
  let final = false;
  let error: string | null = null;
  let response: string | null = null;
  if (!smtp) {
    final = true;
    error = "e-mail is not configured (ORQ_SMTP_HOST)";
  } else {
    const transport = smtpTransport(smtp);
    try {
      const info = await transport.sendMail({
        from: smtp.from,
        to: m.to,
        subject: m.subject,
        text: m.text,
        html: m.html,
        headers: { "X-Orquestra-Message": m.id, "Auto-Submitted": "auto-generated" },
      });
      ok = info.accepted.length > 0;
      response = String(info.response ?? "").slice(0, 500);
      if (!ok) error = `the server refused the recipient: ${response}`;
    } catch (err) {
      const e = err as { code?: string; responseCode?: number; response?: string; message: string };
      error = [e.code, e.responseCode, e.response ?? e.message].filter(Boolean).join(" ").slice(0, 500);
    } finally {
      transport.close();
    }
  }
  const at = now();
  const retry = !ok && !final && n < policy.maxAttempts;
  const nextAttemptAt = retry ? new Date(at.getTime() + backoffDelayMs(n, policy)) : null;
  const status = ok ? "SENT" : retry ? "PENDING" : "FAILED";
  return db.$transaction(async (tx) => {
    const r = await tx.emailMessage.updateMany({
      where: { id: m.id, attempts: m.attempts, status: "PENDING" },
      data: {
        attempts: n,
        status,
        nextAttemptAt,
        lastError: error,
        smtpResponse: response,
        sentAt: ok ? at : null,
        ...(ok && m.sensitive ? { text: "", html: "" } : {}),
      },
    });
    if (r.count !== 1) return "skipped" as const;
    if (retry) await enqueueEmailSend(tx, m.id, nextAttemptAt!);
    return ok ? ("sent" as const) : retry ? ("retrying" as const) : ("failed" as const);
  });
}
