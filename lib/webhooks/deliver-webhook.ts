// One attempt of one webhook delivery (the worker's `orq-webhook-deliver` job): POST the
// event, signed, to the subscription's URL, and record what happened. A failure (network
// error, timeout, a status other than 2xx) is tried again later with exponential backoff and
// jitter (ORQ_WEBHOOK_RETRY_BASE_MS doubling up to ORQ_WEBHOOK_RETRY_MAX_MS, at most
// ORQ_WEBHOOK_MAX_ATTEMPTS attempts); a target the address policy refuses fails at once.
// The request goes out with no transaction open; the result is recorded fenced by the attempt
// number, so a job run twice (a worker killed and its job recovered) never records twice.
// Receivers get at-least-once delivery: deduplicate on the event id.
import { isIP } from "node:net";
import { Agent, request } from "undici";
import type { Db, Tx } from "../db/client";
import { env } from "../env";
import { open } from "../crypto/seal";
import { backoffDelayMs, type RetryPolicy } from "../orchestration/backoff";
import { enqueueJob } from "../orchestration/enqueue";
import { allowedNetworks } from "./check-url";
import { DELIVERY_HEADER, EVENT_HEADER, SIGNATURE_HEADER, signatureHeader } from "./signature";
import { checkAddress, guardedLookup, systemLookup, TargetRefusedError, urlProblem, type LookupAll } from "./target-policy";

export const WEBHOOK_DELIVER_TASK = "orq-webhook-deliver";
export const USER_AGENT = "Orquestra-Webhooks/1";
/** How much of the receiver's answer the log keeps. */
const RESPONSE_BODY_MAX = 1024;

export interface WebhookDeliveryDeps {
  now?: () => Date;
  policy?: RetryPolicy;
  timeoutMs?: number;
  lookup?: LookupAll;
}

export function webhookRetryPolicy(): RetryPolicy {
  const e = env();
  return { baseMs: e.ORQ_WEBHOOK_RETRY_BASE_MS, maxMs: e.ORQ_WEBHOOK_RETRY_MAX_MS, maxAttempts: e.ORQ_WEBHOOK_MAX_ATTEMPTS, jitter: 0.2 };
}

export async function enqueueDelivery(tx: Tx, deliveryId: string, runAt?: Date): Promise<void> {
  // The key makes a rescheduled attempt replace the pending job instead of adding one.
  await enqueueJob(tx, WEBHOOK_DELIVER_TASK, { deliveryId }, { jobKey: `webhook-delivery:${deliveryId}`, runAt, maxAttempts: 5 });
}

/** The body receivers get: the event with its id, type, time, project and data. */
export function deliveryBody(event: { id: string; type: string; projectId: string | null; createdAt: Date; payload: unknown }): string {
  return JSON.stringify({ id: event.id, type: event.type, createdAt: event.createdAt.toISOString(), projectId: event.projectId, data: event.payload });
}

interface AttemptResult {
  ok: boolean;
  /** No point trying again (the target is refused by policy). */
  final: boolean;
  responseStatus: number | null;
  responseBody: string | null;
  error: string | null;
  durationMs: number;
}

