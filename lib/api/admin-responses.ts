// Response schemas of the administration and account operations (lib/api/admin-operations.ts).
// As in responses.ts, they document the answers and the handler parses every answer with
// them (unknown keys are dropped), so nothing undocumented, such as a credential, leaves.
import { z } from "zod";
import { SIM_FAULT_MODES } from "../simulator/schemas";
import { DiskTier, HostState, MachineState, OsFamily, PlacementPolicy, ProjectRole, ProviderKind, ProviderStatus } from "../generated/prisma/enums";

const id = z.uuid();
const dateTime = z.iso.datetime({ offset: true });
const nullableDateTime = dateTime.nullable();
const pageInfo = { page: z.int().min(1), pageCount: z.int().min(1), total: z.int().min(0) };
const day2 = z.enum(["START", "STOP", "REBOOT", "RESIZE", "SNAPSHOT_CREATE", "SNAPSHOT_REVERT", "SNAPSHOT_DELETE", "BACKUP", "RESTORE", "DELETE"]);
const driverCode = z.enum(["AUTH", "NOT_FOUND", "UNSUPPORTED", "CAPACITY", "UNAVAILABLE", "PROVIDER", "TIMEOUT"]);

// Offerings
export const adminOffering = z
  .object({
    id,
    name: z.string(),
    description: z.string(),
    vcpu: z.int(),
    memoryMb: z.int(),
    diskGb: z.int(),
    diskTier: z.enum(DiskTier),
    monthlyPriceCents: z.int(),
    active: z.boolean(),
  })
  .meta({ id: "AdminOffering" });
export const adminOfferingDetail = adminOffering.extend({ inUse: z.boolean().meta({ description: "Requested or used by a machine: it can be deactivated, not deleted." }) });
export const adminOfferingList = z.object({
  items: z.array(adminOffering.extend({ machineCount: z.int().meta({ description: "Machines (not deleted) of this offering." }), inUse: z.boolean() })),
});
export const deleteOutcome = z.object({
  outcome: z.enum(["deleted", "deactivated", "archived"]).meta({ description: "`deleted` when nothing referred to it; otherwise it was deactivated (offerings, templates) or archived (projects) instead." }),
});

// Templates
export const adminTemplate = z
  .object({
    id,
    name: z.string(),
    osFamily: z.enum(OsFamily),
    osName: z.string(),
    osVersion: z.string(),
    description: z.string(),
    minDiskGb: z.int(),
    active: z.boolean(),
  })
  .meta({ id: "AdminTemplate" });
export const adminTemplateList = z.object({
  items: z.array(adminTemplate.extend({ machineCount: z.int(), providerCount: z.int().meta({ description: "Providers that can serve it (have a native reference)." }), inUse: z.boolean() })),
});
export const adminTemplateDetail = adminTemplate.extend({
  inUse: z.boolean(),
  providers: z.array(
    z.object({
      id,
      name: z.string(),
      kind: z.enum(ProviderKind),
      status: z.enum(ProviderStatus),
      ref: z.string().meta({ description: "The template's native reference on this provider; empty: the provider cannot serve it." }),
    }),
  ),
});
export const templateProviderRefs = z.object({
  providerRefs: z.record(z.uuid(), z.string()).meta({ description: "Provider id -> native reference, after the change." }),
  changed: z.boolean(),
});
export const projectProviders = z.object({
  changed: z.boolean().meta({ description: "false: the project already had exactly these providers and this default." }),
});
export const offeringSizes = z.object({
  changed: z.boolean(),
  sizes: z.record(z.uuid(), z.string()).meta({ description: "Offering id -> the provider's size (instance type, VM size), after the change." }),
});

// Projects
export const adminProject = z
  .object({
    id,
    name: z.string(),
    slug: z.string(),
    description: z.string(),
    quotaVcpu: z.int(),
    quotaMemoryMb: z.int(),
    quotaDiskSsdGb: z.int(),
    quotaDiskHddGb: z.int(),
    quotaMachines: z.int(),
    monthlyBudgetCents: z.int().nullable(),
    autoApproveBelowCents: z.int().nullable(),
    maxLeaseDays: z.int().nullable(),
    leaseGraceDays: z.int(),
    disabledActions: z.array(day2),
    timeZone: z.string().meta({ description: "IANA time zone of the project's schedules and backup policies." }),
    usedVcpu: z.int(),
    usedMemoryMb: z.int(),
    usedDiskSsdGb: z.int(),
    usedDiskHddGb: z.int(),
    usedMachines: z.int(),
    usedMonthlyCents: z.int(),
    archived: z.boolean(),
  })
  .meta({ id: "AdminProject" });
export const adminProjectList = z.object({ items: z.array(adminProject.extend({ memberCount: z.int(), hasHistory: z.boolean() })) });
export const projectMember = z.object({
  userId: id,
  role: z.enum(ProjectRole),
  email: z.string(),
  name: z.string(),
  disabled: z.boolean(),
  since: dateTime,
});
export const adminProjectDetail = adminProject.extend({ hasHistory: z.boolean(), members: z.array(projectMember) });
export const memberAdded = z.object({ projectId: id, userId: id, role: z.enum(ProjectRole), email: z.string(), name: z.string() });
export const memberRef = z.object({ projectId: id, userId: id });
export const memberRole = memberRef.extend({ role: z.enum(ProjectRole) });

