// Schemas of the approval verbs. Error messages are keys under "approvals.errors" (bare) or
// full keys (fieldErrors.*, i18n/field-message.ts).
import { z } from "zod";
import { fe, fieldMessage } from "../../i18n/field-message";
import { REQUEST_SORTS } from "../requests/request-list-order";

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
  /** `created` (default: oldest first), `cost` or `project`; ties by id. */
  sort: z.enum(REQUEST_SORTS).optional().catch(undefined),
  dir: z.enum(["asc", "desc"]).optional().catch(undefined),
  /** Requester (name or e-mail), project, offering, machine name or request number. */
  q: z.string().trim().max(100).optional().catch(undefined),
  /** Keyset page: the `nextCursor` of the previous page, same sort and dir. */
  cursor: z.string().max(200).optional().catch(undefined),
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

/** At most this many requests in one bulk decision (the queue selects at most a page). */
export const BULK_DECIDE_MAX = 100;
export const bulkDecideSchema = z
  .object({
    decision: z.enum(["approve", "reject"], { error: "decisionInvalid" }).meta({ description: "`approve` (the stage each request waits at, or the request) or `reject` (ends each request; needs `reason`)." }),
    requestIds: z
      .array(z.uuid({ error: "requestRequired" }), { error: "selectRequests" })
      .min(1, { error: "selectRequests" })
      .max(BULK_DECIDE_MAX, { error: fieldMessage("tooManyRequests", { max: BULK_DECIDE_MAX }) })
      .refine((ids) => new Set(ids).size === ids.length, { error: "requestTwice" })
      .meta({ description: `The requests' ids, 1 to ${BULK_DECIDE_MAX}, each once.` }),
    reason: z.string({ error: "reasonRequired" }).trim().max(MAX_REASON, { error: "reasonTooLong" }).optional().meta({ description: "Why they are rejected (required for `reject`; every requester sees it)." }),
  })
  .superRefine((v, c) => {
    if (v.decision === "reject" && !v.reason) c.addIssue({ code: "custom", path: ["reason"], message: "reasonRequired" });
  });
export type BulkDecideInput = z.input<typeof bulkDecideSchema>;
