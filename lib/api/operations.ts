// Every /api/v1 operation: which verb it calls with which schema, and how it is documented.
// Route files under app/api/v1 only bind these to HTTP methods; openapi.ts describes them.
// The verbs do the permission checks, exactly as for the UI.
import "server-only";
import { z } from "zod";
import { catalogFilterSchema } from "../catalog/schemas";
import { listOfferings } from "../catalog/list-offerings";
import { listMyRequestsSchema, requestIdSchema, submitRequestSchema } from "../requests/schemas";
import { listMyRequests } from "../requests/list-my-requests";
import { submitRequest } from "../requests/submit-request";
import { cancelRequest } from "../requests/cancel-request";
import { approveRequestSchema, listPendingApprovalsSchema, rejectRequestSchema } from "../approvals/schemas";
import { approveRequest } from "../approvals/approve-request";
import { rejectRequest } from "../approvals/reject-request";
import { listPendingApprovals } from "../approvals/list-pending-approvals";
import { bulkDecide } from "../approvals/bulk-decide";
import { bulkDecideSchema } from "../approvals/schemas";
import { createSnapshotSchema, bulkMachineOperationSchema, deleteMachineSchema, listMachinesSchema, machineIdSchema, resizeMachineSchema, snapshotRefSchema, retryOperationSchema, renameMachineSchema, setMachineTagsSchema, transferMachineSchema } from "../machines/schemas";
import { listMachines } from "../machines/list-machines";
import { getMachine } from "../machines/get-machine";
import { startMachine } from "../machines/start-machine";
import { stopMachine } from "../machines/stop-machine";
import { rebootMachine } from "../machines/reboot-machine";
import { retryOperation } from "../machines/retry-operation";
import { renameMachine } from "../machines/rename-machine";
import { setMachineTags } from "../machines/set-machine-tags";
import { transferMachine } from "../machines/transfer-machine";
import { resizeMachine } from "../machines/resize-machine";
import { deleteMachine } from "../machines/delete-machine";
import { bulkMachineOperation } from "../machines/bulk-machine-operation";
import { createSnapshot } from "../machines/create-snapshot";
import { revertSnapshot } from "../machines/revert-snapshot";
import { deleteSnapshot } from "../machines/delete-snapshot";
import { auditFilterSchema } from "../audit/schemas";
import { listAuditEvents } from "../audit/list-audit-events";
import { listActiveTemplatesSchema, listMachineOperationsSchema } from "./verbs/schemas";
import * as Q from "./queries";
import { listActiveTemplates } from "./verbs/list-active-templates";
import { listMyProjects } from "./verbs/list-my-projects";
import { listMachineOperations } from "./verbs/list-machine-operations";
import { defineOperation, type ApiOperation } from "./operation";
import * as ADMIN from "./admin-operations";
import { IDENTITY_OPERATIONS } from "./identity-operations";
import * as R from "./responses";
import { COST_API_OPERATIONS } from "./cost-operations";
import { MONITORING_API_OPERATIONS } from "./monitoring-operations";
import { SCALING_API_OPERATIONS } from "./scaling-operations";
import { STACK_API_OPERATIONS } from "./stack-operations";
import { OPERATIONS_API } from "./operations-ops";
import { WORKLOAD_API_OPERATIONS } from "./workload-operations";
import { REQUEST_PAGE_API_OPERATIONS } from "./request-page-operations";
import { ACCESS_API_OPERATIONS } from "./access-operations";

export const listOfferingsOp = defineOperation({
  operationId: "listOfferings",
  method: "GET",
  path: "/offerings",
  tag: "Catalogue",
  summary: "List the catalogue's active offerings",
  description: "Offerings you can request, cheapest first within each disk tier.",
  query: Q.offeringsQuery,
  input: catalogFilterSchema,
  verb: listOfferings,
  present: (r) => ({ items: r.offerings, currency: r.currency }),
  response: R.offeringList,
  errors: ["FORBIDDEN"],
});

