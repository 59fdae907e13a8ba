// Runs an apply (or a heal, or a destroy) forward, one step at a time: called right after
// apply and by the worker's stack task until the stack is APPLIED, FAILED or DESTROYED.
// Each step recomputes the plan against what runs (idempotent: a step repeated after a crash
// issues only what is still missing) and works through the stages in dependency order:
//   1. machines of groups removed from the document (all of them for a destroy),
//   2. each wave of dependsOn: a wave starts when every machine of the earlier waves runs;
//      inside a wave the groups' changes go out together (in parallel).
// New machines go through submitRequest (the request form's service: its quota check and its
// approval policy, the plan summary in the justification for the approver); resizes, deletes
// and starts through the day-2 services. A rejected request, a failed machine or a service
// refusing a change stops the apply: the stack is FAILED with the reason.
import "server-only";
import type { Ctx } from "../context";
import { AppError } from "../errors";
import { recordAudit } from "../audit/record-audit";
import { submitRequest } from "../requests/submit-request";
import { resizeMachine } from "../machines/resize-machine";
import { deleteMachine } from "../machines/delete-machine";
import { startMachine } from "../machines/start-machine";
import { evaluateOutputs, leaseDate, resolveWorkloads, stackDocumentSchema, type ParamValues, type StackDocument } from "./document";
import { requestWorkload } from "../workloads/request-workload";
import { deleteWorkload, rolloutWorkload, scaleWorkload } from "../workloads/operate-workload";
import { linkRequestMachines, planFor, stackMachines, stackWorkloads } from "./load";
import type { PlanChange, StackPlan, WorkloadChange } from "./plan";

/** Machine states in which an operation is still running. */
const BUSY = new Set(["REQUESTED", "PROVISIONING", "STOPPING", "STARTING", "REBOOTING", "RESIZING", "DELETING", "MIGRATING", "RECOVERING", "RESTORING"]);
/** Workload states in which an operation is still running. */
const BUSY_WORKLOAD = new Set(["PENDING", "DEPLOYING", "UPDATING", "DELETING"]);
/** Issuing the same stage's changes more often than this means they do not converge. */
export const MAX_STAGE_ATTEMPTS = 4;

export type AdvanceResult = { status: string; reason?: string | null; issued: number };

export function summarizeWorkloadChanges(changes: readonly WorkloadChange[]): string[] {
  return changes.map((c) => {
    switch (c.action) {
      case "create":
        return `create workload ${c.name} (${c.image}, ${c.replicas} x ${c.offering})`;
      case "scale":
        return `scale workload ${c.name} ${c.fromReplicas} -> ${c.replicas}`;
      case "rollout":
        return `roll out workload ${c.name} ${c.fromImage} -> ${c.image}`;
      case "replace":
        return c.reason === "failed" ? `recreate workload ${c.name} (failed)` : `replace workload ${c.name} (${c.reason} changed)`;
      case "delete":
        return `delete workload ${c.name}`;
    }
  });
}

/** One line per change (machines, then workloads): the drift, the approver's plan, the history. */
export function summarizePlan(plan: Pick<StackPlan, "changes" | "workloadChanges">): string[] {
  return [...summarizeChanges(plan.changes), ...summarizeWorkloadChanges(plan.workloadChanges ?? [])];
}

export function summarizeChanges(changes: readonly PlanChange[]): string[] {
  return changes.map((c) => {
    switch (c.action) {
      case "create":
        return `create ${c.name} (${c.offering}, ${c.template})`;
      case "resize":
        return `resize ${c.name} ${c.fromOffering} -> ${c.offering}`;
      case "replace":
        if (c.reason === "missing") return `recreate ${c.name} (missing on its provider)`;
        if (c.reason === "failed") return `recreate ${c.name} (failed)`;
        return `replace ${c.name} (${c.fromTemplate} -> ${c.template})`;
      case "delete":
        return `delete ${c.name}`;
      case "start":
        return `start ${c.name}`;
    }
  });
}

async function fail(ctx: Ctx, stack: { id: string; projectId: string; runKind: string }, reason: string): Promise<AdvanceResult> {
  await ctx.db.$transaction(async (tx) => {
    await tx.stack.update({ where: { id: stack.id }, data: { status: "FAILED", statusReason: reason } });
    await recordAudit(tx, ctx, { action: `stack.${stack.runKind}_failed`, targetType: "Stack", targetId: stack.id, projectId: stack.projectId, after: { reason } });
  });
  return { status: "FAILED", reason, issued: 0 };
}

/**
 * One step, serialised per stack across processes (a transaction-scoped advisory lock held
 * for the step): the worker's task and an apply never issue the same changes twice.
 */
