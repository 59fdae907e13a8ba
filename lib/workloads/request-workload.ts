// Requests a container workload: permission on the project, an active offering for the
// per-replica limits, a provider the project may use that runs workloads, the quota reserved
// exactly (replicas x the offering's vCPU, memory and price, one conditional UPDATE), secrets
// sealed, the DEPLOY operation queued and the audit event written, all in one transaction.
import "server-only";
import { randomUUID } from "node:crypto";
import type { Ctx } from "../context";
import type { Prisma } from "../db/client";
import { assertCan } from "../auth/permissions";
import { AppError, conflict, validationError } from "../errors";
import { recordAudit } from "../audit/record-audit";
import { quotaExceeded } from "../quotas/quota-error";
import { installationId } from "../installation/installation-id";
import { workloadResourceName } from "../drivers/workload-types";
import { requestWorkloadSchema, type RequestWorkloadInput } from "./schemas";
import { reserveWorkloadQuota } from "./reservation";
import { sealWorkloadSecrets } from "./secrets";
import { createWorkloadOperation } from "./create-workload-operation";
import { workloadProvidersFor } from "./providers-for-workloads";

export const WORKLOAD_ID_LABEL = "orquestra.workload-id";
export const WORKLOAD_INSTALLATION_LABEL = "orquestra.installation-id";
export const WORKLOAD_PROJECT_LABEL = "orquestra.project-id";
/** On a stack's workloads (lib/stacks): the stack that owns it, written with the workload. */
export const WORKLOAD_STACK_LABEL = "orquestra.stack-id";

/** `link`: a stack's apply requests it (not part of the input schema: form and API cannot set it). */
export async function requestWorkload(ctx: Ctx, raw: RequestWorkloadInput, link?: { stackId: string }) {
  const input = requestWorkloadSchema.parse(raw);
  assertCan(ctx.actor, "workload.request", input.projectId);
  const offering = await ctx.db.offering.findUnique({ where: { id: input.offeringId } });
  if (!offering || !offering.active) throw validationError({ offeringId: ["Choose an active offering"] });
  const providers = await workloadProvidersFor(ctx.db, input.projectId);
  const provider = input.providerId ? providers.find((p) => p.id === input.providerId) : providers[0];
  if (!provider) {
    throw input.providerId
      ? validationError({ providerId: ["This project cannot run workloads on that provider"] })
      : new AppError("NO_CAPACITY", "No provider this project may use runs container workloads");
  }
  if (input.autoscaling && provider.kind !== "KUBERNETES") throw validationError({ autoscaling: ["Autoscaling needs a Kubernetes provider"] });
  const dupSecret = Object.keys(input.secrets).find((k) => k in input.env);
  if (dupSecret) throw validationError({ secrets: [`${dupSecret} is both a variable and a secret`] });

  const id = randomUUID();
  const installation = await installationId(ctx.db);
  const per = { vcpu: offering.vcpu, memoryMb: offering.memoryMb, monthlyCents: offering.monthlyPriceCents };
  const replicas = input.autoscaling ? Math.max(input.replicas, input.autoscaling.minReplicas) : input.replicas;
  // Autoscaling may grow it to maxReplicas: the quota holds the most it can use.
  const reserved = input.autoscaling ? Math.max(replicas, input.autoscaling.maxReplicas) : replicas;

  return ctx.db.$transaction(async (tx) => {
    const clash = await tx.workload.findFirst({ where: { projectId: input.projectId, name: input.name, state: { not: "DELETED" } }, select: { id: true } });
    if (clash) throw conflict(`A workload named ${input.name} already exists in this project`, { field: "name" });
    if (!(await reserveWorkloadQuota(tx, input.projectId, per, reserved))) {
      const p = await tx.project.findUniqueOrThrow({ where: { id: input.projectId } });
      const r: ("vcpu" | "memory" | "budget")[] = [];
      if (p.usedVcpu + per.vcpu * reserved > p.quotaVcpu) r.push("vcpu");
      if (p.usedMemoryMb + per.memoryMb * reserved > p.quotaMemoryMb) r.push("memory");
      if (p.monthlyBudgetCents !== null && p.usedMonthlyCents + per.monthlyCents * reserved > p.monthlyBudgetCents) r.push("budget");
      throw quotaExceeded(r.length ? r : ["vcpu", "memory", "budget"]);
    }
    const labels = { [WORKLOAD_ID_LABEL]: id, [WORKLOAD_INSTALLATION_LABEL]: installation, [WORKLOAD_PROJECT_LABEL]: input.projectId, ...(link ? { [WORKLOAD_STACK_LABEL]: link.stackId } : {}) };
    const workload = await tx.workload.create({
      data: {
        id,
        projectId: input.projectId,
        ownerId: ctx.actor.id,
        offeringId: offering.id,
        providerId: provider.id,
        name: input.name,
        image: input.image,
        command: (input.command ?? undefined) as Prisma.InputJsonValue | undefined,
        replicas,
        reservedReplicas: reserved,
        ...per,
        ports: input.ports as Prisma.InputJsonValue,
        env: input.env as Prisma.InputJsonValue,
        secretsEnc: sealWorkloadSecrets(id, input.secrets),
        healthCheck: (input.healthCheck ?? undefined) as Prisma.InputJsonValue | undefined,
        autoscaling: (input.autoscaling ?? undefined) as Prisma.InputJsonValue | undefined,
        updateStrategy: input.updateStrategy,
        externalRef: workloadResourceName(input.name, id),
        labels,
      },
    });
    const operation = await createWorkloadOperation(tx, workload, { kind: "DEPLOY", requestedById: ctx.actor.id });
    await recordAudit(tx, ctx, {
      action: "workload.request",
      targetType: "Workload",
      targetId: id,
      projectId: input.projectId,
      // Secrets by name only: the audit log never holds their values.
      after: { name: input.name, image: input.image, replicas, reservedReplicas: reserved, offering: offering.name, provider: provider.name, ports: input.ports, env: input.env, secrets: Object.keys(input.secrets), updateStrategy: input.updateStrategy, autoscaling: input.autoscaling },
    });
    return { workloadId: id, operationId: operation.id, state: "DEPLOYING" as const };
  });
}