// Providers and hosts
const resourceUsage = z.object({
  used: z.int(),
  total: z.int().meta({ description: "Physical total." }),
  capacity: z.int().meta({ description: "What placement may allocate: floor(total x ratio)." }),
  ratio: z.number(),
});
const usage = z.object({ vcpu: resourceUsage, memoryMb: resourceUsage, diskSsdGb: resourceUsage, diskHddGb: resourceUsage }).meta({ id: "CapacityUsage" });
export const adminProviderList = z.object({
  items: z.array(
    z.object({
      id,
      name: z.string(),
      kind: z.enum(ProviderKind),
      status: z.enum(ProviderStatus),
      statusReason: z.string().nullable(),
      endpoint: z.string(),
      placementPolicy: z.enum(PlacementPolicy),
      hostCount: z.int(),
      hostsInMaintenance: z.int(),
      machineCount: z.int(),
      lastSyncAt: nullableDateTime,
      usage,
    }),
  ),
});
export const adminProviderDetail = z.object({
  id,
  name: z.string(),
  kind: z.enum(ProviderKind),
  endpoint: z.string(),
  config: z.record(z.string(), z.unknown()).meta({ description: "The stored settings of the kind (no secrets: those are credentials)." }),
  credentialsSet: z.boolean().meta({ description: "Whether credentials are stored. They are never sent back, sealed or not." }),
  cpuOvercommit: z.number(),
  memoryOvercommit: z.number(),
  diskOvercommit: z.number(),
  placementPolicy: z.enum(PlacementPolicy),
  status: z.enum(ProviderStatus),
  statusReason: z.string().nullable(),
  lastSyncAt: nullableDateTime,
  hostCount: z.int(),
  liveMachineCount: z.int().meta({ description: "Machines not deleted on this provider: while there are any, it cannot be deleted." }),
  driftedMachines: z.array(z.object({ id, name: z.string(), projectName: z.string(), state: z.string(), driftReason: z.string().nullable(), updatedAt: dateTime })),
  unmanagedMachines: z.array(
    z.object({
      id,
      ref: z.string(),
      name: z.string(),
      state: z.string(),
      vcpu: z.int().nullable(),
      memoryMb: z.int().nullable(),
      diskGb: z.int().nullable(),
      hostRef: z.string().nullable(),
      seenAt: dateTime,
    }),
  ),
});
export const providerRef = z.object({ id });
const failure = { ok: z.literal(false), code: driverCode, message: z.string() };
export const connectionResult = z.union([
  z.object({ ok: z.literal(true), version: z.string().nullable(), status: z.enum(ProviderStatus) }),
  z.object({ ...failure, status: z.enum(ProviderStatus) }),
]);
export const discoverResult = z.union([
  z.object({ ok: z.literal(true), created: z.array(z.string()), updated: z.array(z.string()), unchanged: z.array(z.string()), missing: z.array(z.string()) }),
  z.object(failure),
]);
export const syncResult = z.union([
  z.object({
    providerId: id,
    ok: z.literal(true),
    drifted: z.int(),
    cleared: z.int(),
    unmanaged: z.int(),
    seen: z.int(),
    reconcile: z.array(z.lazy(() => reconcileFinding)).describe("What the ownership reconcile of this pass found and did"),
  }),
  z.object({ providerId: id, ok: z.literal(false), code: z.union([driverCode, z.enum(["DISABLED", "NOT_FOUND"])]), message: z.string() }),
]);
export const providerEnabled = z.object({
  status: z.enum(ProviderStatus),
  connection: z.union([z.object({ ok: z.literal(true), version: z.string().nullable() }), z.object(failure)]).nullable(),
});
export const machineRef = z.object({ machineId: id });
export const hostList = z.object({
  items: z.array(
    z.object({
      id,
      name: z.string(),
      state: z.enum(HostState),
      provider: z.object({ id, name: z.string(), kind: z.enum(ProviderKind) }),
      machineCount: z.int(),
      usage,
    }),
  ),
  ...pageInfo,
  providers: z.array(z.object({ id, name: z.string() })).meta({ description: "Every provider, for a filter." }),
});
export const hostState = z.object({
  state: z.enum(HostState),
  drainId: id.nullable().meta({ description: "The drain that moves the machines off the host (entering maintenance); null otherwise." }),
});

// Simulator
export const simFaultList = z.object({
  items: z.array(
    z.object({
      id,
      name: z.string(),
      faults: z.array(
        z.object({
          id,
          providerId: id,
          operation: z.string(),
          mode: z.enum(SIM_FAULT_MODES),
          message: z.string(),
          remaining: z.int().nullable(),
          createdAt: dateTime,
        }),
      ),
    }),
  ),
});
export const idRef = z.object({ id });

