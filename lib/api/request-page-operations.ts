// API operations of the request page (issue 16): a request's detail, its comments, its
// resubmission, and a project's multi-stage approval policy (administration).
import { z } from "zod";
import { DiskTier, MachineState, OperationKind, OperationStatus, PlacementScope, RequestStatus } from "../generated/prisma/enums";
import { addRequestCommentSchema, requestIdSchema, resubmitRequestSchema } from "../requests/schemas";
import { getRequestById } from "../requests/get-request-by-id";
import { addRequestComment } from "../requests/add-request-comment";
import { resubmitRequest } from "../requests/resubmit-request";
import { getApprovalStagesSchema, setApprovalStagesSchema } from "../approvals/schemas";
import { getApprovalStages } from "../approvals/get-approval-stages";
import { setApprovalStages } from "../approvals/set-approval-stages";
import { defineOperation } from "./operation";

const id = z.uuid();
const dateTime = z.iso.datetime({ offset: true });
const named = z.object({ id, name: z.string() });
const REQUEST = { requestId: "The request's id." } as const;
const PROJECT = { projectId: "The project's id." } as const;

const requestDetail = z.object({
  id,
  number: z.int(),
  status: z.enum(RequestStatus),
  project: named,
  requester: named,
  offering: z.object({ id, name: z.string(), vcpu: z.int(), memoryMb: z.int(), diskGb: z.int(), diskTier: z.enum(DiskTier) }),
  template: named,
  quantity: z.int(),
  names: z.array(z.string()),
  leaseEndsAt: dateTime.nullable(),
  justification: z.string(),
  monthlyCostCents: z.int(),
  currency: z.string(),
  placement: z.object({ scope: z.enum(PlacementScope), providerName: z.string().nullable() }),
  autoApproved: z.boolean(),
  decisionReason: z.string().nullable(),
  decidedBy: named.nullable(),
  createdAt: dateTime,
  decidedAt: dateTime.nullable(),
  resubmittedFrom: z.int().nullable().meta({ description: "The number of the request this one resubmits." }),
  resubmissions: z.array(z.int()).meta({ description: "Numbers of the requests that resubmitted this one." }),
  stageDecisions: z.array(z.object({ position: z.int(), name: z.string(), approved: z.boolean(), reason: z.string().nullable(), by: z.string(), at: dateTime })),
  waitingStage: z.object({ position: z.int(), name: z.string() }).nullable().meta({ description: "The approval stage the request waits at (null: none, or decided)." }),
  stagesAhead: z.array(z.object({ position: z.int(), name: z.string() })),
  machines: z.array(
    z.object({
      id,
      name: z.string(),
      state: z.enum(MachineState),
      deleted: z.boolean(),
      failureReason: z.string().nullable(),
      operations: z.array(
        z.object({
          id,
          kind: z.enum(OperationKind),
          status: z.enum(OperationStatus),
          attempts: z.int(),
          error: z.string().nullable(),
          createdAt: dateTime,
          startedAt: dateTime.nullable(),
          finishedAt: dateTime.nullable(),
          nextAttemptAt: dateTime.nullable(),
        }),
      ),
    }),
  ),
  comments: z.array(z.object({ id, body: z.string(), at: dateTime, author: z.string(), fromRequester: z.boolean(), mine: z.boolean() })),
  can: z.object({ comment: z.boolean(), decide: z.boolean(), cancel: z.boolean(), resubmit: z.boolean() }),
  busy: z.boolean(),
});

const approvalStagesView = z.object({
  projectId: id,
  projectName: z.string(),
  autoApproveBelowCents: z.int().nullable(),
  currency: z.string(),
  stages: z.array(z.object({ position: z.int(), name: z.string(), allProjectApprovers: z.boolean(), approverIds: z.array(id), minMonthlyCents: z.int().nullable() })),
  approvers: z.array(z.object({ id, name: z.string(), email: z.string() })),
});

