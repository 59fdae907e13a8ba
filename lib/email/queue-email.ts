// An e-mail enters the queue: its row (rendered, in the recipient's language) and the job
// that sends it, in the caller's transaction.
import type { Tx } from "../db/client";
import { enqueueJob } from "../orchestration/enqueue";
import type { RenderedEmail } from "./render";

export const SEND_EMAIL_TASK = "orq-email-send";

export async function enqueueEmailSend(tx: Tx, messageId: string, runAt?: Date): Promise<void> {
  await enqueueJob(tx, SEND_EMAIL_TASK, { messageId }, { jobKey: `email:${messageId}`, runAt, maxAttempts: 5 });
}

export async function queueEmail(
  tx: Tx,
  m: RenderedEmail & { to: string; locale: string; kind: string; userId?: string | null; sensitive?: boolean },
): Promise<string> {
  const row = await tx.emailMessage.create({
    data: { to: m.to, locale: m.locale, kind: m.kind, userId: m.userId ?? null, subject: m.subject, text: m.text, html: m.html, sensitive: m.sensitive ?? false },
    select: { id: true },
  });
  await enqueueEmailSend(tx, row.id);
  return row.id;
}