export async function advanceStack(ctx: Ctx, stackId: string): Promise<AdvanceResult> {
  let result: AdvanceResult | null = null;
  await ctx.db.$transaction(
    async (tx) => {
      const [row] = await tx.$queryRaw<{ locked: boolean }[]>`select pg_try_advisory_xact_lock(hashtext(${`stack-step:${stackId}`})) as locked`;
      if (!row?.locked) return;
      result = await advanceStackLocked(ctx, stackId);
    },
    { timeout: 120_000, maxWait: 15_000 },
  );
  return result ?? { status: "APPLYING", reason: "another step is running", issued: 0 };
}

async function advanceStackLocked(ctx: Ctx, stackId: string): Promise<AdvanceResult> {
  const stack = await ctx.db.stack.findUniqueOrThrow({ where: { id: stackId }, include: { project: { select: { name: true } } } });
  if (!["APPLYING", "PENDING_APPROVAL", "DESTROYING"].includes(stack.status) || !stack.appliedVersionId) return { status: stack.status, reason: stack.statusReason, issued: 0 };
  const version = await ctx.db.stackVersion.findUniqueOrThrow({ where: { id: stack.appliedVersionId } });
  const doc = stackDocumentSchema.parse(version.document);
  const destroy = stack.status === "DESTROYING";
  const plan = await planFor(ctx.db, stack, doc, version.parameters as Record<string, unknown>, { destroy });
  if (plan.errors.length) return fail(ctx, stack, plan.errors.map((e) => `${e.group}: ${e.message}`).join("; "));

  // Requests this run submitted: rejected or cancelled stops it; pending waits for the approver.
  const requests = await ctx.db.request.findMany({ where: { stackId: stack.id, stackVersionId: version.id, createdAt: { gte: stack.applyStartedAt ?? new Date(0) } }, orderBy: { number: "asc" } });
  const refused = requests.find((r) => r.status === "REJECTED" || r.status === "CANCELLED");
  if (refused) return fail(ctx, stack, `request #${refused.number} (${refused.stackGroup}) was ${refused.status.toLowerCase()}${refused.decisionReason ? `: ${refused.decisionReason}` : ""}`);
  const pending = requests.filter((r) => r.status === "PENDING_APPROVAL");
  if (pending.length) {
    const reason = `waiting for approval of request ${pending.map((r) => `#${r.number}`).join(", ")}`;
    if (stack.status !== "PENDING_APPROVAL" || stack.statusReason !== reason) await ctx.db.stack.update({ where: { id: stack.id }, data: { status: "PENDING_APPROVAL", statusReason: reason } });
    return { status: "PENDING_APPROVAL", reason, issued: 0 };
  }
  if (stack.status === "PENDING_APPROVAL") {
    await ctx.db.stack.update({ where: { id: stack.id }, data: { status: "APPLYING", statusReason: null } });
    stack.status = "APPLYING";
  }

  const machines = await stackMachines(ctx.db, stack.id);
  // A machine whose operation issued by this run failed stops it. Older failures are replaced
  // by the plan, including one that lands during this run from an operation issued before it
  // (a machine of the previous run still provisioning when it was applied again): the row's
  // updatedAt cannot tell them apart, the failed operation's creation time can.
  const failedMachines = machines.filter((m) => m.state === "FAILED");
  if (failedMachines.length && stack.applyStartedAt) {
    const op = await ctx.db.operation.findFirst({
      where: { machineId: { in: failedMachines.map((m) => m.id) }, status: "FAILED", createdAt: { gte: stack.applyStartedAt } },
      orderBy: { seq: "asc" },
      select: { machineId: true },
    });
    const failed = op && failedMachines.find((m) => m.id === op.machineId);
    if (failed) return fail(ctx, stack, `machine ${failed.name} failed${failed.failureReason ? `: ${failed.failureReason}` : ""}`);
  }

  const workloads = await stackWorkloads(ctx.db, stack);
  // The same rule for workloads: the failed operation was issued by this run.
  const failedWorkloads = workloads.filter((w) => w.state === "FAILED");
  if (failedWorkloads.length && stack.applyStartedAt) {
    const op = await ctx.db.workloadOperation.findFirst({
      where: { workloadId: { in: failedWorkloads.map((w) => w.id) }, status: "FAILED", createdAt: { gte: stack.applyStartedAt } },
      orderBy: { seq: "asc" },
      select: { workloadId: true },
    });
    const failedWorkload = op && failedWorkloads.find((w) => w.id === op.workloadId);
    if (failedWorkload) return fail(ctx, stack, `workload ${failedWorkload.name} failed${failedWorkload.failureReason ? `: ${failedWorkload.failureReason}` : ""}`);
  }

  const documentGroups = new Set(destroy ? [] : [...doc.machines.map((m) => m.name), ...doc.workloads.map((w) => w.name)]);
  const stages: ((g: string) => boolean)[] = [(g) => !documentGroups.has(g), ...plan.waves.map((w) => (g: string) => w.includes(g))];
  for (let i = 0; i < stages.length; i++) {
    const inStage = stages[i]!;
    const busy = [
      ...machines.filter((m) => inStage(m.stackGroup ?? "") && BUSY.has(m.state)).map((m) => `${m.name} (${m.state})`),
      ...workloads.filter((w) => inStage(w.name) && BUSY_WORKLOAD.has(w.state)).map((w) => `workload ${w.name} (${w.state})`),
    ];
    if (busy.length) return progress(ctx, stack.id, i, `waiting for ${busy.join(", ")}`, 0);
    const changes = plan.changes.filter((c) => inStage(c.group));
    const workloadChanges = plan.workloadChanges.filter((c) => inStage(c.name));
    if (!changes.length && !workloadChanges.length) continue;
    const lines = [...summarizeChanges(changes), ...summarizeWorkloadChanges(workloadChanges)];
    if (stack.applyWave === i && stack.applyAttempts >= MAX_STAGE_ATTEMPTS) {
      return fail(ctx, stack, `these changes did not take effect after ${MAX_STAGE_ATTEMPTS} attempts: ${lines.join("; ")}`);
    }
    // Claim the step (compare-and-set): of two runners (the worker's task and an apply) only
    // one issues these changes.
    const claimed = await ctx.db.stack.updateMany({
      where: { id: stack.id, applyWave: stack.applyWave, applyAttempts: stack.applyAttempts, status: { in: ["APPLYING", "DESTROYING"] } },
      data: { applyWave: i, applyAttempts: stack.applyWave === i ? stack.applyAttempts + 1 : 1, statusReason: `stage ${i}: ${lines.join("; ")}` },
    });
    if (!claimed.count) return { status: stack.status, reason: "another step is running", issued: 0 };
    try {
      await issue(ctx, stack, version, plan, changes);
      await issueWorkloads(ctx, stack, doc, plan.parameters as Record<string, string | number | boolean>, workloadChanges);
    } catch (err) {
      const fields = err instanceof AppError && err.details?.fields ? Object.entries(err.details.fields).map(([k, v]) => `${k}: ${(v ?? []).join(", ")}`) : [];
      const message = err instanceof AppError ? `${err.message}${fields.length ? ` (${fields.join("; ")})` : ""}` : "an unexpected error stopped the apply";
      return fail(ctx, stack, `${lines.join("; ")}: ${message}`);
    }
    return { status: "APPLYING", reason: lines.join("; "), issued: changes.length + workloadChanges.length };
  }

  // Every stage converged: record the outcome.
  const finalStatus = destroy ? "DESTROYED" : "APPLIED";
  const outputs = destroy ? {} : evaluateOutputs(doc, plan.parameters as Record<string, string | number | boolean>, machines.map((m) => ({ group: m.stackGroup ?? "", name: m.name, ipAddress: m.ipAddress })));
  await ctx.db.$transaction(async (tx) => {
    await tx.stack.update({
      where: { id: stack.id },
      data: { status: finalStatus, statusReason: null, outputs, applyAttempts: 0, drift: [], ...(stack.runKind === "heal" ? { healFailures: 0 } : {}) },
    });
    await tx.stackVersion.update({ where: { id: version.id }, data: { appliedAt: ctx.now() } });
    await recordAudit(tx, ctx, { action: `stack.${stack.runKind}_done`, targetType: "Stack", targetId: stack.id, projectId: stack.projectId, after: { status: finalStatus, version: version.number, outputs } });
  });
  return { status: finalStatus, issued: 0 };
}

