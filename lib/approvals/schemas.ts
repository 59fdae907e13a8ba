// Schemas of the approval verbs. Error messages are keys under "approvals.errors" (bare) or
// full keys (fieldErrors.*, i18n/field-message.ts).
import { z } from "zod";
import { fe } from "../../i18n/field-message";

export const MAX_REASON = 2000;

export const approveRequestSchema = z.object({ requestId: z.uuid({ error: "requestRequired" }) });
export type ApproveRequestInput = z.infer<typeof approveRequestSchema>;

export const rejectRequestSchema = z.object({
  requestId: z.uuid({ error: "requestRequired" }),
  reason: z
    .string({ error: "reasonRequired" })
    .trim()
    .min(1, { error: "reasonRequired" })
    .max(MAX_REASON, { error: "reasonTooLong" }),
});
export type RejectRequestInput = z.infer<typeof rejectRequestSchema>;

export const listPendingApprovalsSchema = z.object({
  page: z.coerce.number().int().min(1).max(100000).catch(1).default(1),
});
export type ListPendingApprovalsInput = z.infer<typeof listPendingApprovalsSchema>;

// Multi-stage approval policy of a project (lib/approvals/stages.ts). Messages: "approvals.errors".
export const approvalStageSchema = z.object({
  name: z.string({ error: "stageNameRequired" }).trim().min(1, { error: "stageNameRequired" }).max(60, { error: "stageNameTooLong" }),
  /** true: every approver of the project decides at this stage (besides the named ones). */
  allProjectApprovers: z.boolean().default(false),
  /** Named approvers (users with the APPROVER role in the project). */
  approverIds: z.array(z.uuid({ error: "approverInvalid" }), { error: "approverInvalid" }).max(50, { error: fe("common", "tooMany") }).default([]),
  /** Monthly cost (cents) from which the stage applies; null: every request. */
  minMonthlyCents: z.number({ error: "thresholdInvalid" }).int({ error: "thresholdInvalid" }).min(0, { error: "thresholdInvalid" }).max(1_000_000_000, { error: "thresholdInvalid" }).nullable().default(null),
});
export const setApprovalStagesSchema = z.object({
  projectId: z.uuid({ error: fe("common", "projectRequired") }),
  /** In order; empty: the project's approvers decide in one step. */
  stages: z.array(approvalStageSchema).max(5, { error: "tooManyStages" }),
});
export type SetApprovalStagesInput = z.input<typeof setApprovalStagesSchema>;
export const getApprovalStagesSchema = z.object({ projectId: z.uuid({ error: fe("common", "projectRequired") }) });
