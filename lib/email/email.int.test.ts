// E-mail notifications against a real SMTP capture server on loopback (maildev): every kind
// of notification rendered in both languages with a plain-text and an HTML part, delivered
// through the queue (outbox event -> dispatch -> queued message -> SMTP), the recipient's
// preferences (in the portal, e-mail, both, none; daily digest), retries while the server is
// down, and the whole path through a running worker.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { freePort } from "../db/embedded";
import { resetEnvCache } from "../env";

let smtpPort = 0;
// Set before anything reads the environment: the worker and notify() read it through env().
const configure = async () => {
  smtpPort = await freePort();
  Object.assign(process.env, {
    ORQ_SMTP_HOST: "127.0.0.1",
    ORQ_SMTP_PORT: String(smtpPort),
    ORQ_SMTP_TLS: "none",
    ORQ_SMTP_FROM: "Orquestra <orquestra@portal.test>",
    ORQ_PUBLIC_URL: "https://portal.test",
    ORQ_EMAIL_RETRY_BASE_MS: "200",
  });
  resetEnvCache();
};

import { createTestDatabase, type TestDatabase } from "../../test/db";
import { ctxFor, makeUser } from "../../test/factories";
import { startMailServer, type CapturedEmail, type MailServer } from "../../test/identity/mail-server";
import { waitFor } from "../../test/wait";
import { makeWorld, submitRaw } from "../requests/testing";
import { notify } from "../notifications/notify";
import { NOTIFICATION_KINDS, type NotificationKind } from "../notifications/kinds";
import { updateNotificationPreferences } from "../notifications/update-notification-preferences";
import { getNotificationPreferences } from "../notifications/get-notification-preferences";
import { dispatchEvent } from "../events/dispatch-event";
import { approveRequest } from "../approvals/approve-request";
import { startWorker } from "../orchestration/worker";
import { sendQueuedEmail } from "./send-email";
import { sendDigests } from "./digest";
import { smtpSettings } from "./config";

let t: TestDatabase;
let mail: MailServer;

beforeAll(async () => {
  await configure();
  t = await createTestDatabase();
  mail = await startMailServer({ smtpPort });
});
afterAll(async () => {
  await mail?.stop();
  await t?.drop();
});
beforeEach(async () => {
  await mail.clear();
});

const FAST = { baseMs: 50, maxMs: 200, maxAttempts: 3, jitter: 0 };

/** What the worker does with the outbox and the mail queue, run here step by step. */
async function deliverOutbox() {
  for (const e of await t.db.event.findMany({ where: { dispatchedAt: null, digest: false }, orderBy: { createdAt: "asc" } })) await dispatchEvent(t.db, e.id);
  const outcomes = [];
  for (const m of await t.db.emailMessage.findMany({ where: { status: "PENDING" }, orderBy: { createdAt: "asc" } })) outcomes.push(await sendQueuedEmail(t.db, m.id, { policy: FAST }));
  return outcomes;
}

