// Inputs of the stack verbs, shared by the page's actions and the API.
import { z } from "zod";
import { MAX_STACK_YAML } from "./parse";

const parameters = z.record(z.string().max(64), z.union([z.string().max(1000), z.number(), z.boolean()])).optional().meta({ description: "Parameter values overriding the document's defaults." });

export const saveStackSchema = z.strictObject({
  yaml: z.string().min(1).max(MAX_STACK_YAML).meta({ description: "The stack document (YAML, apiVersion orquestra/v1, kind Stack). Its metadata names the project (slug) and the stack." }),
});
export type SaveStackInput = z.infer<typeof saveStackSchema>;

export const stackIdSchema = z.strictObject({ stackId: z.uuid() });
export type StackIdInput = z.infer<typeof stackIdSchema>;

export const planStackSchema = z.strictObject({
  stackId: z.uuid(),
  versionId: z.uuid().optional().meta({ description: "The version to plan (default: the latest)." }),
  parameters,
});
export type PlanStackInput = z.infer<typeof planStackSchema>;

export const applyStackSchema = planStackSchema;
export type ApplyStackInput = z.infer<typeof applyStackSchema>;

export const stackVersionsDiffSchema = z.strictObject({ stackId: z.uuid(), from: z.number().int().min(1), to: z.number().int().min(1) });

export const exportMachinesSchema = z.strictObject({
  projectId: z.uuid(),
  machineIds: z.array(z.uuid()).min(1).max(100),
  name: z.string().min(1).max(50).meta({ description: "The new stack's name (a DNS label)." }),
  adopt: z.boolean().optional().meta({ description: "Also create the stack and link the machines to it (they become its machines)." }),
});
export type ExportMachinesInput = z.infer<typeof exportMachinesSchema>;