export const listTemplatesOp = defineOperation({
  operationId: "listTemplates",
  method: "GET",
  path: "/templates",
  tag: "Catalogue",
  summary: "List the active OS templates",
  query: Q.templatesQuery,
  input: listActiveTemplatesSchema,
  verb: listActiveTemplates,
  response: R.templateList,
  errors: ["VALIDATION", "FORBIDDEN"],
});

export const listProjectsOp = defineOperation({
  operationId: "listProjects",
  method: "GET",
  path: "/projects",
  tag: "Projects",
  summary: "List your projects with quota and usage",
  description: "The projects you are a member of (every project for an administrator), with your role.",
  query: Q.projectsQuery,
  input: z.object({ includeArchived: z.boolean().default(false) }),
  verb: listMyProjects,
  response: R.projectList,
  errors: ["VALIDATION"],
});

export const listRequestsOp = defineOperation({
  operationId: "listRequests",
  method: "GET",
  path: "/requests",
  tag: "Requests",
  summary: "List your own requests",
  description: "Newest first by default (or `sort` by cost or project), 20 a page: page numbers (`pageCount` says how many) or keyset pages (`nextCursor` as `cursor`). `total` is exact up to 10,000 (`totalCapped` says when there are more).",
  query: Q.requestsQuery,
  input: listMyRequestsSchema,
  verb: listMyRequests,
  response: R.requestList,
  errors: [],
});

export const submitRequestOp = defineOperation({
  operationId: "submitRequest",
  method: "POST",
  path: "/requests",
  tag: "Requests",
  summary: "Request machines for a project",
  description:
    "Give `name` (one machine, or the prefix of generated names) or `names` (one per machine). Requests below the project's auto-approval threshold are approved at once. Send an Idempotency-Key to retry safely.",
  body: submitRequestSchema,
  input: submitRequestSchema,
  verb: submitRequest,
  status: 201,
  response: R.submittedRequest,
  messages: "requests.errors",
  errors: ["VALIDATION", "FORBIDDEN", "NOT_FOUND", "CONFLICT", "QUOTA_EXCEEDED"],
});

export const cancelRequestOp = defineOperation({
  operationId: "cancelRequest",
  method: "POST",
  path: "/requests/{requestId}/cancel",
  tag: "Requests",
  summary: "Cancel your request while it waits for approval",
  pathParams: { requestId: "The request's id." },
  input: requestIdSchema,
  verb: cancelRequest,
  response: R.requestRef,
  messages: "requests.errors",
  errors: ["FORBIDDEN", "NOT_FOUND", "CONFLICT"],
});

export const listApprovalsOp = defineOperation({
  operationId: "listPendingApprovals",
  method: "GET",
  path: "/approvals",
  tag: "Approvals",
  summary: "List requests waiting for your decision",
  description: "Pending requests of the projects where you approve (every project for an administrator), oldest first by default (or `sort` by cost or project; `q` searches), 20 a page: page numbers or keyset pages (`nextCursor` as `cursor`).",
  query: Q.approvalsQuery,
  input: listPendingApprovalsSchema,
  verb: listPendingApprovals,
  present: (r) => ({
    ...r,
    items: r.items.map((i) => ({
      id: i.id,
      number: i.number,
      createdAt: i.createdAt,
      quantity: i.quantity,
      names: i.names,
      justification: i.justification,
      leaseEndsAt: i.leaseEndsAt,
      monthlyCostCents: i.monthlyCostCents,
      requester: i.requester,
      project: { id: i.project.id, name: i.project.name },
      offering: i.offering,
      template: i.template,
      ownRequest: i.ownRequest,
      stage: i.stage,
    })),
  }),
  response: R.approvalList,
  errors: ["FORBIDDEN"],
});

export const approveRequestOp = defineOperation({
  operationId: "approveRequest",
  method: "POST",
  path: "/requests/{requestId}/approve",
  tag: "Approvals",
  summary: "Approve a pending request",
  description: "Reserves the project's quota and queues the provisioning of each machine. You cannot decide your own request.",
  pathParams: { requestId: "The request's id." },
  input: approveRequestSchema,
  verb: approveRequest,
  response: R.approvalResult,
  messages: "approvals.errors",
  errors: ["FORBIDDEN", "NOT_FOUND", "CONFLICT", "QUOTA_EXCEEDED"],
});

