// Webhooks against a real receiver on loopback: subscriptions and their URL checks (SSRF
// refusals by default; the allow-list is turned on explicitly for the receiver on 127.0.0.1),
// events from the business transactions through the outbox, signed deliveries, retries with
// backoff against a failing receiver, timeouts, redelivery, and the whole path through a
// running worker.
process.env.ORQ_ENCRYPTION_KEY = Buffer.alloc(32, 7).toString("base64");
process.env.ORQ_WEBHOOK_RETRY_BASE_MS = "200";
process.env.ORQ_WEBHOOK_RETRY_MAX_MS = "1000";
process.env.ORQ_WEBHOOK_MAX_ATTEMPTS = "4";

import dns from "node:dns/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../test/db";
import { addMember, ctxFor, makeUser } from "../../test/factories";
import { makeWorld, submitRaw } from "../requests/testing";
import { startWebhookReceiver, type WebhookReceiver } from "../../test/identity/webhook-receiver";
import { waitFor } from "../../test/wait";
import { jobsFor } from "../../test/machine-factories";
import type { Ctx } from "../context";
import { AppError } from "../errors";
import { rejectRequest } from "../approvals/reject-request";
import { dispatchEvent } from "../events/dispatch-event";
import { startWorker } from "../orchestration/worker";
import { createWebhook } from "./create-webhook";
import { updateWebhook } from "./update-webhook";
import { updateWebhookSettings } from "./update-webhook-settings";
import { deliverWebhook } from "./deliver-webhook";
import { redeliverWebhook } from "./redeliver-webhook";
import { getWebhook } from "./get-webhook";
import { listWebhooks } from "./list-webhooks";
import { verifySignature } from "./signature";

let t: TestDatabase;
let rx: WebhookReceiver;
let admin: Ctx;

const FAST = { baseMs: 100, maxMs: 400, maxAttempts: 4, jitter: 0 };

beforeAll(async () => {
  t = await createTestDatabase();
  rx = await startWebhookReceiver();
  admin = await ctxFor(t.db, (await makeUser(t.db, { role: "ADMIN" })).id);
});
afterAll(async () => {
  await rx?.stop();
  await t?.drop();
});

const codeOf = async (p: Promise<unknown>) => {
  const e = await p.then(() => null, (err: unknown) => err);
  expect(e).toBeInstanceOf(AppError);
  return { code: (e as AppError).code, fields: (e as AppError).details?.fields as Record<string, string[]> | undefined };
};

/** The events of the project waiting to be dispatched, dispatched now (what the worker's job does). */
async function dispatchAll() {
  const rows = await t.db.event.findMany({ where: { dispatchedAt: null, digest: false }, orderBy: { createdAt: "asc" } });
  for (const e of rows) await dispatchEvent(t.db, e.id);
  return rows;
}

