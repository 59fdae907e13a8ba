// The outbox: how business code announces that something happened. Called INSIDE the
// transaction that makes the change, it writes an Event row and the job that dispatches it,
// so the event exists exactly when the change committed, and nothing is sent from inside the
// transaction: the worker turns the row into webhook deliveries and e-mails afterwards, each
// with its own retries.
// Rows are written only when someone listens (an enabled subscription of the project for this
// type), in the same statement that checks, so a busy engine pays one round trip per event.
//
// For other features: `emitEvent(tx, { type: "alert.fired", projectId, data })` with a data
// object that is plain JSON (ids, names, numbers, ISO dates); see README "Webhooks" for the
// shape receivers get.
import { Prisma, type Tx } from "../db/client";
import type { MachineState } from "../generated/prisma/enums";
import { DISPATCH_EVENT_TASK, NOTIFICATION_EMAIL_EVENT, type WebhookEventType } from "./types";

/** graphile-worker attempts of a dispatch job (infrastructure errors only). */
const DISPATCH_MAX_ATTEMPTS = 10;

export async function emitEvent(tx: Tx, event: { type: WebhookEventType; projectId: string; data: Record<string, unknown> }): Promise<void> {
  const payload = JSON.stringify(event.data, (_k, v) => (typeof v === "bigint" ? v.toString() : v));
  await tx.$executeRaw`
    with e as (
      insert into "Event" (id, type, "projectId", payload)
      select gen_random_uuid(), ${event.type}, ${event.projectId}::uuid, ${payload}::jsonb
       where exists (select 1 from "WebhookSubscription" s
                      where s."projectId" = ${event.projectId}::uuid and s.enabled and ${event.type} = any(s.events))
      returning id)
    select graphile_worker.add_job(${DISPATCH_EVENT_TASK}::text, json_build_object('eventId', e.id), max_attempts => ${DISPATCH_MAX_ATTEMPTS}::int) from e`;
}

/**
 * machine.state_changed, for the engine's one place that moves machines (moveMachine): the
 * machine's name, project, owner and address are read in the same statement.
 */
export async function emitMachineStateChanged(tx: Tx, machineId: string, from: MachineState, to: MachineState): Promise<void> {
  await tx.$executeRaw`
    with m as (select id, name, "projectId", "ownerId", "ipAddress" from "Machine" where id = ${machineId}::uuid),
    ${machineStateChangedCtes(from, to)}
    select count(*) from j`;
}

/**
 * machine.state_changed inside a larger statement (the engine's claim moves the machine and
 * records the event in one round trip, issue 9): CTEs `e` (the event) and `j` (its dispatch
 * job) for the machine rows of a preceding CTE named `m` (id, name, "projectId", "ownerId",
 * "ipAddress", as they are after the change). `j` is a plain SELECT: the statement must read
 * it (`select count(*) from j`) or PostgreSQL never runs it.
 */
export function machineStateChangedCtes(from: MachineState, to: MachineState): Prisma.Sql {
  const type: WebhookEventType = "machine.state_changed";
  return Prisma.sql`e as (
      insert into "Event" (id, type, "projectId", payload)
      select gen_random_uuid(), ${type}, m."projectId",
             jsonb_build_object('machine', jsonb_build_object('id', m.id, 'name', m.name, 'projectId', m."projectId", 'ownerId', m."ownerId", 'ipAddress', m."ipAddress"),
                                'from', ${from}::text, 'to', ${to}::text)
        from m
       where exists (select 1 from "WebhookSubscription" s
                      where s."projectId" = m."projectId" and s.enabled and ${type} = any(s.events))
      returning id),
    j as (select graphile_worker.add_job(${DISPATCH_EVENT_TASK}::text, json_build_object('eventId', e.id), max_attempts => ${DISPATCH_MAX_ATTEMPTS}::int) from e)`;
}

/**
 * A personal notification for the recipient's mailbox. Held for the daily digest when the
 * recipient wants one (no job: the digest job collects it), dispatched at once otherwise.
 */
export async function emitNotificationEmail(
  tx: Tx,
  n: { recipientId: string; kind: string; params: Record<string, unknown>; link: string | null; digest: boolean },
): Promise<void> {
  const payload = JSON.stringify({ kind: n.kind, params: n.params, link: n.link });
  if (n.digest) {
    await tx.$executeRaw`insert into "Event" (id, type, "recipientId", payload, digest) values (gen_random_uuid(), ${NOTIFICATION_EMAIL_EVENT}, ${n.recipientId}::uuid, ${payload}::jsonb, true)`;
    return;
  }
  await tx.$executeRaw`
    with e as (insert into "Event" (id, type, "recipientId", payload) values (gen_random_uuid(), ${NOTIFICATION_EMAIL_EVENT}, ${n.recipientId}::uuid, ${payload}::jsonb) returning id)
    select graphile_worker.add_job(${DISPATCH_EVENT_TASK}::text, json_build_object('eventId', e.id), max_attempts => ${DISPATCH_MAX_ATTEMPTS}::int) from e`;
}