export const rejectRequestOp = defineOperation({
  operationId: "rejectRequest",
  method: "POST",
  path: "/requests/{requestId}/reject",
  tag: "Approvals",
  summary: "Reject a pending request with a reason",
  pathParams: { requestId: "The request's id." },
  body: rejectRequestSchema.omit({ requestId: true }),
  input: rejectRequestSchema,
  verb: rejectRequest,
  response: R.requestRef,
  messages: "approvals.errors",
  errors: ["VALIDATION", "FORBIDDEN", "NOT_FOUND", "CONFLICT"],
});

export const bulkDecideOp = defineOperation({
  operationId: "bulkDecideRequests",
  method: "POST",
  path: "/approvals/bulk",
  tag: "Approvals",
  summary: "Approve or reject several pending requests",
  description:
    "Each request is decided on its own, exactly as by its own approve or reject call (permission, approval stage, your own request, quota): the answer (200) gives one result per request, the skipped ones with their reason. With approval stages, `approve` decides only the stage each request waits at. `reject` needs `reason`.",
  body: bulkDecideSchema,
  input: bulkDecideSchema,
  verb: bulkDecide,
  response: R.bulkDecisionResult,
  messages: "approvals.errors",
  errors: ["VALIDATION"],
  examples: {
    request: { decision: "approve", requestIds: ["0b6e3f4e-9d0c-4f7e-8a53-2f1c0d9e7a11", "5c1d2e3f-4a5b-4c6d-8e7f-9a0b1c2d3e4f"] },
    response: {
      results: [
        { requestId: "0b6e3f4e-9d0c-4f7e-8a53-2f1c0d9e7a11", number: 41, ok: true, status: "APPROVED", waitingStage: null },
        { requestId: "5c1d2e3f-4a5b-4c6d-8e7f-9a0b1c2d3e4f", number: 42, ok: false, code: "FORBIDDEN", reason: "You cannot approve your own request; another approver must decide it" },
      ],
      decided: 1,
      skipped: 1,
    },
  },
});

export const listMachinesOp = defineOperation({
  operationId: "listMachines",
  method: "GET",
  path: "/machines",
  tag: "Machines",
  summary: "List the machines of your projects",
  description:
    "Newest first, 20 a page. Deleted machines are listed only when asked for with state=DELETED. Page through with `cursor` (the previous page's `nextCursor`); `page` numbers still work for the first pages. `total` is exact up to 10,000 (`totalCapped` says when there are more).",
  query: Q.machinesQuery,
  input: listMachinesSchema,
  verb: (ctx, input) => listMachines(ctx, input, { withProjects: false }),
  present: (r) => ({ items: r.items, page: r.page, pageCount: r.pageCount, total: r.total, totalCapped: r.totalCapped, nextCursor: r.nextCursor }),
  response: R.machineList,
  errors: [],
});

export const getMachineOp = defineOperation({
  operationId: "getMachine",
  method: "GET",
  path: "/machines/{machineId}",
  tag: "Machines",
  summary: "Get a machine",
  description: "With its latest operations, snapshots, lease and the day-2 actions available to you.",
  pathParams: { machineId: "The machine's id." },
  input: machineIdSchema,
  verb: getMachine,
  response: R.machineDetail,
  errors: ["NOT_FOUND"],
});

export const listMachineOperationsOp = defineOperation({
  operationId: "listMachineOperations",
  method: "GET",
  path: "/machines/{machineId}/operations",
  tag: "Machines",
  summary: "List a machine's operations",
  description: "Newest first, keyset pages: pass `nextCursor` as `cursor`.",
  pathParams: { machineId: "The machine's id." },
  query: Q.machineOperationsQuery,
  input: listMachineOperationsSchema,
  verb: listMachineOperations,
  response: R.operationList,
  messages: "api.validation",
  errors: ["VALIDATION", "NOT_FOUND"],
});