// Leases
export const leaseExtensionList = z.object({
  items: z.array(
    z.object({
      id,
      machine: z.object({ id, name: z.string(), state: z.enum(MachineState), leaseEndsAt: nullableDateTime }),
      projectName: z.string(),
      requestedBy: z.object({ id, name: z.string() }),
      newEndsAt: dateTime,
      reason: z.string(),
      status: z.enum(["PENDING", "APPROVED", "REJECTED"]),
      decidedBy: z.string().nullable(),
      decidedAt: nullableDateTime,
      decisionReason: z.string().nullable(),
      createdAt: dateTime,
      canDecide: z.boolean().meta({ description: "False for your own requests: nobody decides their own." }),
    }),
  ),
  ...pageInfo,
});
export const leaseExtensionOutcome = z.union([
  z.object({ applied: z.literal(true).meta({ description: "Within the project's maximum: applied at once." }), leaseEndsAt: dateTime }),
  z.object({ applied: z.literal(false).meta({ description: "Beyond the maximum: waits for an approver." }), extensionId: id }),
]);
export const leaseDecision = z.object({ status: z.enum(["APPROVED", "REJECTED"]) });

// Notifications
export const notificationList = z.object({
  items: z.array(
    z.object({
      id,
      kind: z.string(),
      params: z.record(z.string(), z.union([z.string(), z.number(), z.null()])),
      link: z.string().nullable(),
      read: z.boolean(),
      createdAt: dateTime,
    }),
  ),
  unread: z.int(),
});
export const markedRead = z.object({ ok: z.literal(true) });
export const markedAll = z.object({ marked: z.int() });

// Users and account
export const adminUser = z
  .object({
    id,
    email: z.string(),
    name: z.string(),
    role: z.enum(["ADMIN", "USER"]),
    disabled: z.boolean(),
    lockedUntil: nullableDateTime.meta({ description: "When a lock from failed sign-ins ends; null when not locked." }),
    lastLoginAt: nullableDateTime,
    createdAt: dateTime,
    activeSessions: z.int(),
    activeTokens: z.int(),
    projects: z.int(),
  })
  .meta({ id: "AdminUser" });
export const adminUserList = z.object({ items: z.array(adminUser), ...pageInfo });
export const accessRevoked = z.object({ sessionsEnded: z.int(), tokensRevoked: z.int() });
export const sessionsEnded = z.object({ sessionsEnded: z.int() });
export const sessionList = z.object({
  items: z.array(
    z.object({
      id,
      createdAt: dateTime,
      lastSeenAt: dateTime,
      expiresAt: dateTime,
      userAgent: z.string(),
      ipAddress: z.string().nullable(),
      current: z.boolean().meta({ description: "The session making this call (cookie calls only)." }),
    }),
  ),
});
const tokenStatus = z.enum(["ACTIVE", "EXPIRED", "REVOKED"]);
export const tokenList = z.object({
  items: z.array(
    z.object({ id, name: z.string(), prefix: z.string(), createdAt: dateTime, lastUsedAt: nullableDateTime, expiresAt: nullableDateTime, revokedAt: nullableDateTime, status: tokenStatus }),
  ),
});
export const tokenCreated = z.object({
  id,
  name: z.string(),
  prefix: z.string(),
  expiresAt: nullableDateTime,
  createdAt: dateTime,
  secret: z.string().meta({ description: "The token itself: shown this once, never stored." }),
});
export const tokenRef = z.object({ tokenId: id });

// Reconcile
const reconcileRun = {
  id,
  trigger: z.string(),
  startedAt: dateTime,
  finishedAt: nullableDateTime,
  outcome: z.enum(["ok", "drift", "error"]).nullable().describe("null while the run is under way"),
  repaired: z.int(),
  error: z.string().nullable(),
};
const counterValues = z.record(z.string(), z.int());
const counterDrift = z.object({ kind: z.enum(["project", "host"]), id, name: z.string(), stored: counterValues, actual: counterValues });
const reconcileFinding = z.object({
  ref: z.string().describe("The provider's id of the resource"),
  machineId: id.nullable(),
  machineName: z.string().optional(),
  action: z.enum(["adopt", "cleanup", "destroy", "report"]),
  reason: z.string(),
  done: z.boolean(),
  error: z.string().optional(),
});
export const reconcileOverview = z.object({
  mode: z.enum(["repair", "report"]).describe("report: ORQ_RECONCILE_MODE=report, nothing is changed"),
  counters: z.array(z.object({ ...reconcileRun, drift: z.array(counterDrift) })),
  providers: z.array(
    z.object({
      id,
      name: z.string(),
      kind: z.enum(ProviderKind),
      status: z.enum(ProviderStatus),
      lastReconcileAt: nullableDateTime,
      last: z.object({ ...reconcileRun, findings: z.array(reconcileFinding) }).nullable(),
    }),
  ),
});
export const countersOutcome = z.object({ runId: id, drift: z.array(counterDrift), repaired: z.int() });