const PARAMS: Record<NotificationKind, Record<string, string | number>> = {
  "request.awaiting_approval": { requestNumber: 41, projectName: "Web Platform", requesterName: "Alice", quantity: 2 },
  "request.approved": { requestNumber: 42, quantity: 2, names: "web-01, web-02" },
  "request.rejected": { requestNumber: 43, reason: "Over budget" },
  "machine.ready": { machineId: "m1", machineName: "web-01" },
  "operation.failed": { machineId: "m1", machineName: "web-01", operation: "STOP", errorCode: "DRIVER_PROVIDER", error: "host unreachable" },
  "lease.expiring": { machineId: "m1", machineName: "web-01", leaseEndsAt: "2026-12-24T00:00:00.000Z", days: 7 },
  "lease.expired": { machineId: "m1", machineName: "web-01", leaseEndsAt: "2026-12-24T00:00:00.000Z", deleteAt: "2026-12-31T00:00:00.000Z" },
  "lease.extension.decided": { machineId: "m1", machineName: "web-01", decision: "APPROVED" },
  "maintenance.scheduled": { where: "esx-07", startsAt: "2026-12-24T00:00:00.000Z", endsAt: "2026-12-24T04:00:00.000Z", reason: "firmware", count: 2, machines: "web-01, web-02" },
  "machine.coldMove": { machineId: "m1", machineName: "web-01", hostName: "esx-07" },
  "host.drained": { hostName: "esx-07", movedLive: 3, movedCold: 1 },
  "host.failed": { hostName: "esx-07", reason: "no heartbeat for 60 s" },
  "machine.haRestarted": { machineId: "m1", machineName: "web-01", hostName: "esx-07" },
  "backup.failed": { machineId: "m1", machineName: "web-01", error: "bucket not found" },
  "budget.threshold": { projectName: "Web Platform", percent: 80, basis: "FORECAST", amountCents: 80000, budgetCents: 100000, currency: "USD", month: "2026-12" },
  "alert.firing": { ruleName: "cpu-hot", metric: "CPU_PERCENT", comparator: "ABOVE", threshold: 90, value: 96.5, machineName: "web-01", projectName: "Web Platform" },
  "alert.resolved": { ruleName: "cpu-hot", metric: "CPU_PERCENT", comparator: "ABOVE", threshold: 90, value: 20, machineName: "web-01", projectName: "Web Platform" },
  "stack.healingPaused": { stackName: "shop", projectName: "Web Platform", failures: 3, reason: "machine shop-db failed" },
  "request.commented": { requestNumber: 44, projectName: "Web Platform", authorName: "Paulo", excerpt: "Why 4 vCPU?" },
  "machine.transferred": { machineName: "web-01", projectName: "Web Platform", fromName: "Alice" },
};

