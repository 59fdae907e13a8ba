// The worker's stack task (every minute, and sooner when a stack's machines settle or one is
// deleted: lib/stacks/nudge-stacks.ts; registration in lib/orchestration/worker.ts):
//   - moves every apply, heal or destroy in progress one step forward (advance-stack.ts);
//   - compares each applied stack with what runs (the plan against the applied version:
//     a machine deleted, stopped, missing on its provider or resized out of band, a replica
//     count changed) and records the drift; with `healing: auto` it converges it back by a
//     heal run (an apply of the same version, audited stack.heal with the changes);
//   - flapping guard: a heal that fails counts; after HEAL_FAILURE_LIMIT failures in a row
//     healing pauses (healPausedAt) and the stack's owners (the applier and the project's
//     approvers) are notified (stack.healingPaused). Saving or applying the stack resumes it.
import "server-only";
import { randomUUID } from "node:crypto";
import type { Task } from "graphile-worker";
import type { Logger } from "pino";
import type { Db } from "../db/client";
import type { Ctx } from "../context";
import { loadActor } from "../auth/load-actor";
import { recordAudit } from "../audit/record-audit";
import { notify } from "../notifications/notify";
import { stackDocumentSchema } from "./document";
import { planFor } from "./load";
import { advanceStack, summarizePlan } from "./advance-stack";
import { startRun } from "./apply-stack";
import { STACKS_TASK } from "./nudge-stacks";

export { STACKS_TASK };
export const STACKS_CRONTAB = `* * * * * ${STACKS_TASK} ?max=1&queue=${STACKS_TASK}&jobKey=${STACKS_TASK}&jobKeyMode=preserve_run_at`;
export const HEAL_FAILURE_LIMIT = 3;

type Log = Pick<Logger, "info" | "warn" | "debug">;

async function ctxFor(db: Db, userId: string | null, now: Date): Promise<Ctx | null> {
  const actor = userId ? await loadActor(db, userId, now) : null;
  return actor ? { actor, db, correlationId: randomUUID(), now: () => now } : null;
}

export interface StackRunSummary {
  advanced: number;
  drifted: number;
  healed: number;
  paused: number;
}

export async function runStacks(db: Db, now: Date, log?: Log): Promise<StackRunSummary> {
  const out: StackRunSummary = { advanced: 0, drifted: 0, healed: 0, paused: 0 };
  // 1. Runs in progress.
  for (const s of await db.stack.findMany({ where: { status: { in: ["APPLYING", "PENDING_APPROVAL", "DESTROYING"] } }, select: { id: true, appliedById: true } })) {
    const ctx = await ctxFor(db, s.appliedById, now);
    if (!ctx) continue;
    try {
      const r = await advanceStack(ctx, s.id);
      out.advanced++;
      if (r.status === "FAILED") await afterFailedRun(db, s.id, now);
    } catch (err) {
      log?.warn({ stackId: s.id, err: (err as Error).message }, "stack step failed; trying again next run");
    }
  }
  // 2. Drift of applied stacks (and of failed heals, which the guard may retry).
  for (const s of await db.stack.findMany({ where: { OR: [{ status: "APPLIED" }, { status: "FAILED", runKind: "heal" }] }, include: { project: { select: { name: true } } } })) {
    if (!s.appliedVersionId) continue;
    const version = await db.stackVersion.findUnique({ where: { id: s.appliedVersionId } });
    if (!version) continue;
    let plan;
    try {
      plan = await planFor(db, s, stackDocumentSchema.parse(version.document), version.parameters as Record<string, unknown>);
    } catch (err) {
      log?.warn({ stackId: s.id, err: (err as Error).message }, "stack drift check failed");
      continue;
    }
    const drift = summarizePlan(plan);
    const changedDrift = JSON.stringify(drift) !== JSON.stringify(s.drift);
    await db.$transaction(async (tx) => {
      await tx.stack.update({ where: { id: s.id }, data: { drift, driftCheckedAt: now } });
      if (changedDrift && drift.length) await recordAudit(tx, { actor: null, correlationId: randomUUID() }, { action: "stack.drift", targetType: "Stack", targetId: s.id, projectId: s.projectId, after: { drift } });
    });
    if (!drift.length) continue;
    out.drifted++;
    if (s.healing !== "auto" || s.healPausedAt) continue;
    const ctx = await ctxFor(db, s.appliedById, now);
    if (!ctx) continue;
    try {
      await startRun(ctx, { stackId: s.id, versionId: version.id }, "heal");
      out.healed++;
      log?.info({ stackId: s.id, drift }, "stack drift: healing");
    } catch (err) {
      log?.warn({ stackId: s.id, err: (err as Error).message }, "stack heal refused");
      await db.stack.update({ where: { id: s.id }, data: { status: "FAILED", runKind: "heal", statusReason: (err as Error).message } });
    }
    const after = await db.stack.findUniqueOrThrow({ where: { id: s.id }, select: { status: true } });
    if (after.status === "FAILED" && (await afterFailedRun(db, s.id, now))) out.paused++;
  }
  return out;
}

/** Counts a failed heal; pauses healing and notifies the owners at the limit. True when paused now. */
async function afterFailedRun(db: Db, stackId: string, now: Date): Promise<boolean> {
  const s = await db.stack.findUniqueOrThrow({ where: { id: stackId }, include: { project: { select: { name: true } } } });
  if (s.runKind !== "heal" || s.healPausedAt) return false;
  const failures = s.healFailures + 1;
  const pause = failures >= HEAL_FAILURE_LIMIT;
  await db.$transaction(async (tx) => {
    await tx.stack.update({ where: { id: s.id }, data: { healFailures: failures, ...(pause ? { healPausedAt: now } : {}) } });
    if (!pause) return;
    await recordAudit(tx, { actor: null, correlationId: randomUUID() }, { action: "stack.healing_paused", targetType: "Stack", targetId: s.id, projectId: s.projectId, after: { failures, reason: s.statusReason } });
    const approvers = (await tx.projectMember.findMany({ where: { projectId: s.projectId, role: "APPROVER", user: { disabled: false } }, select: { userId: true } })).map((m) => m.userId);
    const owners = [...new Set([...(s.appliedById ? [s.appliedById] : []), ...approvers])];
    for (const userId of owners) {
      await notify(tx, userId, "stack.healingPaused", { stackName: s.name, projectName: s.project.name, failures, reason: s.statusReason ?? "" }, `/stacks/${s.id}`);
    }
  });
  return pause;
}

export function stacksTask(db: Db, opts: { now?: () => Date; log?: Log } = {}): Task {
  return async (payload) => {
    const p = (payload ?? {}) as { now?: string };
    await runStacks(db, p.now ? new Date(p.now) : (opts.now?.() ?? new Date()), opts.log);
  };
}
