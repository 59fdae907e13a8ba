// Zod schemas of what the API answers: they document the responses in the OpenAPI document
// and the integration tests parse real responses with them, so the document cannot drift
// from what the handlers send. Dates travel as ISO 8601 strings.
import { z } from "zod";
import { MachineState, OperationKind, OperationStatus, ProjectRole, ProviderKind, RequestStatus } from "../generated/prisma/enums";

const id = z.uuid();
const dateTime = z.iso.datetime({ offset: true });
const nullableDateTime = dateTime.nullable();
const named = z.object({ id, name: z.string() });
const diskTier = z.enum(["SSD", "HDD"]);
const day2Kind = z.enum(["START", "STOP", "REBOOT", "RESIZE", "SNAPSHOT_CREATE", "SNAPSHOT_REVERT", "SNAPSHOT_DELETE", "DELETE", "BACKUP", "RESTORE"]);

export const errorResponse = z
  .object({
    error: z.object({
      code: z.enum(["VALIDATION", "UNAUTHENTICATED", "FORBIDDEN", "NOT_FOUND", "METHOD_NOT_ALLOWED", "CONFLICT", "QUOTA_EXCEEDED", "NO_CAPACITY", "RATE_LIMITED", "PAYLOAD_TOO_LARGE", "DRIVER_ERROR", "INTERNAL"]),
      message: z.string().meta({ description: "English text for people." }),
      details: z
        .record(z.string(), z.unknown())
        .optional()
        .meta({
          description:
            "VALIDATION: `fields` maps each field (dotted path) to English messages and `fieldKeys` to the message keys they came from. Other codes may add context (for example `resources` for QUOTA_EXCEEDED).",
        }),
      correlationId: z.string().optional().meta({ description: "Quote it when reporting a problem: the server log has the details." }),
    }),
  })
  .meta({ id: "Error" });

export const offeringList = z.object({
  items: z.array(
    z.object({
      id,
      name: z.string(),
      description: z.string(),
      vcpu: z.int(),
      memoryMb: z.int(),
      diskGb: z.int(),
      diskTier,
      monthlyPriceCents: z.int(),
    }),
  ),
  currency: z.string().meta({ description: "ISO 4217 code of every *Cents amount." }),
});

export const templateList = z.object({
  items: z.array(
    z.object({
      id,
      name: z.string(),
      description: z.string(),
      osFamily: z.enum(["LINUX", "WINDOWS"]),
      osName: z.string(),
      osVersion: z.string(),
      minDiskGb: z.int(),
    }),
  ),
});

export const projectList = z.object({
  items: z.array(
    z.object({
      id,
      name: z.string(),
      slug: z.string(),
      description: z.string(),
      archived: z.boolean(),
      role: z.enum(ProjectRole).nullable().meta({ description: "Your role in the project; null for an administrator who is not a member." }),
      maxLeaseDays: z.int().nullable(),
      quota: z.object({
        vcpu: z.int(),
        memoryMb: z.int(),
        diskSsdGb: z.int(),
        diskHddGb: z.int(),
        machines: z.int(),
        monthlyBudgetCents: z.int().nullable(),
      }),
      used: z.object({
        vcpu: z.int(),
        memoryMb: z.int(),
        diskSsdGb: z.int(),
        diskHddGb: z.int(),
        machines: z.int(),
        monthlyCents: z.int(),
      }),
    }),
  ),
});

const pageInfo = {
  page: z.int(),
  pageCount: z.int(),
  total: z.int(),
};

export const requestList = z.object({
  items: z.array(
    z.object({
      id,
      number: z.int(),
      status: z.enum(RequestStatus),
      createdAt: dateTime,
      decidedAt: nullableDateTime,
      decisionReason: z.string().nullable(),
      decidedBy: named.nullable(),
      autoApproved: z.boolean(),
      monthlyCostCents: z.int(),
      quantity: z.int(),
      names: z.array(z.string()),
      leaseEndsAt: nullableDateTime,
      project: named,
      offering: named,
      template: named,
      cancellable: z.boolean(),
    }),
  ),
  ...pageInfo,
  totalCapped: z.boolean().meta({ description: "True when there are more than `total` (counts stop at 10,000)." }),
  nextCursor: z.string().nullable().meta({ description: "Pass as `cursor` (with the same `sort` and `dir`) for the next page; null on the last page. With a cursor, `page` is 0." }),
  currency: z.string(),
});

