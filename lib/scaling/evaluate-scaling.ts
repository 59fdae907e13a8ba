// The scaling groups' evaluation (worker: after each metrics run, metrics-task.ts; and the task
// orq-scaling for one group now). For every ACTIVE group, ONE transaction under the group's
// advisory lock:
//   1. the sample round to judge (windowEnd: the newest RAW sample of its RUNNING members, or
//      the current minute when none has any) — a round already decided is skipped, and the
//      decision row is unique per (group, windowEnd): a worker killed mid-way rolls the whole
//      decision back, and the next run (or a concurrent one) cannot decide the round twice;
//   2. the metric: average CPU of those samples over the group's window;
//   3. the new desired count: within [min, max]; +step above the target (after the scale-out
//      cooldown, and not while members are still being created); -step when the remaining
//      machines would still stay under the target (after the scale-in cooldown);
//   4. converge: FAILED members are deleted (unhealthy first), missing ones are created as an
//      auto-approved request (the group's creation was its approval) limited to what the
//      project's quota holds — a refusal is a recorded QUOTA_REFUSED decision, never an error —
//      and surplus ones are deleted, newest (or not yet running) first;
//   5. the decision row (metric, desired before/after, reason, outcome) and the group.
// No "server-only": the worker runs it.
import { randomUUID } from "node:crypto";
import type { Logger } from "pino";
import type { Db, Tx } from "../db/client";
import type { MachineState, ScalingOutcome } from "../generated/prisma/enums";
import { Prisma } from "../generated/prisma/client";
import { loadActor } from "../auth/load-actor";
import { approveInTx } from "../approvals/approve-core";
import { createOperation } from "../orchestration/create-operation";
import { recordAudit } from "../audit/record-audit";
import { exceededResources, quotaImpact, type QuotaResource } from "../quotas/impact";
import { OPEN_REQUEST_STATUSES } from "../requests/open-statuses";

export const SCALING_TASK = "orq-scaling";

/** Members in these states are on their way: the group does not add more on the metric meanwhile. */
const PENDING: readonly MachineState[] = ["REQUESTED", "PROVISIONING"];
const DELETABLE: readonly MachineState[] = ["REQUESTED", "PROVISIONING", "RUNNING", "STOPPING", "STOPPED", "STARTING", "REBOOTING", "RESIZING", "FAILED"];

/** Test-only fault point: runs inside the decision's transaction, after the decision row is written. */
export const scalingFaults: { afterDecision?: (groupId: string) => Promise<void> } = {};

export interface ScalingDecisionView {
  groupId: string;
  windowEnd: Date;
  outcome: ScalingOutcome;
  desiredBefore: number;
  desiredAfter: number;
  metricValue: number | null;
  reason: string;
  created: number;
  deleted: number;
}

type Log = Pick<Logger, "info" | "warn" | "debug">;

export async function evaluateScalingGroups(db: Db, opts: { now: Date; groupId?: string; log?: Log }): Promise<ScalingDecisionView[]> {
  const groups = await db.scalingGroup.findMany({ where: { status: "ACTIVE", ...(opts.groupId ? { id: opts.groupId } : {}) }, select: { id: true }, orderBy: { createdAt: "asc" } });
  const out: ScalingDecisionView[] = [];
  for (const g of groups) {
    try {
      const d = await evaluateScalingGroup(db, g.id, opts.now);
      if (d) {
        out.push(d);
        if (d.outcome !== "HOLD") opts.log?.info({ groupId: g.id, outcome: d.outcome, desired: d.desiredAfter, metric: d.metricValue }, `scaling group: ${d.reason}`);
      }
    } catch (err) {
      opts.log?.warn({ groupId: g.id, err: (err as Error).message }, "scaling group evaluation failed; retried at the next round");
    }
  }
  return out;
}

const round1 = (n: number) => Math.round(n * 10) / 10;
const minuteOf = (d: Date) => new Date(Math.floor(d.getTime() / 60_000) * 60_000);