/** A day-2 action: answers 202 with the queued operation; poll the machine or its operations. */
function day2<S extends z.ZodObject, T>(
  action: string,
  summary: string,
  input: S,
  verb: (ctx: Parameters<ApiOperation<S, T>["verb"]>[0], input: z.infer<S>) => Promise<T>,
  extra: Partial<ApiOperation<S, T>> = {},
) {
  return defineOperation<S, T>({
    operationId: `${action}Machine`,
    method: "POST",
    path: `/machines/{machineId}/${action}`,
    tag: "Machines",
    summary,
    description: "Queues an operation and answers at once (202); the machine moves through a transitional state while the worker runs it.",
    pathParams: { machineId: "The machine's id." },
    input,
    verb,
    status: 202,
    response: R.operationRequested,
    errors: ["VALIDATION", "FORBIDDEN", "NOT_FOUND", "CONFLICT", "QUOTA_EXCEEDED"],
    ...extra,
  });
}

export const startMachineOp = day2("start", "Start a stopped machine", machineIdSchema, startMachine);
export const stopMachineOp = day2("stop", "Stop a running machine", machineIdSchema, stopMachine);
export const rebootMachineOp = day2("reboot", "Reboot a running machine", machineIdSchema, rebootMachine);
export const resizeMachineOp = day2("resize", "Move a machine to another offering", resizeMachineSchema, resizeMachine, {
  body: resizeMachineSchema.omit({ machineId: true }),
});
export const deleteMachineOp = day2("delete", "Delete a machine and its storage", deleteMachineSchema, deleteMachine, {
  body: deleteMachineSchema.omit({ machineId: true }),
  description: "`confirmName` must be the machine's exact name: a guard against deleting the wrong machine. Answers 202; the machine goes to DELETING.",
});
export const createSnapshotOp = day2("snapshots", "Take a snapshot", createSnapshotSchema, createSnapshot, {
  operationId: "createSnapshot",
  body: createSnapshotSchema.omit({ machineId: true }),
});
export const revertSnapshotOp = day2("revert", "Revert a machine to a snapshot", snapshotRefSchema, revertSnapshot, {
  operationId: "revertSnapshot",
  path: "/machines/{machineId}/snapshots/{snapshotId}/revert",
  pathParams: { machineId: "The machine's id.", snapshotId: "The snapshot's id." },
});
export const deleteSnapshotOp = day2("delete", "Delete a snapshot", snapshotRefSchema, deleteSnapshot, {
  operationId: "deleteSnapshot",
  path: "/machines/{machineId}/snapshots/{snapshotId}/delete",
  pathParams: { machineId: "The machine's id.", snapshotId: "The snapshot's id." },
});

export const retryOperationOp = day2("retry", "Retry a failed operation", retryOperationSchema, retryOperation, {
  operationId: "retryOperation",
  path: "/machines/{machineId}/operations/{operationId}/retry",
  pathParams: { machineId: "The machine's id.", operationId: "The failed operation's id." },
  description:
    "Queues a new operation of the same kind with the same parameters, through the same checks as asking for it anew (permission, project policy, state, quota). Only the machine's latest operation, when it failed and was not retried yet (CONFLICT otherwise). Answers 202.",
});

export const renameMachineOp = defineOperation({
  operationId: "renameMachine",
  method: "POST",
  path: "/machines/{machineId}/rename",
  tag: "Machines",
  summary: "Rename a machine",
  description:
    "The name is a DNS label, unique in the project. Where the provider renames machines the provider gets it too: `provider` says `renamed`, `portal` (the provider keeps its own names) or `failed` (the portal has the new name; call again with the same name to repeat the provider call).",
  pathParams: { machineId: "The machine's id." },
  body: renameMachineSchema.omit({ machineId: true }),
  input: renameMachineSchema,
  verb: renameMachine,
  response: R.machineRenamed,
  errors: ["VALIDATION", "FORBIDDEN", "NOT_FOUND", "CONFLICT"],
});