// What each kind says, in each language (subject; a phrase of the body).
const EXPECT: Record<"en" | "pt-BR", Record<NotificationKind, [string, string]>> = {
  en: {
    "request.awaiting_approval": ["Request #41 waits for your approval", "Request #41 in Web Platform waits for your approval."],
    "request.approved": ["Request #42 approved", "Request #42 was approved."],
    "request.rejected": ["Request #43 rejected", "Request #43 was rejected: Over budget"],
    "machine.ready": ["web-01 is ready", "Machine web-01 is ready."],
    "operation.failed": ["Stop of web-01 failed", "Stop of web-01 failed: host unreachable"],
    "lease.expiring": ["The lease of web-01 ends on Dec 24, 2026", "The lease of web-01 ends on Dec 24, 2026."],
    "lease.expired": ["The lease of web-01 has ended", "will be deleted on Dec 31, 2026"],
    "lease.extension.decided": ["Lease extension of web-01 approved", "The lease extension of web-01 was approved."],
    "maintenance.scheduled": ["Maintenance of esx-07 affects your machines", "(firmware) affects 2 of your machines: web-01, web-02."],
    "machine.coldMove": ["web-01 will be stopped and moved", "web-01 will be stopped, moved off host esx-07 and started again."],
    "host.drained": ["Host esx-07 is empty", "Host esx-07 is empty: 3 machines moved live, 1 stopped and moved."],
    "host.failed": ["Host esx-07 failed", "Host esx-07 failed (no heartbeat for 60 s)."],
    "machine.haRestarted": ["web-01 was restarted on another host", "web-01 was restarted on another host after host esx-07 failed."],
    "backup.failed": ["The backup of web-01 failed", "The backup of web-01 failed: bucket not found"],
    "budget.threshold": ["Web Platform reached 80 % of its budget for 2026-12", "Web Platform: the forecast for 2026-12 reached 80 % of the budget ($800.00 of $1,000.00)."],
    "alert.firing": ["Alert cpu-hot fired on web-01", "Web Platform: alert cpu-hot fired on web-01: CPU % above 90 (now 96.5)."],
    "alert.resolved": ["Alert cpu-hot on web-01 resolved", "Web Platform: alert cpu-hot on web-01 resolved (CPU % now 20)."],
    "stack.healingPaused": ["Self-healing of stack shop stopped after repeated failures", "self-healing stopped after 3 failed attempts in a row (machine shop-db failed)"],
    "request.commented": ["Paulo commented on request #44", "Paulo commented on request #44: Why 4 vCPU?"],
    "machine.transferred": ["Machine web-01 is now yours", "Machine web-01 (Web Platform) was transferred to you by Alice."],
  },
  "pt-BR": {
    "request.awaiting_approval": ["A solicitação nº 41 aguarda sua aprovação", "A solicitação nº 41 em Web Platform aguarda sua aprovação."],
    "request.approved": ["Solicitação nº 42 aprovada", "A solicitação nº 42 foi aprovada."],
    "request.rejected": ["Solicitação nº 43 rejeitada", "A solicitação nº 43 foi rejeitada: Over budget"],
    "machine.ready": ["web-01 está pronta", "A máquina web-01 está pronta."],
    "operation.failed": ["Falha em Parar de web-01", "Parar de web-01 falhou: host unreachable"],
    "lease.expiring": ["O prazo de uso de web-01 termina em 24 de dez. de 2026", "O prazo de uso de web-01 termina em 24 de dez. de 2026."],
    "lease.expired": ["O prazo de uso de web-01 terminou", "será excluída em 31 de dez. de 2026"],
    "lease.extension.decided": ["Extensão do prazo de uso de web-01 aprovada", "A extensão do prazo de uso de web-01 foi aprovada."],
    "maintenance.scheduled": ["A manutenção de esx-07 afeta suas máquinas", "(firmware) afeta 2 das suas máquinas: web-01, web-02."],
    "machine.coldMove": ["web-01 será parada e movida", "web-01 será parada, movida do host esx-07 e iniciada de novo."],
    "host.drained": ["O host esx-07 está vazio", "O host esx-07 está vazio: 3 máquinas movidas ao vivo, 1 paradas e movidas."],
    "host.failed": ["O host esx-07 falhou", "O host esx-07 falhou (no heartbeat for 60 s)."],
    "machine.haRestarted": ["web-01 foi reiniciada em outro host", "web-01 foi reiniciada em outro host depois da falha do host esx-07."],
    "backup.failed": ["O backup de web-01 falhou", "O backup de web-01 falhou: bucket not found"],
    "budget.threshold": ["Web Platform atingiu 80 % do orçamento de 2026-12", "Web Platform: a previsão de 2026-12 atingiu 80 % do orçamento"],
    "alert.firing": ["O alerta cpu-hot disparou em web-01", "Web Platform: o alerta cpu-hot disparou em web-01: CPU % acima de 90 (agora 96.5)."],
    "alert.resolved": ["O alerta cpu-hot em web-01 foi resolvido", "Web Platform: o alerta cpu-hot em web-01 foi resolvido (CPU % agora 20)."],
    "stack.healingPaused": ["A autocorreção da stack shop parou após falhas repetidas", "a autocorreção parou após 3 tentativas seguidas com falha (machine shop-db failed)"],
    "request.commented": ["Paulo comentou a solicitação nº 44", "Paulo comentou a solicitação nº 44: Why 4 vCPU?"],
    "machine.transferred": ["A máquina web-01 agora é sua", "A máquina web-01 (Web Platform) foi transferida para você por Alice."],
  },
};

