// An approved request is settled when none of its machines is still being provisioned:
// FULFILLED when at least one reached RUNNING (or a later state), FAILED when all failed.
import type { Tx } from "../db/client";
import { nudgeStacks } from "../stacks/nudge-stacks";

const PENDING = new Set(["REQUESTED", "PROVISIONING"]);

export async function settleRequest(tx: Tx, requestId: string | null): Promise<void> {
  if (!requestId) return;
  // Machines of one request finish concurrently: serialise the check so the last one to
  // commit sees all the others (each statement after the lock sees their committed states).
  await tx.$executeRaw`select pg_advisory_xact_lock(hashtext(${`request:${requestId}`}))`;
  const machines = await tx.machine.findMany({ where: { requestId }, select: { state: true, externalRef: true } });
  if (machines.length === 0 || machines.some((m) => PENDING.has(m.state))) return;
  // Deleted before it ever ran counts as not delivered.
  const delivered = machines.some((m) => m.state !== "FAILED" && !(m.state === "DELETED" && !m.externalRef));
  // One statement that also says whether the request belongs to a stack (its apply or heal
  // waits for exactly this: its stack task runs now, not at its next minute).
  const settled = await tx.$queryRaw<{ stackId: string | null }[]>`
    update "Request" set status = ${delivered ? "FULFILLED" : "FAILED"}::"RequestStatus", "updatedAt" = now()
    where id = ${requestId}::uuid and status = 'APPROVED'
    returning "stackId"`;
  if (settled[0]?.stackId) await nudgeStacks(tx);
}