export const setMachineTagsOp = defineOperation({
  operationId: "setMachineTags",
  method: "POST",
  path: "/machines/{machineId}/tags",
  tag: "Machines",
  summary: "Replace a machine's tags",
  description: "`tags` is one `key=value` a line (keys: lower-case letters, digits, dots, hyphens, underscores; at most 50 tags).",
  pathParams: { machineId: "The machine's id." },
  body: setMachineTagsSchema.omit({ machineId: true }),
  input: setMachineTagsSchema,
  verb: setMachineTags,
  response: R.machineTags,
  errors: ["VALIDATION", "FORBIDDEN", "NOT_FOUND", "CONFLICT"],
});

export const transferMachineOp = defineOperation({
  operationId: "transferMachine",
  method: "POST",
  path: "/machines/{machineId}/transfer",
  tag: "Machines",
  summary: "Transfer a machine to another member of its project",
  description: "By its owner or an approver of the project; the new owner (a member or approver, not a viewer) is notified.",
  pathParams: { machineId: "The machine's id." },
  body: transferMachineSchema.omit({ machineId: true }),
  input: transferMachineSchema,
  verb: transferMachine,
  response: R.machineTransferred,
  errors: ["VALIDATION", "FORBIDDEN", "NOT_FOUND", "CONFLICT"],
});

export const bulkMachineOperationOp = defineOperation({
  operationId: "bulkMachineOperation",
  method: "POST",
  path: "/machines/bulk",
  tag: "Machines",
  summary: "Start, stop or delete several machines",
  description:
    "Each machine goes through the same checks as its own action (permission, project policy, state) and is queued on its own: the answer (200) gives one result per machine, the refused ones with their reason. `delete` needs `confirmCount` equal to the number of ids.",
  body: bulkMachineOperationSchema,
  input: bulkMachineOperationSchema,
  verb: bulkMachineOperation,
  response: R.bulkOperationResult,
  errors: ["VALIDATION"],
  examples: {
    request: { action: "stop", machineIds: ["0b6e3f4e-9d0c-4f7e-8a53-2f1c0d9e7a11", "5c1d2e3f-4a5b-4c6d-8e7f-9a0b1c2d3e4f"] },
    response: {
      results: [
        { machineId: "0b6e3f4e-9d0c-4f7e-8a53-2f1c0d9e7a11", name: "web-01", ok: true, operationId: "7d1e2f3a-4b5c-4d6e-8f7a-9b0c1d2e3f4a", state: "STOPPING" },
        { machineId: "5c1d2e3f-4a5b-4c6d-8e7f-9a0b1c2d3e4f", name: "web-02", ok: false, code: "CONFLICT", reason: "Stop is not possible while the machine is STOPPED (it needs RUNNING)" },
      ],
      succeeded: 1,
      failed: 1,
    },
  },
});

export const listAuditEventsOp = defineOperation({
  operationId: "listAuditEvents",
  method: "GET",
  path: "/audit-events",
  tag: "Audit",
  summary: "Read the audit log (administrators)",
  description: "Newest first, keyset pages: pass `olderCursor` as `after` for the next page. Dates (from, to) are calendar days in the server's time zone.",
  query: Q.auditQuery,
  input: auditFilterSchema,
  verb: (ctx, input) => listAuditEvents(ctx, input),
  present: (r) => ({ items: r.events, olderCursor: r.olderCursor, newerCursor: r.newerCursor }),
  response: R.auditEventList,
  errors: ["VALIDATION", "FORBIDDEN"],
});

