// What the stack operations of /api/v1 answer (lib/api/stack-operations.ts).
import { z } from "zod";
import { StackStatus } from "../generated/prisma/enums";

const id = z.uuid();
const dateTime = z.iso.datetime({ offset: true });
const status = z.enum(StackStatus);

export const stackSummary = z.object({
  id,
  name: z.string(),
  projectId: id,
  projectName: z.string(),
  projectSlug: z.string(),
  status,
  statusReason: z.string().nullable(),
  healing: z.enum(["auto", "report"]).or(z.string()),
  healingPaused: z.boolean(),
  drift: z.array(z.string()).meta({ description: "What differs from the applied version (empty: none)." }),
  driftCheckedAt: dateTime.nullable(),
  machineCount: z.int(),
  updatedAt: dateTime,
});
export const stackList = z.object({ items: z.array(stackSummary) });

const planChange = z.object({
  action: z.enum(["create", "resize", "replace", "delete", "start"]),
  group: z.string(),
  name: z.string(),
  machineId: id.optional(),
  offering: z.string().optional(),
  template: z.string().optional(),
  monthlyCents: z.int().optional(),
  monthlyDeltaCents: z.int().optional(),
});
const workloadChange = z.object({
  action: z.enum(["create", "scale", "rollout", "replace", "delete"]),
  name: z.string(),
  workloadId: id.optional(),
  image: z.string().optional(),
  fromImage: z.string().optional(),
  replicas: z.int().optional(),
  fromReplicas: z.int().optional(),
  offering: z.string().optional(),
  reason: z.string().optional(),
  monthlyCents: z.int().optional(),
  monthlyDeltaCents: z.int().optional(),
});
const quotaLine = z.object({ resource: z.string(), used: z.int(), adding: z.int(), limit: z.int().nullable(), over: z.boolean() });
export const stackPlan = z.object({
  changes: z.array(planChange),
  workloadChanges: z.array(workloadChange).default([]).meta({ description: "Container workload changes (create, scale, roll out, replace, delete)." }),
  waves: z.array(z.array(z.string())).meta({ description: "Machine groups and workloads in dependency order; each wave starts when the earlier ones run." }),
  unchanged: z.int(),
  monthlyDeltaCents: z.int(),
  newMachinesMonthlyCents: z.int(),
  quota: z.array(quotaLine),
  errors: z.array(z.object({ group: z.string(), message: z.string() })),
  parameters: z.record(z.string(), z.unknown()),
});
export const stackPlanAnswer = stackPlan.extend({ stackId: id, version: z.int(), versionId: id });

export const stackDetail = stackSummary.omit({ machineCount: true, updatedAt: true }).extend({
  runKind: z.string(),
  healFailures: z.int(),
  outputs: z.record(z.string(), z.string()),
  yaml: z.string(),
  appliedVersion: z.int().nullable(),
  lastPlan: z.unknown().nullable(),
  versions: z.array(z.object({ id, number: z.int(), createdAt: dateTime, appliedAt: dateTime.nullable() })),
  machines: z.array(z.object({ id, name: z.string(), group: z.string(), state: z.string(), ipAddress: z.string().nullable(), driftReason: z.string().nullable() })),
});

export const stackSaved = z.object({ stackId: id, versionId: id, version: z.int(), created: z.boolean() });
export const stackApplied = z.object({ stackId: id, version: z.int(), status, reason: z.string().nullable(), plan: stackPlan });
export const stackDestroyed = z.object({ stackId: id, status: z.string(), reason: z.string().nullable() });
export const stackDiff = z.object({ from: z.int(), to: z.int(), lines: z.array(z.object({ op: z.enum([" ", "+", "-"]), text: z.string() })) });
export const stackExport = z.object({ yaml: z.string(), stackId: id.nullable() });