async function progress(ctx: Ctx, stackId: string, wave: number, reason: string, issued: number): Promise<AdvanceResult> {
  await ctx.db.stack.updateMany({ where: { id: stackId, status: { in: ["APPLYING", "DESTROYING"] } }, data: { statusReason: reason } });
  return { status: "APPLYING", reason, issued };
}

async function issue(
  ctx: Ctx,
  stack: { id: string; name: string; projectId: string; runKind: string },
  version: { id: string; number: number; document: unknown },
  plan: StackPlan,
  changes: PlanChange[],
): Promise<void> {
  const doc = stackDocumentSchema.parse(version.document);
  // Day-2 changes first (they do not wait for anyone), then one request per group of creates.
  for (const c of changes) {
    if (c.action === "resize") await resizeMachine(ctx, { machineId: c.machineId, offeringId: c.offeringId });
    else if (c.action === "delete" || c.action === "replace") await deleteMachine(ctx, { machineId: c.machineId, confirmName: c.name });
    else if (c.action === "start") await startMachine(ctx, { machineId: c.machineId });
  }
  const creates = changes.filter((c): c is Extract<PlanChange, { action: "create" }> => c.action === "create");
  const byGroup = new Map<string, typeof creates>();
  for (const c of creates) byGroup.set(c.group, [...(byGroup.get(c.group) ?? []), c]);
  for (const [group, list] of byGroup) {
    const spec = doc.machines.find((m) => m.name === group)!;
    let placement: "AUTO" | "PRIVATE" | "PROVIDER" = "AUTO";
    let providerId: string | undefined;
    if (spec.placement === "private") placement = "PRIVATE";
    else if (spec.placement.startsWith("provider:")) {
      const provider = await ctx.db.provider.findFirst({ where: { name: spec.placement.slice("provider:".length) }, select: { id: true } });
      if (!provider) throw new AppError("VALIDATION", `${group}: unknown provider in placement "${spec.placement}"`);
      placement = "PROVIDER";
      providerId = provider.id;
    }
    const lines = summarizePlan(plan);
    const justification = [`Stack ${stack.name} version ${version.number} (${stack.runKind}), group ${group}.`, "Plan:", ...lines.map((l) => `- ${l}`), `Monthly cost change: ${plan.monthlyDeltaCents} cents.`].join("\n").slice(0, 2000);
    // The link to the stack is written in the request's own transaction (no crash window in
    // which a submitted request belongs to no stack and the next step would submit it again).
    const r = await submitRequest(
      ctx,
      {
        projectId: stack.projectId,
        offeringId: list[0]!.offeringId,
        templateId: list[0]!.templateId,
        quantity: list.length,
        names: list.map((c) => c.name),
        leaseEndsAt: leaseDate(spec.lease, ctx.now()),
        justification,
        placement,
        providerId,
      },
      { stackId: stack.id, stackGroup: group, stackVersionId: version.id },
    );
    await stackStepFaults.afterSubmit?.(r.id);
    // Approved at once (below the project's threshold): the machines exist; link them now
    // (machines approved later are linked by the next plan: linkRequestMachines).
    await linkRequestMachines(ctx.db, stack.id);
  }
}

