// An administrator checks the e-mail settings: a test message to their own address, through
// the same queue and SMTP path as every notification.
import "server-only";
import type { Ctx } from "../context";
import { assertCan } from "../auth/permissions";
import { conflict } from "../errors";
import { recordAudit } from "../audit/record-audit";
import { mailEnabled, publicUrl } from "./config";
import { queueEmail } from "./queue-email";
import { emailLocale, renderTestEmail } from "./render";

export async function sendTestEmail(ctx: Ctx, _input: object = {}): Promise<{ messageId: string; to: string }> {
  assertCan(ctx.actor, "integration.manage");
  if (!mailEnabled()) throw conflict("E-mail is not configured: set ORQ_SMTP_HOST (README: E-mail)", { reason: "MAIL_OFF" });
  const user = await ctx.db.user.findUniqueOrThrow({ where: { id: ctx.actor.id }, select: { email: true, name: true, locale: true } });
  return ctx.db.$transaction(async (tx) => {
    const rendered = renderTestEmail({ locale: user.locale, name: user.name, sender: user.name, baseUrl: publicUrl() });
    const messageId = await queueEmail(tx, { ...rendered, to: user.email, locale: emailLocale(user.locale), kind: "test", userId: ctx.actor.id });
    await recordAudit(tx, ctx, { action: "email.test", targetType: "EmailMessage", targetId: messageId, after: { to: user.email } });
    return { messageId, to: user.email };
  });
}