export const submittedRequest = z.object({
  id,
  number: z.int(),
  status: z.enum(RequestStatus),
  autoApproved: z.boolean(),
  monthlyCostCents: z.int(),
});

export const requestRef = z.object({ requestId: id });

export const approvalResult = z.object({
  requestId: id,
  machineIds: z.array(id),
  operationIds: z.array(id),
  waitingStage: z
    .object({ position: z.int(), name: z.string() })
    .nullable()
    .meta({ description: "With approval stages: the stage the request now waits at (no machines yet); null: approved." }),
});

export const operationRequested = z.object({
  operationId: id,
  machineId: id,
  state: z.enum(MachineState).meta({ description: "The machine's state now (transitional until the worker finishes)." }),
});

export const machineRenamed = z.object({
  machineId: id,
  name: z.string(),
  provider: z.enum(["renamed", "portal", "failed"]).meta({ description: "Whether the provider took the name too." }),
  providerError: z.string().nullable().meta({ description: "Why the provider did not (when `failed`)." }),
});

export const machineTags = z.object({ machineId: id, tags: z.record(z.string(), z.string()) });

export const machineTransferred = z.object({ machineId: id, ownerId: id });

export const bulkOperationResult = z.object({
  results: z
    .array(
      z.object({
        machineId: id,
        name: z.string().nullable().meta({ description: "The machine's name; null when it was not found." }),
        ok: z.boolean().meta({ description: "Whether the operation was queued for this machine." }),
        operationId: id.optional().meta({ description: "The queued operation (when ok)." }),
        state: z.enum(MachineState).optional().meta({ description: "The machine's state now (when ok)." }),
        code: z.string().optional().meta({ description: "Why it was refused (when not ok): an error code such as `CONFLICT`, `FORBIDDEN` or `NOT_FOUND`." }),
        reason: z.string().optional().meta({ description: "The refusal in plain words (when not ok)." }),
      }),
    )
    .meta({ description: "One result per machine, in the order given." }),
  succeeded: z.number().int(),
  failed: z.number().int(),
});

export const operationView = z
  .object({
    id,
    kind: z.enum(OperationKind),
    status: z.enum(OperationStatus),
    progress: z.int(),
    attempts: z.int(),
    params: z.record(z.string(), z.unknown()),
    errorCode: z.string().nullable(),
    error: z.string().nullable(),
    requestedBy: z.string().nullable(),
    createdAt: dateTime,
    startedAt: nullableDateTime,
    finishedAt: nullableDateTime,
    placement: z
      .object({ policy: z.string(), providerName: z.string(), monthly: z.number().nullable(), skipped: z.array(z.string()), currency: z.string().nullable() })
      .nullable()
      .optional()
      .meta({ description: "Provisions: the provider the project's placement policy chose, its monthly price in millicents, and the preferred providers that had no room." }),
    phase: z.string().nullable().optional().meta({ description: "The phase the worker is in (placing, creating, working, finishing, ...); null before it runs." }),
    phaseStep: z.int().optional().meta({ description: "The phase's position, 1-based, among `phaseSteps`." }),
    phaseSteps: z.int().optional().meta({ description: "How many phases this kind of operation has." }),
    nextAttemptAt: nullableDateTime.optional().meta({ description: "A queued retry: when its next attempt runs." }),
    maxAttempts: z.int().nullable().optional().meta({ description: "A queued retry: how many attempts the provider allows." }),
    retryOfId: id.nullable().optional().meta({ description: "The failed operation this one retries." }),
    retryable: z.boolean().optional().meta({ description: "The last failure: whether you may retry it now (POST /machines/{machineId}/operations/{operationId}/retry)." }),
  })
  .meta({ id: "Operation" });