/**
 * Workload changes through the workload verbs (no approval: the quota is reserved at once, as
 * for a workload requested from its form). A replace deletes now; the next step, once the old
 * workload is gone, creates it again (the plan then says create).
 */
async function issueWorkloads(ctx: Ctx, stack: { id: string; projectId: string }, doc: StackDocument, values: ParamValues, changes: WorkloadChange[]): Promise<void> {
  if (!changes.length) return;
  const specs = new Map(resolveWorkloads(doc, values).map((w) => [w.name, w]));
  // One operation at a time per workload (its verbs need it RUNNING): a roll out and a scale
  // of the same workload go in two steps (the next plan still has the scale).
  const touched = new Set<string>();
  for (const c of changes) {
    if (touched.has(c.name)) continue;
    touched.add(c.name);
    if (c.action === "scale") await scaleWorkload(ctx, { workloadId: c.workloadId, replicas: c.replicas });
    else if (c.action === "rollout") await rolloutWorkload(ctx, { workloadId: c.workloadId, image: c.image });
    else if (c.action === "delete" || c.action === "replace") await deleteWorkload(ctx, { workloadId: c.workloadId, confirmName: c.name });
    else {
      const w = specs.get(c.name)!;
      let providerId: string | undefined;
      if (w.placement.startsWith("provider:")) {
        const provider = await ctx.db.provider.findFirst({ where: { name: w.placement.slice("provider:".length) }, select: { id: true } });
        if (!provider) throw new AppError("VALIDATION", `${w.name}: unknown provider in placement "${w.placement}"`);
        providerId = provider.id;
      }
      // The stack's label is written with the workload (one transaction): no crash window.
      await requestWorkload(
        ctx,
        { projectId: stack.projectId, name: w.name, image: w.image, command: w.command, replicas: w.replicas, offeringId: c.offeringId, providerId, ports: w.ports, env: w.env, healthCheck: w.healthCheck },
        { stackId: stack.id },
      );
    }
  }
}

/**
 * Fault points for tests (a crash simulated between two writes of a step); unset in production.
 * The stack's integration tests set them to throw and check that the next step converges.
 */
export const stackStepFaults: { afterSubmit?: (requestId: string) => Promise<void> } = {};