async function attempt(url: string, headers: Record<string, string>, body: string, opts: { timeoutMs: number; lookup: LookupAll; allowed: Awaited<ReturnType<typeof allowedNetworks>> }): Promise<AttemptResult> {
  const started = Date.now();
  const problem = urlProblem(url);
  if (problem) return { ok: false, final: true, responseStatus: null, responseBody: null, error: `the URL is not acceptable (${problem})`, durationMs: 0 };
  // IP literals never reach the lookup: check them here. Names are checked by the socket's lookup.
  const host = new URL(url).hostname.replace(/^\[|\]$/g, "");
  if (isIP(host)) {
    const v = checkAddress(host, opts.allowed);
    if (!v.ok) return { ok: false, final: true, responseStatus: null, responseBody: null, error: new TargetRefusedError(v.address, v.category).message, durationMs: 0 };
  }
  const agent = new Agent({
    connect: { lookup: guardedLookup(opts.allowed, opts.lookup), timeout: opts.timeoutMs },
    headersTimeout: opts.timeoutMs,
    bodyTimeout: opts.timeoutMs,
  });
  const abort = AbortSignal.timeout(opts.timeoutMs);
  try {
    const res = await request(url, { method: "POST", headers, body, dispatcher: agent, signal: abort });
    let text = "";
    try {
      for await (const chunk of res.body) {
        text += Buffer.from(chunk as Uint8Array).toString("utf8");
        if (text.length >= RESPONSE_BODY_MAX) break;
      }
    } catch {
      // The body is informational only.
    } finally {
      res.body.destroy();
    }
    const ok = res.statusCode >= 200 && res.statusCode < 300;
    return { ok, final: false, responseStatus: res.statusCode, responseBody: text.slice(0, RESPONSE_BODY_MAX), error: ok ? null : `the receiver answered HTTP ${res.statusCode}`, durationMs: Date.now() - started };
  } catch (err) {
    const cause = (err as { cause?: unknown }).cause;
    const refused = err instanceof TargetRefusedError ? err : cause instanceof TargetRefusedError ? cause : null;
    if (refused) return { ok: false, final: true, responseStatus: null, responseBody: null, error: refused.message, durationMs: Date.now() - started };
    const e = err as NodeJS.ErrnoException;
    const what = abort.aborted || e.name === "TimeoutError" || /timeout/i.test(e.code ?? "") ? `no answer within ${opts.timeoutMs} ms` : `${e.code ?? e.name}: ${e.message}`;
    return { ok: false, final: false, responseStatus: null, responseBody: null, error: what, durationMs: Date.now() - started };
  } finally {
    await agent.close().catch(() => {});
  }
}

export type DeliveryOutcome = "missing" | "skipped" | "succeeded" | "retrying" | "failed";

export async function deliverWebhook(db: Db, deliveryId: string, deps: WebhookDeliveryDeps = {}): Promise<DeliveryOutcome> {
  const now = deps.now ?? (() => new Date());
  const policy = deps.policy ?? webhookRetryPolicy();
  const d = await db.webhookDelivery.findUnique({ where: { id: deliveryId }, include: { subscription: true, event: true } });
  if (!d) return "missing";
  if (d.status !== "PENDING") return "skipped";
  const n = d.attempts + 1;
  let result: AttemptResult;
  if (!d.subscription.enabled) {
    result = { ok: false, final: true, responseStatus: null, responseBody: null, error: "the webhook is disabled", durationMs: 0 };
  } else {
    const secret = open(d.subscription.secretEnc, { associatedData: d.subscription.id });
    const body = deliveryBody(d.event);
    const timestamp = Math.floor(now().getTime() / 1000);
    const headers = {
      "content-type": "application/json",
      "user-agent": USER_AGENT,
      [EVENT_HEADER.toLowerCase()]: d.event.type,
      [DELIVERY_HEADER.toLowerCase()]: d.id,
      [SIGNATURE_HEADER.toLowerCase()]: signatureHeader(secret, timestamp, body),
    };
    result = await attempt(d.subscription.url, headers, body, {
      timeoutMs: deps.timeoutMs ?? env().ORQ_WEBHOOK_TIMEOUT_MS,
      lookup: deps.lookup ?? systemLookup,
      allowed: await allowedNetworks(db),
    });
  }
  const at = now();
  const retry = !result.ok && !result.final && n < policy.maxAttempts;
  const nextAttemptAt = retry ? new Date(at.getTime() + backoffDelayMs(n, policy)) : null;
  const status = result.ok ? "SUCCEEDED" : retry ? "PENDING" : "FAILED";
  return db.$transaction(async (tx) => {
    const r = await tx.webhookDelivery.updateMany({
      where: { id: d.id, attempts: d.attempts, status: "PENDING" },
      data: {
        attempts: n,
        status,
        lastAttemptAt: at,
        nextAttemptAt,
        responseStatus: result.responseStatus,
        responseBody: result.responseBody,
        error: result.error,
        durationMs: result.durationMs,
        finishedAt: status === "PENDING" ? null : at,
      },
    });
    if (r.count !== 1) return "skipped" as const;
    if (retry) await enqueueDelivery(tx, d.id, nextAttemptAt!);
    return result.ok ? ("succeeded" as const) : retry ? ("retrying" as const) : ("failed" as const);
  });
}