describe("webhook subscriptions", () => {
  it("refuse private, loopback and link-local targets (names resolved) until an administrator allows their range", async () => {
    const w = await makeWorld(t.db);
    const base = { projectId: w.project.id, events: ["request.created" as const], description: "", enabled: true };
    for (const [url, key] of [
      [rx.url, "webhooks.validation.refused.loopback"],
      [`http://localhost:${rx.port}/x`, "webhooks.validation.refused.loopback"],
      ["http://169.254.169.254/latest/meta-data", "webhooks.validation.refused.link-local"],
      ["http://[::ffff:169.254.169.254]/", "webhooks.validation.refused.link-local"],
      ["http://10.0.0.8/hook", "webhooks.validation.refused.private"],
      ["https://user:pw@hooks.example.com/", "webhooks.validation.url_credentials"],
      ["ftp://hooks.example.com/", "webhooks.validation.url_scheme"],
    ] as const) {
      expect(await codeOf(createWebhook(admin, { ...base, url })), url).toEqual({ code: "VALIDATION", fields: { url: [key] } });
    }
    expect(await t.db.webhookSubscription.count()).toBe(0);

    await updateWebhookSettings(admin, { allowedNetworks: ["127.0.0.1"] });
    const { webhook, secret } = await createWebhook(admin, { ...base, url: rx.url });
    expect(webhook).toMatchObject({ url: rx.url, events: ["request.created"], enabled: true, projectId: w.project.id });
    expect(secret).toMatch(/^whsec_/);
    // The secret is sealed at rest and never listed.
    const row = await t.db.webhookSubscription.findUniqueOrThrow({ where: { id: webhook.id } });
    expect(row.secretEnc).not.toContain(secret);
    expect(JSON.stringify(await listWebhooks(admin, {}))).not.toContain(secret);
    // A name is judged by every address it resolves to: localhost passes only when all of them
    // (127.0.0.1, and ::1 where the resolver gives it) are allowed.
    const resolved = (await dns.lookup("localhost", { all: true })).map((a) => a.address);
    const lh = createWebhook(admin, { ...base, url: `http://localhost:${rx.port}/x` });
    if (resolved.every((a) => a === "127.0.0.1")) await lh;
    else expect(await codeOf(lh)).toEqual({ code: "VALIDATION", fields: { url: ["webhooks.validation.refused.loopback"] } });
    await updateWebhookSettings(admin, { allowedNetworks: ["127.0.0.1", "::1"] });
    await createWebhook(admin, { ...base, url: `http://localhost:${rx.port}/x` });
    await t.db.webhookSubscription.deleteMany({ where: { url: { startsWith: "http://localhost" } } });
    await updateWebhookSettings(admin, { allowedNetworks: [] });
  });

  it("project approvers manage their project's webhooks; members may not; other projects are not found", async () => {
    const w = await makeWorld(t.db);
    const member = await makeUser(t.db);
    await addMember(t.db, w.project.id, member.id, "MEMBER");
    const outsider = await ctxFor(t.db, (await makeUser(t.db)).id);
    const input = { projectId: w.project.id, url: "https://hooks.example.com/x", events: ["request.created" as const], description: "", enabled: true };
    expect((await codeOf(createWebhook(await ctxFor(t.db, member.id), input))).code).toBe("FORBIDDEN");
    expect((await codeOf(createWebhook(outsider, input))).code).toBe("NOT_FOUND");
    const own = await createWebhook(w.approverCtx, { ...input, url: "https://93.184.216.34/hook" });
    expect((await codeOf(getWebhook(outsider, { id: own.webhook.id, page: 1 }))).code).toBe("NOT_FOUND");
    expect((await listWebhooks(w.approverCtx, {})).items.map((x) => x.id)).toEqual([own.webhook.id]);
    expect((await listWebhooks(outsider, {})).items).toEqual([]);
  });
});

