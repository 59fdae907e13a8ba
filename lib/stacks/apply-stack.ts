// apply, destroy and rollback (an apply of an older version): record the run, then take the
// first step at once (advance-stack.ts); the worker's stack task takes the next ones.
import "server-only";
import type { Ctx } from "../context";
import { assertCan } from "../auth/permissions";
import { AppError, conflict } from "../errors";
import { recordAudit } from "../audit/record-audit";
import { stackDocumentSchema } from "./document";
import { loadStack, loadVersion, planFor } from "./load";
import { advanceStack } from "./advance-stack";
import type { ApplyStackInput, StackIdInput } from "./schemas";

const RUNNING = ["APPLYING", "PENDING_APPROVAL", "DESTROYING"];

export async function planStack(ctx: Ctx, input: ApplyStackInput) {
  const stack = await loadStack(ctx, input.stackId);
  const version = await loadVersion(ctx.db, stack.id, input.versionId);
  const plan = await planFor(ctx.db, stack, stackDocumentSchema.parse(version.document), { ...(version.parameters as object), ...(input.parameters ?? {}) });
  return { stackId: stack.id, version: version.number, versionId: version.id, ...plan };
}

export async function applyStack(ctx: Ctx, input: ApplyStackInput) {
  return startRun(ctx, input, "apply");
}

/** An apply or a heal (the stack task's convergence: the same run, audited stack.heal). */
export async function startRun(ctx: Ctx, input: ApplyStackInput, runKind: "apply" | "heal") {
  const stack = await loadStack(ctx, input.stackId);
  assertCan(ctx.actor, "stack.write", stack.projectId);
  if (RUNNING.includes(stack.status)) throw conflict(`The stack is ${stack.status.toLowerCase()}: wait for it to finish`);
  const version = await loadVersion(ctx.db, stack.id, input.versionId);
  const parameters = { ...(version.parameters as object), ...(input.parameters ?? {}) };
  const plan = await planFor(ctx.db, stack, stackDocumentSchema.parse(version.document), parameters);
  if (plan.errors.length) throw new AppError("VALIDATION", plan.errors.map((e) => `${e.group}: ${e.message}`).join("; "), { fields: { yaml: plan.errors.map((e) => `${e.group}: ${e.message}`) } });
  await ctx.db.$transaction(async (tx) => {
    const n = await tx.stack.updateMany({
      where: { id: stack.id, status: { notIn: RUNNING as never } },
      data: { status: "APPLYING", statusReason: null, appliedVersionId: version.id, appliedById: ctx.actor.id, applyWave: 0, applyAttempts: 0, applyStartedAt: ctx.now(), runKind, ...(runKind === "apply" ? { healPausedAt: null, healFailures: 0 } : {}) },
    });
    if (n.count !== 1) throw conflict("The stack is already being applied");
    await tx.stackVersion.update({ where: { id: version.id }, data: { plan: plan as object, parameters: plan.parameters as object } });
    await recordAudit(tx, ctx, { action: `stack.${runKind}`, targetType: "Stack", targetId: stack.id, projectId: stack.projectId, after: { version: version.number, changes: plan.changes.length + plan.workloadChanges.length, monthlyDeltaCents: plan.monthlyDeltaCents } });
  });
  let step = await advanceStack(ctx, stack.id);
  // Once more, so the answer says what the run waits for (approval, machines).
  if (step.issued) step = await advanceStack(ctx, stack.id);
  return { stackId: stack.id, version: version.number, status: step.status, reason: step.reason ?? null, plan };
}

export async function destroyStack(ctx: Ctx, input: StackIdInput) {
  const stack = await loadStack(ctx, input.stackId);
  assertCan(ctx.actor, "stack.write", stack.projectId);
  if (RUNNING.includes(stack.status)) throw conflict(`The stack is ${stack.status.toLowerCase()}: wait for it to finish`);
  const version = await loadVersion(ctx.db, stack.id, stack.appliedVersionId ?? undefined);
  await ctx.db.$transaction(async (tx) => {
    const n = await tx.stack.updateMany({
      where: { id: stack.id, status: { notIn: RUNNING as never } },
      data: { status: "DESTROYING", statusReason: null, appliedVersionId: version.id, appliedById: ctx.actor.id, applyWave: 0, applyAttempts: 0, applyStartedAt: ctx.now(), runKind: "destroy" },
    });
    if (n.count !== 1) throw conflict("The stack is already being applied");
    await recordAudit(tx, ctx, { action: "stack.destroy", targetType: "Stack", targetId: stack.id, projectId: stack.projectId, after: { version: version.number } });
  });
  const step = await advanceStack(ctx, stack.id);
  return { stackId: stack.id, status: step.status, reason: step.reason ?? null };
}
