// Schemas of the approval verbs. Error messages are keys under "approvals.errors".
import { z } from "zod";

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
