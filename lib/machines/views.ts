// What machine pages and the polling route handlers receive: plain JSON (dates as ISO
// strings), so the server-rendered first paint and each poll have the same shape.
import type { MachineState, OperationKind, OperationStatus, ProviderKind } from "../generated/prisma/enums";
import type { Day2Kind, Unavailable } from "./available-actions";

import type { PlacementView } from "../costs/placement-view";
import type { AccessView } from "../access/injection";
import type { ConsoleKind } from "../console/availability";

export interface OperationView {
  id: string;
  kind: OperationKind;
  status: OperationStatus;
  progress: number;
  attempts: number;
  params: Record<string, unknown>;
  errorCode: string | null;
  error: string | null;
  requestedBy: string | null;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  /** Provisions: where the project's placement policy put the machine, and why (lib/costs). */
  placement?: PlacementView | null;
  /** The phase the worker reported (lib/orchestration/phases.ts), step i of n; null before it runs. */
  phase?: string | null;
  phaseStep?: number;
  phaseSteps?: number;
  /** A queued retry: when the next attempt runs, and how many attempts the provider allows. */
  nextAttemptAt?: string | null;
  maxAttempts?: number | null;
  /** This operation repeats a failed one (Retry). */
  retryOfId?: string | null;
  /** The actor may Retry this failed operation now (lib/machines/retry-operation.ts). */
  retryable?: boolean;
}

export interface MachineListItem {
  id: string;
  name: string;
  state: MachineState;
  projectId: string;
  projectName: string;
  offeringName: string;
  templateName: string;
  providerName: string | null;
  hostName: string | null;
  ipAddress: string | null;
  /** What the machine's reservation costs a month, in cents. */
  monthlyCents: number;
  leaseEndsAt: string | null;
  currentOperation: Pick<OperationView, "id" | "kind" | "status" | "progress"> | null;
  updatedAt: string;
}

export interface MachineList {
  items: MachineListItem[];
  /** Exact up to COUNT_CAP (lib/pagination.ts); COUNT_CAP with totalCapped above it. */
  total: number;
  totalCapped: boolean;
  /** The page number asked for; 0 for a keyset (cursor) page. */
  page: number;
  pageCount: number;
  /** Cursor of the next (older) page; null on the last page. */
  nextCursor: string | null;
  /** The projects the actor may filter by. */
  projects: { id: string; name: string }[];
  /** The providers the actor's machines run on (the provider filter's choices; pages only). */
  providers?: { id: string; name: string }[];
  /** Some machine is in a transitional state: poll fast. */
  busy: boolean;
}

export interface ResizeOption {
  id: string;
  name: string;
  vcpu: number;
  memoryMb: number;
  diskGb: number;
  diskTier: string;
  monthlyPriceCents: number;
  /** Monthly cost change against the current offering (negative: cheaper). */
  costDeltaCents: number;
  /** The machine's own offering (listed, marked, not selectable). */
  current: boolean;
  /** Why it cannot be chosen: a smaller disk, or another disk tier the provider cannot move to. */
  unavailable: "disk" | "tier" | null;
}

export interface MachineDetail {
  id: string;
  name: string;
  state: MachineState;
  version: number;
  busy: boolean;
  project: { id: string; name: string; maxLeaseDays: number | null };
  owner: { id: string; name: string; email: string };
  requestNumber: number | null;
  offering: { id: string; name: string; vcpu: number; memoryMb: number; diskGb: number; diskTier: string; monthlyPriceCents: number };
  template: { name: string; osName: string; osVersion: string };
  /** `console`: the kind of browser console its machines have (null: none; availability.ts). */
  provider: { name: string; kind: ProviderKind; console: ConsoleKind | null } | null;
  hostName: string | null;
  ipAddress: string | null;
  /** Connection details: the SSH keys injected at provision and the login user (lib/access). */
  access: AccessView;
  leaseEndsAt: string | null;
  failureCode: string | null;
  failureReason: string | null;
  createdAt: string;
  currentOperation: OperationView | null;
  /** The most recent finished operation, when it failed: its error is shown in plain words. */
  lastFailure: OperationView | null;
  operations: OperationView[];
  snapshots: { id: string; name: string; createdAt: string }[];
  pendingExtension: { id: string; newEndsAt: string; reason: string; requestedBy: string; createdAt: string } | null;
  /** What the actor may do here. */
  canOperate: boolean;
  canExtendLease: boolean;
  /** An approver of the project (or an administrator): links to the lease extensions page. */
  canDecideExtensions: boolean;
  actions: Record<Day2Kind, Unavailable | null>;
  resizeOptions: ResizeOption[];
  /** The provider can move disks between tiers on a resize (its profile's `migratesDiskTier`). */
  migratesDiskTier: boolean;
  /** Owner-given key=value labels. */
  tags: Record<string, string>;
  /** Rename and tags: whoever may operate it, until it is being deleted. */
  canEditDetails: boolean;
  /** The provider takes the new name too (else the portal name only). */
  providerRenames: boolean;
  /** The owner or an approver of the project may hand it to another member. */
  canTransfer: boolean;
  /** Who it may be transferred to: the project's active members and approvers but the owner. */
  transferCandidates: { id: string; name: string; email: string }[];
}