export const getRequestOp = defineOperation({
  operationId: "getRequest",
  method: "GET",
  path: "/requests/{requestId}",
  tag: "Requests",
  summary: "Get a request with its approval stages, machines, provisioning and comments",
  description: "What the request page shows. Visible to its requester and the members of its project.",
  pathParams: REQUEST,
  input: requestIdSchema,
  verb: getRequestById,
  response: requestDetail,
  errors: ["NOT_FOUND"],
});

export const addRequestCommentOp = defineOperation({
  operationId: "addRequestComment",
  method: "POST",
  path: "/requests/{requestId}/comments",
  tag: "Requests",
  summary: "Comment on a request",
  description: "The requester and the project's approvers comment; each comment notifies the other side.",
  pathParams: REQUEST,
  body: addRequestCommentSchema.omit({ requestId: true }),
  input: addRequestCommentSchema,
  verb: addRequestComment,
  status: 201,
  response: z.object({ commentId: id, notified: z.int() }),
  messages: "requests.errors",
  examples: { request: { body: "The builds run in parallel: two vCPU each." } },
  errors: ["VALIDATION", "FORBIDDEN", "NOT_FOUND"],
});

export const resubmitRequestOp = defineOperation({
  operationId: "resubmitRequest",
  method: "POST",
  path: "/requests/{requestId}/resubmit",
  tag: "Requests",
  summary: "Resubmit a rejected, failed or cancelled request with the same values",
  description: "A new request, checked like any submission; a value no longer valid is reported on its field.",
  pathParams: REQUEST,
  input: resubmitRequestSchema,
  verb: resubmitRequest,
  status: 201,
  response: z.object({ id, number: z.int(), status: z.enum(RequestStatus), autoApproved: z.boolean(), monthlyCostCents: z.int(), resubmittedFrom: z.int() }),
  messages: "requests.errors",
  errors: ["VALIDATION", "FORBIDDEN", "NOT_FOUND", "CONFLICT", "QUOTA_EXCEEDED"],
});

export const adminGetApprovalStagesOp = defineOperation({
  operationId: "adminGetApprovalStages",
  method: "GET",
  path: "/admin/projects/{projectId}/approval-stages",
  tag: "Administration: projects",
  summary: "Get a project's approval stages",
  pathParams: PROJECT,
  input: getApprovalStagesSchema,
  verb: getApprovalStages,
  response: approvalStagesView,
  errors: ["FORBIDDEN", "NOT_FOUND"],
});

export const adminSetApprovalStagesOp = defineOperation({
  operationId: "adminSetApprovalStages",
  method: "PUT",
  path: "/admin/projects/{projectId}/approval-stages",
  tag: "Administration: projects",
  summary: "Set a project's approval stages",
  description:
    "Ordered stages; a request passes those that apply to its monthly cost (`minMonthlyCents` null: every request). Each stage is decided by every approver of the project (`allProjectApprovers`) and/or named approvers. An empty list: the project's approvers decide in one step.",
  pathParams: PROJECT,
  body: setApprovalStagesSchema.omit({ projectId: true }),
  input: setApprovalStagesSchema,
  verb: setApprovalStages,
  response: z.object({ changed: z.boolean(), stages: z.int() }),
  messages: "approvals.errors",
  examples: {
    request: {
      stages: [
        { name: "Team lead", allProjectApprovers: true, approverIds: [], minMonthlyCents: null },
        { name: "Finance", allProjectApprovers: false, approverIds: ["3f0f7c4e-6a3b-4f0e-9a51-3c1e2b7d9a10"], minMonthlyCents: 50000 },
      ],
    },
  },
  errors: ["VALIDATION", "FORBIDDEN", "NOT_FOUND"],
});

export const REQUEST_PAGE_API_OPERATIONS = [getRequestOp, addRequestCommentOp, resubmitRequestOp, adminGetApprovalStagesOp, adminSetApprovalStagesOp] as const;