describe("e-mail notifications over SMTP", () => {
  it.each(["en", "pt-BR"] as const)("delivers every kind of notification in %s, with a plain-text and an HTML part", async (locale) => {
    const user = await makeUser(t.db, { email: `reader-${locale.toLowerCase()}@corp.example`, name: locale === "en" ? "Reader" : "Leitora" });
    await t.db.user.update({ where: { id: user.id }, data: { locale } });
    for (const kind of NOTIFICATION_KINDS) await notify(t.db, user.id, kind, PARAMS[kind], "/machines/m1");
    expect(await deliverOutbox()).toEqual(NOTIFICATION_KINDS.map(() => "sent"));

    const inbox = await mail.inbox(user.email);
    expect(inbox).toHaveLength(NOTIFICATION_KINDS.length);
    const bySubject = new Map<string, CapturedEmail>(inbox.map((m) => [m.subject, m]));
    for (const kind of NOTIFICATION_KINDS) {
      const [subject, phrase] = EXPECT[locale][kind];
      const m = bySubject.get(subject);
      expect(m, `${kind}: no message with subject "${subject}" among ${[...bySubject.keys()].join(" | ")}`).toBeDefined();
      expect(m!.from[0]).toEqual({ address: "orquestra@portal.test", name: "Orquestra" });
      expect(m!.text).toContain(locale === "en" ? "Hello Reader," : "Olá, Leitora,");
      expect(m!.text).toContain(phrase);
      expect(m!.text).toContain("https://portal.test/machines/m1");
      expect(m!.text).toContain("https://portal.test/settings/notifications");
      expect(m!.html).toContain(`<html lang="${locale}">`);
      expect(m!.html).toContain(phrase.replace(/&/g, "&amp;"));
      expect(m!.html).toContain('href="https://portal.test/machines/m1"');
    }
    // Sent messages are recorded with the server's answer.
    const rows = await t.db.emailMessage.findMany({ where: { userId: user.id } });
    expect(rows.every((r) => r.status === "SENT" && r.attempts === 1 && r.sentAt && /250/.test(r.smtpResponse ?? ""))).toBe(true);
  });

  it("escapes what users typed in the HTML part", async () => {
    const user = await makeUser(t.db);
    await notify(t.db, user.id, "request.rejected", { requestNumber: 7, reason: '<img src=x onerror="alert(1)">' }, "/requests");
    await deliverOutbox();
    const [m] = await mail.inbox(user.email);
    expect(m.html).not.toContain("<img src=x");
    expect(m.html).toContain("&lt;img src=x onerror=&quot;alert(1)&quot;&gt;");
    expect(m.text).toContain('<img src=x onerror="alert(1)">');
  });

  it("follows each user's choice per kind: in the portal, e-mail, both or none", async () => {
    const user = await makeUser(t.db);
    const ctx = await ctxFor(t.db, user.id);
    expect((await getNotificationPreferences(ctx)).items.every((i) => i.channel === "BOTH")).toBe(true);
    await updateNotificationPreferences(ctx, {
      channels: { "request.approved": "IN_APP", "request.rejected": "EMAIL", "machine.ready": "NONE", "operation.failed": "BOTH" },
      emailDigest: false,
    });
    await notify(t.db, user.id, "request.approved", PARAMS["request.approved"], "/requests");
    await notify(t.db, user.id, "request.rejected", PARAMS["request.rejected"], "/requests");
    await notify(t.db, user.id, "machine.ready", PARAMS["machine.ready"], "/machines/m1");
    await notify(t.db, user.id, "operation.failed", PARAMS["operation.failed"], "/machines/m1");
    await deliverOutbox();
    expect((await t.db.notification.findMany({ where: { userId: user.id }, orderBy: { createdAt: "asc" } })).map((n) => n.kind)).toEqual(["request.approved", "operation.failed"]);
    expect((await mail.inbox(user.email)).map((m) => m.subject).sort()).toEqual(["Request #43 rejected", "Stop of web-01 failed"]);
    const prefs = await getNotificationPreferences(ctx);
    expect(prefs.emailAvailable).toBe(true);
    expect(Object.fromEntries(prefs.items.map((i) => [i.kind, i.channel]))).toMatchObject({ "request.approved": "IN_APP", "machine.ready": "NONE", "lease.expired": "BOTH" });
  });

  it("collects e-mails into one daily digest for users who chose it", async () => {
    const user = await makeUser(t.db, { name: "Digest Reader" });
    const ctx = await ctxFor(t.db, user.id);
    await updateNotificationPreferences(ctx, { channels: {}, emailDigest: true });
    await notify(t.db, user.id, "machine.ready", PARAMS["machine.ready"], "/machines/m1");
    await notify(t.db, user.id, "request.rejected", PARAMS["request.rejected"], "/requests");
    await notify(t.db, user.id, "lease.expiring", PARAMS["lease.expiring"], "/machines/m1");
    await deliverOutbox();
    expect(await mail.inbox(user.email)).toEqual([]);
    // The bell still has them at once.
    expect(await t.db.notification.count({ where: { userId: user.id } })).toBe(3);

    expect(await sendDigests(t.db)).toMatchObject({ digests: 1, items: 3 });
    await deliverOutbox();
    const inbox = await mail.inbox(user.email);
    expect(inbox.map((m) => m.subject)).toEqual(["Orquestra: 3 notifications today"]);
    const text = inbox[0].text;
    expect(text).toContain("Machine web-01 is ready.");
    expect(text).toContain("Request #43 was rejected: Over budget");
    expect(text).toContain("The lease of web-01 ends on Dec 24, 2026.");
    expect(inbox[0].html.match(/<li /g)).toHaveLength(3);
    // Nothing twice.
    expect(await sendDigests(t.db)).toEqual({ digests: 0, items: 0 });
  });

  it("retries while the SMTP server is unreachable, then sends; gives up after the last attempt", async () => {
    const user = await makeUser(t.db);
    await notify(t.db, user.id, "machine.ready", PARAMS["machine.ready"], "/machines/m1");
    for (const e of await t.db.event.findMany({ where: { dispatchedAt: null, recipientId: user.id } })) await dispatchEvent(t.db, e.id);
    const msg = await t.db.emailMessage.findFirstOrThrow({ where: { userId: user.id } });
    const down = { ...smtpSettings()!, port: await freePort() };
    expect(await sendQueuedEmail(t.db, msg.id, { smtp: down, policy: FAST })).toBe("retrying");
    let row = await t.db.emailMessage.findUniqueOrThrow({ where: { id: msg.id } });
    expect(row).toMatchObject({ status: "PENDING", attempts: 1 });
    expect(row.lastError).toMatch(/ECONNREFUSED/);
    expect(row.nextAttemptAt).not.toBeNull();
    const job = await t.db.$queryRaw<{ run_at: Date }[]>`select run_at from graphile_worker._private_jobs where key = ${`email:${msg.id}`}`;
    expect(job[0].run_at.getTime()).toBe(row.nextAttemptAt!.getTime());

    expect(await sendQueuedEmail(t.db, msg.id, { policy: FAST })).toBe("sent");
    row = await t.db.emailMessage.findUniqueOrThrow({ where: { id: msg.id } });
    expect(row).toMatchObject({ status: "SENT", attempts: 2, lastError: null });
    expect(await mail.inbox(user.email)).toHaveLength(1);
    expect(await sendQueuedEmail(t.db, msg.id, { policy: FAST })).toBe("skipped");

    const other = await t.db.emailMessage.create({ data: { to: "x@corp.example", locale: "en", kind: "test", subject: "s", text: "t", html: "h" } });
    const outcomes = [];
    for (let i = 0; i < 3; i++) outcomes.push(await sendQueuedEmail(t.db, other.id, { smtp: down, policy: FAST }));
    expect(outcomes).toEqual(["retrying", "retrying", "failed"]);
  });

  it("through a running worker: an approval's notification reaches the requester's mailbox", { timeout: 60_000 }, async () => {
    const w = await makeWorld(t.db);
    await t.db.user.update({ where: { id: w.member.id }, data: { locale: "pt-BR" } });
    const worker = await startWorker({ connectionString: t.url, cron: false, concurrency: 2, pollInterval: 100 });
    try {
      const req = await submitRaw(w.memberCtx, { projectId: w.project.id, offeringId: w.offering.id, templateId: w.template.id, quantity: 1, name: "mailme" });
      // The approver hears of it first, in English.
      const waiting = await waitFor("the approver's e-mail", async () => (await mail.inbox(w.approver.email)).at(0));
      expect(waiting.subject).toBe(`Request #${req.number} waits for your approval`);
      await approveRequest(w.approverCtx, { requestId: req.id });
      const approved = await waitFor("the requester's e-mail", async () => (await mail.inbox(w.member.email)).find((m) => m.subject.includes(`nº ${req.number}`)));
      expect(approved.subject).toBe(`Solicitação nº ${req.number} aprovada`);
      expect(approved.text).toContain("https://portal.test/requests");
    } finally {
      await worker.stop();
    }
  });
});
