// The stack operations of /api/v1 (infrastructure as code, lib/stacks), appended to
// API_OPERATIONS like the cost operations. The page and the command line call these.
import "server-only";
import { z } from "zod";
import { defineOperation } from "./operation";
import * as R from "./stack-responses";
import { saveStack } from "../stacks/save-stack";
import { applyStack, destroyStack, planStack } from "../stacks/apply-stack";
import { diffStackVersions, getStack, listStacks } from "../stacks/read-stacks";
import { exportMachines } from "../stacks/export-machines";
import { applyStackSchema, exportMachinesSchema, planStackSchema, saveStackSchema, stackIdSchema } from "../stacks/schemas";

const TAG = "Stacks";
const listQuery = z.strictObject({ projectId: z.uuid().optional().meta({ description: "Only this project's stacks." }) });
const runBody = z.strictObject({
  versionId: z.uuid().optional().meta({ description: "The version (default: the latest; an older one rolls back)." }),
  parameters: z.record(z.string().max(64), z.union([z.string().max(1000), z.number(), z.boolean()])).optional().meta({ description: "Parameter values overriding the document's defaults." }),
});
const diffQuery = z.strictObject({
  from: z.coerce.number().int().min(1).meta({ description: "The older version number." }),
  to: z.coerce.number().int().min(1).meta({ description: "The newer version number." }),
});

export const listStacksOp = defineOperation({
  operationId: "listStacks",
  method: "GET",
  path: "/stacks",
  tag: TAG,
  summary: "List stacks",
  description: "The stacks of the projects you can see, with their status and drift (what differs from the applied version).",
  query: listQuery,
  input: listQuery,
  verb: listStacks,
  response: R.stackList,
  errors: ["NOT_FOUND"],
});

export const saveStackOp = defineOperation({
  operationId: "saveStack",
  method: "POST",
  path: "/stacks",
  tag: TAG,
  summary: "Create a stack or add a version from a YAML document",
  description:
    "The document (apiVersion orquestra/v1, kind Stack; JSON Schema at /api/v1/stacks/schema.json) names its project (slug) and the stack. A new name creates the stack; an existing one adds a version (an unchanged document adds none). Invalid YAML and schema violations answer 400 with `details.problems`: line, column, path and message of each.",
  body: saveStackSchema,
  input: saveStackSchema,
  verb: saveStack,
  response: R.stackSaved,
  status: 201,
  errors: ["VALIDATION", "NOT_FOUND", "FORBIDDEN"],
  examples: { request: { yaml: "apiVersion: orquestra/v1\nkind: Stack\nmetadata:\n  name: shop\n  project: web-platform\nmachines: []\n" } },
});

export const getStackOp = defineOperation({
  operationId: "getStack",
  method: "GET",
  path: "/stacks/{stackId}",
  tag: TAG,
  summary: "Get a stack",
  description: "The latest document, the versions, the machines the stack owns, its outputs, drift and the plan of the applied version.",
  pathParams: { stackId: "The stack's id." },
  input: stackIdSchema,
  verb: getStack,
  response: R.stackDetail,
  errors: ["NOT_FOUND"],
});

export const planStackOp = defineOperation({
  operationId: "planStack",
  method: "POST",
  path: "/stacks/{stackId}/plan",
  tag: TAG,
  summary: "Plan a stack: what an apply would change",
  description: "Creates, resizes (in place), replacements (template change, or missing on the provider), deletes and starts, in dependency waves, with the monthly cost change and the quota impact computed as the request form does. Changes nothing.",
  pathParams: { stackId: "The stack's id." },
  body: runBody,
  input: planStackSchema,
  verb: planStack,
  response: R.stackPlanAnswer,
  errors: ["VALIDATION", "NOT_FOUND"],
});

export const applyStackOp = defineOperation({
  operationId: "applyStack",
  method: "POST",
  path: "/stacks/{stackId}/apply",
  tag: TAG,
  summary: "Apply a stack version (or roll back to an older one)",
  description:
    "Records the plan and starts the run: machines are created through requests (the project's approval policy applies; the approver sees the plan), in dependency order; resizes, deletes and starts through the machine operations. The answer says what the run waits for; poll the stack for APPLIED or FAILED (with the reason).",
  pathParams: { stackId: "The stack's id." },
  body: runBody,
  input: applyStackSchema,
  verb: applyStack,
  response: R.stackApplied,
  status: 202,
  errors: ["VALIDATION", "NOT_FOUND", "FORBIDDEN", "CONFLICT", "QUOTA_EXCEEDED"],
});

export const destroyStackOp = defineOperation({
  operationId: "destroyStack",
  method: "POST",
  path: "/stacks/{stackId}/destroy",
  tag: TAG,
  summary: "Destroy a stack: delete every machine it owns",
  pathParams: { stackId: "The stack's id." },
  input: stackIdSchema,
  verb: destroyStack,
  response: R.stackDestroyed,
  status: 202,
  errors: ["NOT_FOUND", "FORBIDDEN", "CONFLICT"],
});

export const diffStackVersionsOp = defineOperation({
  operationId: "diffStackVersions",
  method: "GET",
  path: "/stacks/{stackId}/versions/diff",
  tag: TAG,
  summary: "Diff two versions of a stack's document",
  pathParams: { stackId: "The stack's id." },
  query: diffQuery,
  input: z.strictObject({ stackId: z.uuid(), from: z.coerce.number().int().min(1), to: z.coerce.number().int().min(1) }),
  verb: diffStackVersions,
  response: R.stackDiff,
  errors: ["VALIDATION", "NOT_FOUND"],
});

export const exportMachinesOp = defineOperation({
  operationId: "exportStack",
  method: "POST",
  path: "/stacks/export",
  tag: TAG,
  summary: "Export machines as a stack document (and adopt them)",
  description: "One machine group per offering and template. With `adopt: true` the stack is created from the document and the machines become its machines (nothing is recreated).",
  body: exportMachinesSchema,
  input: exportMachinesSchema,
  verb: exportMachines,
  response: R.stackExport,
  errors: ["VALIDATION", "NOT_FOUND", "FORBIDDEN", "CONFLICT"],
});

export const STACK_API_OPERATIONS = [listStacksOp, saveStackOp, exportMachinesOp, getStackOp, planStackOp, applyStackOp, destroyStackOp, diffStackVersionsOp];
