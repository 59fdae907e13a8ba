// The day-2 verbs of a workload (scale, roll out, restart, delete): load it as the actor may
// see it, check permission and the operation table, then in ONE transaction reserve what it
// needs (a scale up reserves its extra replicas exactly), move the workload (version-checked),
// queue the operation on the workload's job and write the audit event.
import "server-only";
import type { Ctx } from "../context";
import { assertCan, can } from "../auth/permissions";
import { conflict, notFound, validationError } from "../errors";
import { recordAudit } from "../audit/record-audit";
import { quotaExceeded } from "../quotas/quota-error";
import { createWorkloadOperation, lockWorkload } from "./create-workload-operation";
import { reserveWorkloadQuota } from "./reservation";
import { deleteWorkloadSchema, rolloutWorkloadSchema, scaleWorkloadSchema, workloadIdSchema } from "./schemas";
import { WORKLOAD_OPERATION_SPECS, type WorkloadDay2Kind } from "./workload-specs";

async function loadOperable(ctx: Ctx, workloadId: string) {
  const w = await ctx.db.workload.findUnique({ where: { id: workloadId } });
  if (!w || w.state === "DELETED" || !can(ctx.actor, "workload.read", w.projectId)) throw notFound("Workload");
  assertCan(ctx.actor, "workload.operate", w.projectId);
  return w;
}

async function operate(ctx: Ctx, workloadId: string, kind: WorkloadDay2Kind, plan: (w: Awaited<ReturnType<typeof loadOperable>>) => { params: Record<string, unknown>; before?: unknown; after?: unknown }, within?: (tx: Parameters<Parameters<Ctx["db"]["$transaction"]>[0]>[0], w: Awaited<ReturnType<typeof loadOperable>>) => Promise<void>) {
  const w0 = await loadOperable(ctx, workloadId);
  const spec = WORKLOAD_OPERATION_SPECS[kind];
  if (!(spec.from as readonly string[]).includes(w0.state)) {
    throw conflict(`${spec.label} is not possible while the workload is ${w0.state} (it needs ${spec.from.join(" or ")})`, { from: w0.state });
  }
  return ctx.db.$transaction(async (tx) => {
    const w = await lockWorkload(tx, w0.id);
    if (w.version !== w0.version) throw conflict("The workload changed in the meantime", { workloadId });
    const p = plan(w);
    if (within) await within(tx, w);
    const op = await createWorkloadOperation(tx, w, { kind, params: p.params, requestedById: ctx.actor.id });
    await recordAudit(tx, ctx, { action: `workload.${kind.toLowerCase()}`, targetType: "Workload", targetId: w.id, projectId: w.projectId, before: p.before, after: p.after });
    return { workloadId: w.id, operationId: op.id, kind };
  });
}

export async function scaleWorkload(ctx: Ctx, raw: { workloadId: string; replicas: number | string }) {
  const input = scaleWorkloadSchema.parse(raw);
  return operate(
    ctx,
    input.workloadId,
    "SCALE",
    (w) => {
      if (input.replicas === w.replicas) throw validationError({ replicas: [`The workload already has ${w.replicas} replicas`] });
      return { params: { replicas: input.replicas, previousReplicas: w.replicas }, before: { replicas: w.replicas }, after: { replicas: input.replicas } };
    },
    async (tx, w) => {
      // A scale up reserves its extra replicas now (exact, like a machine's approval); a scale
      // down gives them back when they are gone (the engine, on success).
      const extra = input.replicas - w.reservedReplicas;
      if (extra > 0) {
        if (!(await reserveWorkloadQuota(tx, w.projectId, w, extra))) throw quotaExceeded(["vcpu", "memory"]);
        await tx.workload.update({ where: { id: w.id }, data: { reservedReplicas: input.replicas } });
      }
      await tx.workload.update({ where: { id: w.id }, data: { replicas: input.replicas } });
    },
  );
}

export async function rolloutWorkload(ctx: Ctx, raw: { workloadId: string; image: string }) {
  const input = rolloutWorkloadSchema.parse(raw);
  return operate(
    ctx,
    input.workloadId,
    "ROLLOUT",
    (w) => {
      if (input.image === w.image) throw validationError({ image: ["The workload already runs this image"] });
      return { params: { image: input.image, previousImage: w.image }, before: { image: w.image }, after: { image: input.image } };
    },
    async (tx, w) => {
      await tx.workload.update({ where: { id: w.id }, data: { image: input.image } });
    },
  );
}

export async function restartWorkload(ctx: Ctx, raw: { workloadId: string }) {
  const input = workloadIdSchema.parse(raw);
  return operate(ctx, input.workloadId, "RESTART", () => ({ params: {} }));
}

export async function deleteWorkload(ctx: Ctx, raw: { workloadId: string; confirmName: string }) {
  const input = deleteWorkloadSchema.parse(raw);
  return operate(ctx, input.workloadId, "DELETE", (w) => {
    if (input.confirmName !== w.name) throw validationError({ confirmName: ["Type the workload's name to confirm"] });
    return { params: {}, before: { state: w.state, replicas: w.replicas, image: w.image } };
  });
}