export const operationList = z.object({
  items: z.array(operationView),
  nextCursor: z.string().nullable().meta({ description: "Pass as `cursor` for the next (older) page; null on the last page." }),
});

export const machineList = z.object({
  items: z.array(
    z.object({
      id,
      name: z.string(),
      state: z.enum(MachineState),
      projectId: id,
      projectName: z.string(),
      offeringName: z.string(),
      templateName: z.string(),
      providerName: z.string().nullable(),
      hostName: z.string().nullable(),
      ipAddress: z.string().nullable(),
      monthlyCents: z.int().meta({ description: "What the machine's reservation costs a month, in cents." }),
      leaseEndsAt: nullableDateTime,
      currentOperation: z.object({ id, kind: z.enum(OperationKind), status: z.enum(OperationStatus), progress: z.int() }).nullable(),
      updatedAt: dateTime,
    }),
  ),
  ...pageInfo,
  totalCapped: z.boolean().meta({ description: "True when there are more than `total` (counts stop at 10,000)." }),
  nextCursor: z.string().nullable().meta({ description: "Pass as `cursor` (with the same `sort` and `dir`) for the next page; null on the last page." }),
});

export const machineDetail = z.object({
  id,
  name: z.string(),
  state: z.enum(MachineState),
  version: z.int(),
  busy: z.boolean(),
  project: z.object({ id, name: z.string(), maxLeaseDays: z.int().nullable() }),
  owner: z.object({ id, name: z.string(), email: z.string() }),
  offering: z.object({ id, name: z.string(), vcpu: z.int(), memoryMb: z.int(), diskGb: z.int(), diskTier: z.string(), monthlyPriceCents: z.int() }),
  template: z.object({ name: z.string(), osName: z.string(), osVersion: z.string() }),
  provider: z.object({ name: z.string(), kind: z.enum(ProviderKind) }).nullable(),
  hostName: z.string().nullable(),
  ipAddress: z.string().nullable(),
  access: z
    .object({
      recorded: z.boolean().meta({ description: "false: provisioned before SSH key injection (nothing known)." }),
      noGuest: z.boolean().meta({ description: "true: the provider's hypervisor runs no guest (libvirt's test driver): nothing boots and nothing was injected." }),
      method: z.enum(["lxd", "libvirt", "ec2", "vsphere", "docker", "simulator"]).nullable().meta({ description: "How the keys and user data went in; null: the provider cannot inject." }),
      user: z.string().meta({ description: "The template's login user (\"\" when it does not say)." }),
      keys: z.array(z.object({ name: z.string(), fingerprint: z.string() })),
      ref: z.string().nullable().meta({ description: "The provider's name for the machine (container name for exec)." }),
    })
    .meta({ description: "Connection details: the SSH keys injected at provision (cloud-init) and the login user." }),
  leaseEndsAt: nullableDateTime,
  failureCode: z.string().nullable(),
  failureReason: z.string().nullable(),
  createdAt: dateTime,
  currentOperation: operationView.nullable(),
  lastFailure: operationView.nullable(),
  operations: z.array(operationView).meta({ description: "The latest 100; GET /machines/{machineId}/operations pages through all." }),
  snapshots: z.array(z.object({ id, name: z.string(), createdAt: dateTime })),
  pendingExtension: z
    .object({ id, newEndsAt: dateTime, reason: z.string(), requestedBy: z.string(), createdAt: dateTime })
    .nullable(),
  canOperate: z.boolean(),
  canExtendLease: z.boolean(),
  canDecideExtensions: z.boolean(),
  actions: z
    .record(day2Kind, z.enum(["state", "disabled", "capability"]).nullable())
    .meta({ description: "Per day-2 action: null when available, else why not (state, disabled by project policy, provider capability)." }),
  resizeOptions: z.array(
    z.object({
      id,
      name: z.string(),
      vcpu: z.int(),
      memoryMb: z.int(),
      diskGb: z.int(),
      diskTier: z.string(),
      monthlyPriceCents: z.int(),
      costDeltaCents: z.int(),
      current: z.boolean().optional().meta({ description: "The machine's own offering (listed for comparison)." }),
      unavailable: z.enum(["disk", "tier"]).nullable().optional().meta({ description: "Why it cannot be chosen: a smaller disk, or another disk tier the provider cannot move disks to." }),
    }),
  ),
  migratesDiskTier: z.boolean().optional().meta({ description: "Whether the provider can move the disk to another tier on a resize." }),
  tags: z.record(z.string(), z.string()).optional().meta({ description: "Owner-given key=value labels." }),
  canEditDetails: z.boolean().optional().meta({ description: "Whether you may rename and tag it." }),
  providerRenames: z.boolean().optional().meta({ description: "Whether a rename reaches the provider too (else the portal name only)." }),
  canTransfer: z.boolean().optional().meta({ description: "Whether you may transfer it to another member of the project." }),
  transferCandidates: z
    .array(z.object({ id, name: z.string(), email: z.string() }))
    .optional()
    .meta({ description: "Who it may be transferred to." }),
});