/** Evaluates one group as of `now`; null when the round was already decided or the group is gone. */
export async function evaluateScalingGroup(db: Db, groupId: string, now: Date): Promise<ScalingDecisionView | null> {
  const head = await db.scalingGroup.findUnique({ where: { id: groupId }, select: { ownerId: true, status: true } });
  if (!head || head.status !== "ACTIVE") return null;
  const actor = await loadActor(db, head.ownerId, now);
  if (!actor) return null;
  const ctx = { actor, correlationId: randomUUID(), now: () => now };

  try {
    return await db.$transaction(
      async (tx) => {
        await tx.$executeRaw`select pg_advisory_xact_lock(hashtext(${`scaling-group:${groupId}`}))`;
        const group = await tx.scalingGroup.findUnique({ where: { id: groupId } });
        if (!group || group.status !== "ACTIVE") return null;

        const members = await tx.machine.findMany({
          where: { scalingGroupId: group.id, deletedAt: null, state: { notIn: ["DELETING", "DELETED"] } },
          select: { id: true, name: true, state: true, version: true, createdAt: true },
          orderBy: [{ createdAt: "desc" }, { id: "desc" }],
        });
        const running = members.filter((m) => m.state === "RUNNING");
        const failed = members.filter((m) => m.state === "FAILED");
        const healthy = members.filter((m) => m.state !== "FAILED");
        const pending = members.filter((m) => PENDING.includes(m.state));

        // 1. The round.
        const newest = running.length
          ? await tx.metricSample.aggregate({ where: { machineId: { in: running.map((m) => m.id) }, resolution: "RAW" }, _max: { at: true } })
          : null;
        let sampledAt = newest?._max.at ?? null;
        let windowEnd = sampledAt ?? minuteOf(now);
        const last = await tx.scalingDecision.findFirst({ where: { groupId: group.id }, orderBy: { windowEnd: "desc" }, select: { windowEnd: true } });
        if (last && last.windowEnd.getTime() >= windowEnd.getTime()) {
          // This round is decided. Only what does not depend on the metric is left: members out
          // of line with the desired count (an edit, a failed member). State-based, so a rerun
          // after a crash finds nothing more to do; keyed by this instant.
          const inBounds = Math.min(group.maxSize, Math.max(group.minSize, group.desired));
          if (inBounds === group.desired && healthy.length === inBounds && failed.length === 0) return null;
          if (now.getTime() <= last.windowEnd.getTime()) return null;
          windowEnd = now;
          sampledAt = null;
        }

        // 2. The metric.
        let metric: number | null = null;
        if (sampledAt) {
          const avg = await tx.metricSample.aggregate({
            where: {
              machineId: { in: running.map((m) => m.id) },
              resolution: "RAW",
              cpuPercent: { not: null },
              at: { gt: new Date(sampledAt.getTime() - group.windowSeconds * 1000), lte: sampledAt },
            },
            _avg: { cpuPercent: true },
          });
          metric = avg._avg.cpuPercent === null ? null : round1(avg._avg.cpuPercent);
        }

        // 3. Desired.
        const before = group.desired;
        let desired = Math.min(group.maxSize, Math.max(group.minSize, before));
        let reason = desired !== before ? `desired ${before} moved into the bounds [${group.minSize}, ${group.maxSize}]` : "";
        let scaledOutOnMetric = false;
        let scaledInOnMetric = false;
        const since = (d: Date | null) => (d ? (now.getTime() - d.getTime()) / 1000 : Infinity);
        const lastScale = [group.lastScaleOutAt, group.lastScaleInAt].filter((d): d is Date => !!d).sort((a, b) => b.getTime() - a.getTime())[0] ?? null;
        if (!reason) {
          if (metric === null) {
            reason =
              windowEnd === now && last
                ? `converging to the desired ${desired} between sampling rounds`
                : running.length
                  ? "no CPU samples of the running members yet"
                  : "no running members yet";
          } else if (metric > group.targetCpuPercent) {
            if (desired >= group.maxSize) reason = `average CPU ${metric} % above the target ${group.targetCpuPercent} %, but the group is at its maximum (${group.maxSize})`;
            else if (pending.length) reason = `average CPU ${metric} % above the target; waiting for ${pending.length} new machine(s) to start`;
            else if (since(group.lastScaleOutAt) < group.scaleOutCooldownSeconds) reason = `average CPU ${metric} % above the target; scale-out cooldown (${group.scaleOutCooldownSeconds} s) not over`;
            else {
              desired = Math.min(group.maxSize, desired + group.stepSize);
              scaledOutOnMetric = true;
              reason = `average CPU ${metric} % above the target ${group.targetCpuPercent} %: +${desired - before}`;
            }
          } else {
            const remaining = Math.max(desired - group.stepSize, group.minSize);
            const projected = remaining > 0 && running.length ? (metric * running.length) / Math.max(1, running.length - (desired - remaining)) : Infinity;
            if (desired <= group.minSize) reason = `average CPU ${metric} % within the target; at the minimum (${group.minSize})`;
            else if (projected >= group.targetCpuPercent) reason = `average CPU ${metric} % within the target ${group.targetCpuPercent} %`;
            else if (since(lastScale) < group.scaleInCooldownSeconds) reason = `average CPU ${metric} % below the target; scale-in cooldown (${group.scaleInCooldownSeconds} s) not over`;
            else {
              desired = remaining;
              scaledInOnMetric = true;
              reason = `average CPU ${metric} % below the target ${group.targetCpuPercent} % (about ${round1(projected)} % with ${remaining}): -${before - desired}`;
            }
          }
        }

        // 4. Converge.
        let outcome: ScalingOutcome = "HOLD";
        const createdIds: string[] = [];
        const deleteIds: string[] = [];
        let requestId: string | null = null;
        let refused: QuotaResource[] = [];
        let scaledInCount = 0;
        const remove = async (m: (typeof members)[number], why: string) => {
          await createOperation(tx, m, { kind: "DELETE", requestedById: group.ownerId, params: { reason: `Scaling group ${group.name}: ${why}` } });
          deleteIds.push(m.id);
        };
        for (const m of failed) await remove(m, "failed member removed");

        const missing = desired - healthy.length;
        if (missing > 0) {
          // The project's row, locked: what fits now is what the reservation below will find.
          await tx.$queryRaw`select id from "Project" where id = ${group.projectId}::uuid for update`;
          const [project, offering] = await Promise.all([
            tx.project.findUniqueOrThrow({ where: { id: group.projectId } }),
            tx.offering.findUniqueOrThrow({ where: { id: group.offeringId } }),
          ]);
          let fit = missing;
          while (fit > 0 && exceededResources(quotaImpact(project, offering, fit)).length) fit--;
          if (fit < missing) refused = exceededResources(quotaImpact(project, offering, fit + 1));
          if (fit > 0) {
            const made = await createMembers(tx, ctx, group, offering.monthlyPriceCents, fit);
            requestId = made.requestId;
            createdIds.push(...made.machineIds);
          }
          if (fit < missing) {
            // What the quota refused is not desired any more: the metric asks again next round.
            desired = healthy.length + fit;
            reason = `${reason}; the project's quota refused ${missing - fit} machine(s) (${refused.join(", ")})`;
          }
          outcome = fit > 0 ? "SCALED_OUT" : "QUOTA_REFUSED";
        } else if (missing < 0) {
          // Not yet running first (they serve nothing), then the newest.
          const order = [...healthy].sort((a, b) => Number(a.state === "RUNNING") - Number(b.state === "RUNNING") || b.createdAt.getTime() - a.createdAt.getTime());
          let n = -missing;
          for (const m of order) {
            if (n === 0) break;
            if (!DELETABLE.includes(m.state)) continue;
            await remove(m, "scale in");
            n--;
            scaledInCount++;
          }
          outcome = "SCALED_IN";
        }

        // 5. Record.
        await tx.scalingDecision.create({
          data: {
            groupId: group.id,
            at: now,
            windowEnd,
            metricValue: metric,
            running: running.length,
            // The members once this decision has acted (created ones included, removed ones not),
            // as the group's page counts them: recorded before the effect, the chart's "actual"
            // lagged the desired count by one round.
            actual: healthy.length + createdIds.length - scaledInCount,
            desiredBefore: before,
            desiredAfter: desired,
            outcome,
            reason,
            requestId,
            machineIds: [...createdIds, ...deleteIds],
            detail: refused.length || failed.length ? ({ refused, failedRemoved: failed.map((m) => m.id) } as Prisma.InputJsonValue) : Prisma.DbNull,
          },
        });
        await tx.scalingGroup.update({
          where: { id: group.id },
          data: {
            desired,
            lastEvaluatedAt: now,
            version: { increment: 1 },
            ...(scaledOutOnMetric && createdIds.length ? { lastScaleOutAt: now } : {}),
            ...(scaledInOnMetric ? { lastScaleInAt: now } : {}),
          },
        });
        if (outcome !== "HOLD") {
          await recordAudit(tx, { actor: null, correlationId: ctx.correlationId }, {
            action: outcome === "SCALED_IN" ? "scalingGroup.scale_in" : outcome === "SCALED_OUT" ? "scalingGroup.scale_out" : "scalingGroup.quota_refused",
            targetType: "ScalingGroup",
            targetId: group.id,
            projectId: group.projectId,
            before: { desired: before },
            after: { desired, metric, reason, created: createdIds, deleted: deleteIds },
          });
        }
        await scalingFaults.afterDecision?.(group.id);
        return { groupId: group.id, windowEnd, outcome, desiredBefore: before, desiredAfter: desired, metricValue: metric, reason, created: createdIds.length, deleted: deleteIds.length };
      },
      { maxWait: 15_000, timeout: 60_000 },
    );
  } catch (err) {
    // Another evaluation decided this round meanwhile (the unique key): nothing to do.
    if (err instanceof Prisma.PrismaClientKnownRequestError && err.code === "P2002") return null;
    throw err;
  }
}