describe("webhook deliveries", () => {
  it("an event from a business transaction is delivered once, signed with HMAC-SHA256 over timestamp and body", async () => {
    await updateWebhookSettings(admin, { allowedNetworks: ["127.0.0.0/8"] });
    const w = await makeWorld(t.db);
    const { webhook, secret } = await createWebhook(w.approverCtx, { projectId: w.project.id, url: rx.url, events: ["request.created", "request.decided"], description: "CI", enabled: true });
    rx.received.length = 0;

    const req = await submitRaw(w.memberCtx, { projectId: w.project.id, offeringId: w.offering.id, templateId: w.template.id, quantity: 1, name: "hooked" });
    await rejectRequest(w.approverCtx, { requestId: req.id, reason: "not now" });
    const events = await dispatchAll();
    expect(events.map((e) => e.type)).toEqual(["request.created", "request.decided"]);
    // Dispatching again creates nothing more (the job may run twice).
    for (const e of events) expect(await dispatchEvent(t.db, e.id)).toEqual({ deliveries: 0, emails: 0 });
    const deliveries = await t.db.webhookDelivery.findMany({ where: { subscriptionId: webhook.id }, orderBy: { createdAt: "asc" } });
    expect(deliveries).toHaveLength(2);
    const jobs = (await jobsFor(t.db)).filter((j) => j.task_identifier === "orq-webhook-deliver");
    expect(jobs.map((j) => (j.payload as { deliveryId: string }).deliveryId).sort()).toEqual(deliveries.map((d) => d.id).sort());

    for (const d of deliveries) expect(await deliverWebhook(t.db, d.id, { policy: FAST })).toBe("succeeded");
    expect(rx.received).toHaveLength(2);
    const [created, decided] = rx.received;
    expect(created.method).toBe("POST");
    expect(created.headers["content-type"]).toBe("application/json");
    expect(created.headers["orquestra-event"]).toBe("request.created");
    expect(created.headers["orquestra-delivery"]).toBe(deliveries[0].id);
    expect(verifySignature(secret, created.headers["orquestra-signature"] as string, created.body)).toMatchObject({ ok: true });
    expect(verifySignature("whsec_wrong", created.headers["orquestra-signature"] as string, created.body).ok).toBe(false);
    expect(verifySignature(secret, created.headers["orquestra-signature"] as string, created.body.replace("hooked", "hacked")).ok).toBe(false);
    const body = JSON.parse(created.body);
    expect(body).toMatchObject({ id: events[0].id, type: "request.created", projectId: w.project.id, data: { request: { id: req.id, number: req.number, names: ["hooked"], status: "PENDING_APPROVAL" } } });
    expect(JSON.parse(decided.body)).toMatchObject({ type: "request.decided", data: { decision: "REJECTED", reason: "not now", request: { id: req.id } } });

    const log = await getWebhook(w.approverCtx, { id: webhook.id, page: 1 });
    expect(log.deliveries.map((d) => [d.eventType, d.status, d.attempts, d.responseStatus])).toEqual([
      ["request.decided", "SUCCEEDED", 1, 200],
      ["request.created", "SUCCEEDED", 1, 200],
    ]);
    // A delivered delivery is not sent again by a stray job.
    expect(await deliverWebhook(t.db, deliveries[0].id, { policy: FAST })).toBe("skipped");
    expect(rx.received).toHaveLength(2);
  });

  it("no subscription, no event row and no job; a disabled subscription gets nothing", async () => {
    const w = await makeWorld(t.db);
    const before = await t.db.event.count();
    await submitRaw(w.memberCtx, { projectId: w.project.id, offeringId: w.offering.id, templateId: w.template.id, quantity: 1, name: "quiet" });
    expect(await t.db.event.count()).toBe(before);
    const { webhook } = await createWebhook(w.approverCtx, { projectId: w.project.id, url: rx.url, events: ["request.created"], description: "", enabled: true });
    await updateWebhook(w.approverCtx, { id: webhook.id, url: rx.url, events: ["request.created"], description: "", enabled: false });
    await submitRaw(w.memberCtx, { projectId: w.project.id, offeringId: w.offering.id, templateId: w.template.id, quantity: 1, name: "quiet2" });
    expect(await t.db.event.count()).toBe(before);
  });

  it("retries a failing receiver with exponential backoff, then succeeds; gives up after the last attempt; redelivers on request", async () => {
    await updateWebhookSettings(admin, { allowedNetworks: ["127.0.0.0/8"] });
    const w = await makeWorld(t.db);
    const { webhook } = await createWebhook(w.approverCtx, { projectId: w.project.id, url: rx.url, events: ["request.created"], description: "", enabled: true });
    await submitRaw(w.memberCtx, { projectId: w.project.id, offeringId: w.offering.id, templateId: w.template.id, quantity: 1, name: "retry-me" });
    await dispatchAll();
    const d = await t.db.webhookDelivery.findFirstOrThrow({ where: { subscriptionId: webhook.id } });
    rx.received.length = 0;
    rx.script.push(500, 503);

    let clock = new Date("2026-06-01T10:00:00Z");
    const now = () => clock;
    expect(await deliverWebhook(t.db, d.id, { policy: FAST, now })).toBe("retrying");
    let row = await t.db.webhookDelivery.findUniqueOrThrow({ where: { id: d.id } });
    expect(row).toMatchObject({ status: "PENDING", attempts: 1, responseStatus: 500, error: "the receiver answered HTTP 500" });
    expect(row.nextAttemptAt!.getTime() - clock.getTime()).toBe(100);
    // The retry is a job scheduled for that time.
    const job = await t.db.$queryRaw<{ run_at: Date }[]>`select run_at from graphile_worker._private_jobs where key = ${`webhook-delivery:${d.id}`}`;
    expect(job[0].run_at.getTime()).toBe(row.nextAttemptAt!.getTime());

    clock = new Date(clock.getTime() + 100);
    expect(await deliverWebhook(t.db, d.id, { policy: FAST, now })).toBe("retrying");
    row = await t.db.webhookDelivery.findUniqueOrThrow({ where: { id: d.id } });
    expect(row).toMatchObject({ attempts: 2, responseStatus: 503 });
    expect(row.nextAttemptAt!.getTime() - clock.getTime()).toBe(200);

    expect(await deliverWebhook(t.db, d.id, { policy: FAST, now })).toBe("succeeded");
    row = await t.db.webhookDelivery.findUniqueOrThrow({ where: { id: d.id } });
    expect(row).toMatchObject({ status: "SUCCEEDED", attempts: 3, responseStatus: 200, error: null, nextAttemptAt: null });
    expect(rx.received).toHaveLength(3);
    // Same event, same body each time; the signature's timestamp is fresh.
    expect(new Set(rx.received.map((r) => r.body)).size).toBe(1);

    // A receiver that keeps failing: FAILED after the last attempt.
    const d2 = await t.db.webhookDelivery.create({ data: { subscriptionId: webhook.id, eventId: d.eventId } });
    rx.fallback = 500;
    const outcomes = [];
    for (let i = 0; i < 4; i++) outcomes.push(await deliverWebhook(t.db, d2.id, { policy: FAST }));
    expect(outcomes).toEqual(["retrying", "retrying", "retrying", "failed"]);
    expect(await t.db.webhookDelivery.findUniqueOrThrow({ where: { id: d2.id } })).toMatchObject({ status: "FAILED", attempts: 4, responseStatus: 500 });

    // Redeliver: a new delivery of the same event, sent by its own job.
    rx.fallback = 200;
    const again = await redeliverWebhook(w.approverCtx, { deliveryId: d2.id });
    expect(again).toMatchObject({ redeliveryOfId: d2.id, status: "PENDING" });
    expect(await deliverWebhook(t.db, again.id, { policy: FAST })).toBe("succeeded");
    expect(JSON.parse(rx.received.at(-1)!.body).id).toBe(d.eventId);
    expect(await t.db.auditEvent.count({ where: { action: "webhook.redeliver", targetId: webhook.id } })).toBe(1);
    const outsider = await ctxFor(t.db, (await makeUser(t.db)).id);
    expect((await codeOf(redeliverWebhook(outsider, { deliveryId: d2.id }))).code).toBe("NOT_FOUND");
  });

  it("times out a receiver that never answers, and refuses at delivery time a target no longer allowed", async () => {
    await updateWebhookSettings(admin, { allowedNetworks: ["127.0.0.0/8"] });
    const w = await makeWorld(t.db);
    const { webhook } = await createWebhook(w.approverCtx, { projectId: w.project.id, url: rx.url, events: ["request.created"], description: "", enabled: true });
    await submitRaw(w.memberCtx, { projectId: w.project.id, offeringId: w.offering.id, templateId: w.template.id, quantity: 1, name: "slow" });
    await dispatchAll();
    const d = await t.db.webhookDelivery.findFirstOrThrow({ where: { subscriptionId: webhook.id } });
    rx.script.push("hang");
    expect(await deliverWebhook(t.db, d.id, { policy: FAST, timeoutMs: 300 })).toBe("retrying");
    expect((await t.db.webhookDelivery.findUniqueOrThrow({ where: { id: d.id } })).error).toBe("no answer within 300 ms");

    // The administrator withdraws the allowance: the next attempt is refused, not sent, and final.
    await updateWebhookSettings(admin, { allowedNetworks: [] });
    const count = rx.received.length;
    expect(await deliverWebhook(t.db, d.id, { policy: FAST })).toBe("failed");
    const row = await t.db.webhookDelivery.findUniqueOrThrow({ where: { id: d.id } });
    expect(row.status).toBe("FAILED");
    expect(row.error).toMatch(/refused to connect to 127\.0\.0\.1: a loopback address/);
    expect(rx.received.length).toBe(count);
  });

  it("through a running worker: dispatch, a failing receiver, retries with backoff, success", { timeout: 60_000 }, async () => {
    await updateWebhookSettings(admin, { allowedNetworks: ["127.0.0.0/8"] });
    const w = await makeWorld(t.db);
    const { webhook, secret } = await createWebhook(w.approverCtx, { projectId: w.project.id, url: rx.url, events: ["request.created"], description: "", enabled: true });
    rx.received.length = 0;
    rx.fallback = 200;
    rx.script.push(502, 502);
    const worker = await startWorker({ connectionString: t.url, cron: false, concurrency: 2, pollInterval: 100 });
    try {
      await submitRaw(w.memberCtx, { projectId: w.project.id, offeringId: w.offering.id, templateId: w.template.id, quantity: 1, name: "via-worker" });
      const done = await waitFor("the delivery to succeed", async () => {
        const d = await t.db.webhookDelivery.findFirst({ where: { subscriptionId: webhook.id } });
        return d?.status === "SUCCEEDED" ? d : null;
      });
      expect(done.attempts).toBe(3);
      expect(rx.received.map((r) => r.at.getTime())).toHaveLength(3);
      // Backoff (ORQ_WEBHOOK_RETRY_BASE_MS=200, +/-10 % jitter): about 200 ms, then about 400 ms.
      const gaps = rx.received.slice(1).map((r, i) => r.at.getTime() - rx.received[i].at.getTime());
      expect(gaps[0]).toBeGreaterThanOrEqual(170);
      expect(gaps[1]).toBeGreaterThanOrEqual(350);
      for (const r of rx.received) expect(verifySignature(secret, r.headers["orquestra-signature"] as string, r.body).ok).toBe(true);
    } finally {
      await worker.stop();
    }
  });
});