export const auditEventList = z.object({
  items: z.array(
    z.object({
      id: z.string().meta({ description: "Event number (64-bit, as text)." }),
      at: dateTime,
      actorEmail: z.string().nullable(),
      action: z.string(),
      targetType: z.string(),
      targetId: z.string().nullable(),
      projectId: id.nullable(),
      projectName: z.string().nullable(),
      targetName: z.string().nullable().meta({ description: "The target's current name (a machine's name, a user's e-mail, a request's `#number`); null when it is gone or has none." }),
      before: z.unknown(),
      after: z.unknown(),
      correlationId: z.string().nullable(),
    }),
  ),
  olderCursor: z.string().nullable().meta({ description: "Pass as `after` for the next (older) page; null on the last page." }),
  newerCursor: z.string().nullable().meta({ description: "Pass as `before` for the previous (newer) page; null on the first page." }),
});

export const bulkDecisionResult = z.object({
  results: z
    .array(
      z.object({
        requestId: id,
        number: z.int().nullable().meta({ description: "The request's number; null when it was not found." }),
        ok: z.boolean().meta({ description: "Whether it was decided (when false: skipped, see `code` and `reason`)." }),
        status: z.enum(["APPROVED", "REJECTED", "PENDING_APPROVAL"]).optional().meta({ description: "The request's status now (when ok); PENDING_APPROVAL: a stage was approved and it waits at `waitingStage`." }),
        waitingStage: z.object({ position: z.int(), name: z.string() }).nullable().optional().meta({ description: "With approval stages: the stage it now waits at (when ok)." }),
        code: z.string().optional().meta({ description: "Why it was skipped (when not ok): an error code such as `FORBIDDEN`, `CONFLICT`, `NOT_FOUND` or `QUOTA_EXCEEDED`." }),
        reason: z.string().optional().meta({ description: "The reason in plain words (when not ok)." }),
      }),
    )
    .meta({ description: "One result per request, in the order given." }),
  decided: z.int(),
  skipped: z.int(),
});

export const approvalList = z.object({
  items: z.array(
    z.object({
      id,
      number: z.int(),
      createdAt: dateTime,
      quantity: z.int(),
      names: z.array(z.string()),
      justification: z.string(),
      leaseEndsAt: nullableDateTime,
      monthlyCostCents: z.int(),
      requester: z.object({ id, name: z.string(), email: z.string() }),
      project: named,
      offering: z.object({ id, name: z.string(), vcpu: z.int(), memoryMb: z.int(), diskGb: z.int(), diskTier, monthlyPriceCents: z.int() }),
      template: named,
      ownRequest: z.boolean().meta({ description: "Your own request: another approver must decide it." }),
      stage: z
        .object({ position: z.int(), name: z.string(), step: z.int(), of: z.int() })
        .nullable()
        .meta({ description: "The approval stage the request waits at (step of the stages that apply to it); null: the project's approvers decide in one step." }),
    }),
  ),
  ...pageInfo,
  nextCursor: z.string().nullable().meta({ description: "Pass as `cursor` (with the same `sort` and `dir`) for the next page; null on the last page. With a cursor, `page` is 0." }),
  currency: z.string(),
});