/** Creates `count` members as one auto-approved request (quota reserved by the approval core). */
async function createMembers(
  tx: Tx,
  ctx: Parameters<typeof approveInTx>[1],
  group: { id: string; name: string; projectId: string; ownerId: string; offeringId: string; templateId: string; placementScope: "AUTO" | "PRIVATE" | "PROVIDER"; placementProviderId: string | null; nameSeq: number },
  unitCents: number,
  count: number,
): Promise<{ requestId: string; machineIds: string[] }> {
  // Names: <group>-<n>, skipping any taken in the project (serialised like submissions).
  await tx.$executeRaw`select pg_advisory_xact_lock(hashtext(${`request-names:${group.projectId}`}))`;
  const names: string[] = [];
  let seq = group.nameSeq;
  while (names.length < count) {
    const batch = Array.from({ length: count - names.length + 2 }, (_, i) => `${group.name}-${seq + i + 1}`);
    seq += batch.length;
    const [machines, requests] = await Promise.all([
      tx.machine.findMany({ where: { projectId: group.projectId, name: { in: batch }, deletedAt: null, state: { not: "DELETED" } }, select: { name: true } }),
      tx.request.findMany({ where: { projectId: group.projectId, status: { in: [...OPEN_REQUEST_STATUSES] }, names: { hasSome: batch } }, select: { names: true } }),
    ]);
    const taken = new Set([...machines.map((m) => m.name), ...requests.flatMap((r) => r.names)]);
    for (const n of batch) if (!taken.has(n) && names.length < count) names.push(n);
  }
  const last = Number(names.at(-1)!.slice(group.name.length + 1));
  await tx.scalingGroup.update({ where: { id: group.id }, data: { nameSeq: last } });
  const request = await tx.request.create({
    data: {
      projectId: group.projectId,
      requesterId: group.ownerId,
      offeringId: group.offeringId,
      templateId: group.templateId,
      quantity: count,
      names,
      justification: `Scaling group ${group.name}: scale out`,
      monthlyCostCents: unitCents * count,
      placementScope: group.placementScope,
      placementProviderId: group.placementProviderId,
    },
  });
  const r = await approveInTx(tx, ctx, request, { decidedById: null, autoApproved: true });
  await tx.machine.updateMany({ where: { id: { in: r.machineIds } }, data: { scalingGroupId: group.id } });
  return { requestId: request.id, machineIds: r.machineIds };
}
