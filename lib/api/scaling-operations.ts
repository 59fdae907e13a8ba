// The scaling-group operations of /api/v1 (lib/scaling), declared like lib/api/operations.ts
// and appended to its API_OPERATIONS.
import "server-only";
import { z } from "zod";
import { createScalingGroup, deleteScalingGroup, updateScalingGroup } from "../scaling/manage-groups";
import { getScalingGroup, listScalingGroups } from "../scaling/read-groups";
import { createScalingGroupSchema, deleteScalingGroupSchema, listScalingGroupsSchema, scalingGroupIdSchema, updateScalingGroupBase, updateScalingGroupSchema } from "../scaling/schemas";
import { defineOperation } from "./operation";

const when = z.iso.datetime({ offset: true });
const groupItem = z.object({
  id: z.uuid(),
  name: z.string(),
  projectId: z.uuid(),
  projectName: z.string(),
  offeringName: z.string(),
  minSize: z.int(),
  maxSize: z.int(),
  desired: z.int(),
  actual: z.int().meta({ description: "Members not failed and not being deleted." }),
  running: z.int(),
  targetCpuPercent: z.number(),
  lastEvaluatedAt: when.nullable(),
});
const outcome = z.enum(["HOLD", "SCALED_OUT", "SCALED_IN", "QUOTA_REFUSED"]);
const groupPage = z.object({
  id: z.uuid(),
  name: z.string(),
  status: z.enum(["ACTIVE", "DELETED"]),
  projectId: z.uuid(),
  projectName: z.string(),
  offeringName: z.string(),
  templateName: z.string(),
  minSize: z.int(),
  maxSize: z.int(),
  desired: z.int(),
  targetCpuPercent: z.number(),
  windowSeconds: z.int(),
  scaleOutCooldownSeconds: z.int(),
  scaleInCooldownSeconds: z.int(),
  stepSize: z.int(),
  canManage: z.boolean(),
  latest: z.object({ at: when, reason: z.string(), metricValue: z.number().nullable() }).nullable(),
  members: z.array(z.object({ id: z.uuid(), name: z.string(), state: z.string(), ipAddress: z.string().nullable(), createdAt: when })),
  decisions: z.array(
    z.object({
      id: z.uuid(),
      at: when,
      outcome,
      metricValue: z.number().nullable().meta({ description: "Average CPU (percent) of the running members over the window; null without samples." }),
      desiredBefore: z.int(),
      desiredAfter: z.int(),
      actual: z.int(),
      reason: z.string(),
    }),
  ).meta({ description: "The last 100 decisions that changed something or were refused, newest first." }),
  series: z.array(z.object({ at: when, metric: z.number().nullable(), actual: z.int(), running: z.int(), desired: z.int() })).meta({ description: "Every evaluation of the last 24 h, oldest first." }),
});

export const listScalingGroupsOp = defineOperation({
  operationId: "listScalingGroups",
  method: "GET",
  path: "/scaling-groups",
  tag: "Scaling groups",
  summary: "List scaling groups",
  description: "The active scaling groups of the projects the caller can see, with their sizes.",
  query: listScalingGroupsSchema,
  input: listScalingGroupsSchema,
  verb: listScalingGroups,
  response: z.object({ items: z.array(groupItem) }),
  errors: ["VALIDATION"],
});

export const getScalingGroupOp = defineOperation({
  operationId: "getScalingGroup",
  method: "GET",
  path: "/scaling-groups/{groupId}",
  tag: "Scaling groups",
  summary: "A scaling group: members, decision log and chart series",
  pathParams: { groupId: "The scaling group's id." },
  input: scalingGroupIdSchema,
  verb: getScalingGroup,
  response: groupPage,
  errors: ["NOT_FOUND"],
});

export const createScalingGroupOp = defineOperation({
  operationId: "createScalingGroup",
  method: "POST",
  path: "/scaling-groups",
  tag: "Scaling groups",
  summary: "Create a scaling group",
  description:
    "Approvers only: creating the group is its one approval, so each scale-out is an auto-approved request, always within the project's quota (a refused scale-out is a QUOTA_REFUSED decision, not an error). The worker evaluates the group after every sampling round: above the target average CPU it adds `stepSize` machines (after the scale-out cooldown), and removes them (newest first) when the rest would stay under the target (after the scale-in cooldown).",
  body: createScalingGroupSchema,
  input: createScalingGroupSchema,
  verb: createScalingGroup,
  status: 201,
  response: z.object({ id: z.uuid(), name: z.string() }),
  examples: {
    request: { projectId: "6f1c2b8e-3d4a-4c5b-9e6f-7a8b9c0d1e2f", name: "web", offeringId: "0b1c2d3e-4f50-4617-8293-a4b5c6d7e8f9", templateId: "1a2b3c4d-5e6f-4701-8293-a4b5c6d7e8f9", minSize: 1, maxSize: 4, desired: 1, targetCpuPercent: 60 },
  },
  errors: ["VALIDATION", "FORBIDDEN", "NOT_FOUND", "QUOTA_EXCEEDED"],
});

export const updateScalingGroupOp = defineOperation({
  operationId: "updateScalingGroup",
  method: "PUT",
  path: "/scaling-groups/{groupId}/settings",
  tag: "Scaling groups",
  summary: "Change a scaling group's bounds, target and cooldowns",
  description: "The desired count moves into the new bounds; the worker converges at once.",
  pathParams: { groupId: "The scaling group's id." },
  body: updateScalingGroupBase.omit({ groupId: true }),
  input: updateScalingGroupSchema,
  verb: updateScalingGroup,
  response: z.object({ id: z.uuid(), desired: z.int() }),
  examples: { request: { minSize: 1, maxSize: 6, targetCpuPercent: 50, scaleOutCooldownSeconds: 120, scaleInCooldownSeconds: 300, stepSize: 1, windowSeconds: 120 } },
  errors: ["VALIDATION", "FORBIDDEN", "NOT_FOUND", "CONFLICT"],
});

export const deleteScalingGroupOp = defineOperation({
  operationId: "deleteScalingGroup",
  method: "POST",
  path: "/scaling-groups/{groupId}/delete",
  tag: "Scaling groups",
  summary: "Delete a scaling group and its machines",
  description: "`confirmName` must be the group's exact name. Every member gets a DELETE operation.",
  pathParams: { groupId: "The scaling group's id." },
  body: deleteScalingGroupSchema.omit({ groupId: true }),
  input: deleteScalingGroupSchema,
  verb: deleteScalingGroup,
  status: 202,
  response: z.object({ id: z.uuid(), deletedMachines: z.int() }),
  examples: { request: { confirmName: "web" } },
  errors: ["VALIDATION", "FORBIDDEN", "NOT_FOUND", "CONFLICT"],
});

export const SCALING_API_OPERATIONS = [listScalingGroupsOp, getScalingGroupOp, createScalingGroupOp, updateScalingGroupOp, deleteScalingGroupOp] as const;
