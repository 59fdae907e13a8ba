// Events raised by the orchestration engine, one call each: operation.failed (a final
// failure, from failOperation in run-operation.ts) and lease.expiring (the lease sweep's
// reminder in leases.ts). machine.state_changed comes from moveMachine (emit.ts).
import type { Tx } from "../db/client";
import { emitEvent } from "./emit";
import { DISPATCH_EVENT_TASK, type WebhookEventType } from "./types";

export async function operationFailedEvent(
  tx: Tx,
  m: { id: string; name: string; projectId: string; state: string },
  op: { id: string; kind: string; attempts: number },
  failure: { code: string; message: string },
): Promise<void> {
  await emitEvent(tx, {
    type: "operation.failed",
    projectId: m.projectId,
    data: {
      operation: { id: op.id, kind: op.kind, errorCode: failure.code, error: failure.message, attempts: op.attempts },
      machine: { id: m.id, name: m.name, projectId: m.projectId, state: m.state },
    },
  });
}

/** The machine's project is read in the same statement (the sweep's rows do not carry it). */
export async function leaseExpiringEvent(tx: Tx, m: { id: string; leaseEndsAt: Date }, days: number): Promise<void> {
  const type: WebhookEventType = "lease.expiring";
  await tx.$executeRaw`
    with m as (select id, name, "projectId", "ownerId" from "Machine" where id = ${m.id}::uuid),
    e as (
      insert into "Event" (id, type, "projectId", payload)
      select gen_random_uuid(), ${type}, m."projectId",
             jsonb_build_object('machine', jsonb_build_object('id', m.id, 'name', m.name, 'projectId', m."projectId", 'ownerId', m."ownerId"),
                                'leaseEndsAt', ${m.leaseEndsAt.toISOString()}::text, 'days', ${days}::int)
        from m
       where exists (select 1 from "WebhookSubscription" s where s."projectId" = m."projectId" and s.enabled and ${type} = any(s.events))
      returning id)
    select graphile_worker.add_job(${DISPATCH_EVENT_TASK}::text, json_build_object('eventId', e.id), max_attempts => 10) from e`;
}
