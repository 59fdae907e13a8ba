import "server-only";
import type { Ctx } from "../context";
import { assertCan } from "../auth/permissions";
import { PAGE_SIZE, pageCount, pageWindow } from "../pagination";

export interface EmailMessageRow {
  id: string;
  to: string;
  kind: string;
  locale: string;
  subject: string;
  status: "PENDING" | "SENT" | "FAILED";
  attempts: number;
  lastError: string | null;
  nextAttemptAt: Date | null;
  sentAt: Date | null;
  createdAt: Date;
}

/** The outgoing mail log for administrators (newest first; bodies are not shown). */
export async function listEmailMessages(ctx: Ctx, input: { page: number; status?: "PENDING" | "SENT" | "FAILED" }) {
  assertCan(ctx.actor, "integration.manage");
  const where = input.status ? { status: input.status } : {};
  const [total, rows] = await Promise.all([
    ctx.db.emailMessage.count({ where }),
    ctx.db.emailMessage.findMany({
      where,
      orderBy: [{ createdAt: "desc" }, { id: "desc" }],
      ...pageWindow(input.page),
      select: { id: true, to: true, kind: true, locale: true, subject: true, status: true, attempts: true, lastError: true, nextAttemptAt: true, sentAt: true, createdAt: true },
    }),
  ]);
  return { items: rows as EmailMessageRow[], page: input.page, pageCount: pageCount(total, PAGE_SIZE), total };
}