/** In document order. */
export const API_OPERATIONS: readonly ApiOperation[] = [
  listOfferingsOp,
  listTemplatesOp,
  listProjectsOp,
  listRequestsOp,
  submitRequestOp,
  cancelRequestOp,
  listApprovalsOp,
  approveRequestOp,
  rejectRequestOp,
  bulkDecideOp,
  listMachinesOp,
  getMachineOp,
  listMachineOperationsOp,
  startMachineOp,
  stopMachineOp,
  bulkMachineOperationOp,
  rebootMachineOp,
  resizeMachineOp,
  deleteMachineOp,
  createSnapshotOp,
  retryOperationOp,
  renameMachineOp,
  setMachineTagsOp,
  transferMachineOp,
  revertSnapshotOp,
  deleteSnapshotOp,
  listAuditEventsOp,
  ...COST_API_OPERATIONS,
  ...MONITORING_API_OPERATIONS,
  ...ACCESS_API_OPERATIONS,
  ...STACK_API_OPERATIONS,
  ...SCALING_API_OPERATIONS,
  ADMIN.requestLeaseExtensionOp,
  ADMIN.listLeaseExtensionsOp,
  ADMIN.approveLeaseExtensionOp,
  ADMIN.rejectLeaseExtensionOp,
  ADMIN.listNotificationsOp,
  ADMIN.markNotificationReadOp,
  ADMIN.markAllNotificationsReadOp,
  ADMIN.listTokensOp,
  ADMIN.createTokenOp,
  ADMIN.revokeTokenOp,
  ADMIN.listSessionsOp,
  ADMIN.signOutEverywhereOp,
  ADMIN.changePasswordOp,
  ADMIN.adminListOfferingsOp,
  ADMIN.adminCreateOfferingOp,
  ADMIN.adminGetOfferingOp,
  ADMIN.adminUpdateOfferingOp,
  ADMIN.adminSetOfferingActiveOp,
  ADMIN.adminDeleteOfferingOp,
  ADMIN.adminListTemplatesOp,
  ADMIN.adminCreateTemplateOp,
  ADMIN.adminGetTemplateOp,
  ADMIN.adminUpdateTemplateOp,
  ADMIN.adminSetTemplateActiveOp,
  ADMIN.adminDeleteTemplateOp,
  ADMIN.adminSetTemplateProviderRefsOp,
  ADMIN.adminListProjectsOp,
  ADMIN.adminCreateProjectOp,
  ADMIN.adminGetProjectOp,
  ADMIN.adminUpdateProjectOp,
  ADMIN.adminSetProjectArchivedOp,
  ADMIN.adminDeleteProjectOp,
  ADMIN.adminSetProjectProvidersOp,
  ADMIN.adminAddMemberOp,
  ADMIN.adminChangeMemberRoleOp,
  ADMIN.adminRemoveMemberOp,
  ADMIN.adminListProvidersOp,
  ADMIN.adminCreateProviderOp,
  ADMIN.adminGetProviderOp,
  ADMIN.adminUpdateProviderOp,
  ADMIN.adminTestProviderOp,
  ADMIN.adminDiscoverHostsOp,
  ADMIN.adminSyncProviderOp,
  ADMIN.adminSetProviderEnabledOp,
  ADMIN.adminDeleteProviderOp,
  ADMIN.adminSetOfferingSizesOp,
  ADMIN.adminImportUnmanagedOp,
  ADMIN.adminListHostsOp,
  ADMIN.adminSetHostMaintenanceOp,
  ADMIN.adminListSimFaultsOp,
  ADMIN.adminAddSimFaultOp,
  ADMIN.adminRemoveSimFaultOp,
  ADMIN.adminListUsersOp,
  ADMIN.adminGetUserOp,
  ADMIN.adminSetUserDisabledOp,
  ADMIN.adminRevokeUserAccessOp,
  ADMIN.adminDeleteUserOp,
  ADMIN.adminGetReconcileOp,
  ADMIN.adminRunCountersReconcileOp,
  // Backups, schedules, maintenance (lib/api/operations-ops.ts).
  ...OPERATIONS_API,
  ...IDENTITY_OPERATIONS,
  // Container workloads (lib/api/workload-operations.ts).
  ...WORKLOAD_API_OPERATIONS,
  ...REQUEST_PAGE_API_OPERATIONS,
] as unknown as readonly ApiOperation[];

/** The operations of one path, by method (route files bind them with apiRoute). */
export function operationsAt(path: string): Partial<Record<ApiOperation["method"], ApiOperation>> {
  const out: Partial<Record<ApiOperation["method"], ApiOperation>> = {};
  for (const op of API_OPERATIONS) if (op.path === path) out[op.method] = op;
  if (!Object.keys(out).length) throw new Error(`no API operation at ${path}`);
  return out;
}
