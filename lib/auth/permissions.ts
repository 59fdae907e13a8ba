// The permissions table: who may do what, declared once, checked by every service verb.
// Fails closed: an action with no entry, or an actor with no matching role, is FORBIDDEN.
import type { ProjectRole, UserRole } from "../generated/prisma/enums";
import { forbidden } from "../errors";

export type Action =
  | "catalog.read"
  | "request.create"
  | "request.read"
  | "request.cancel"
  | "request.approve"
  | "machine.read"
  | "machine.operate"
  | "workload.read"
  | "workload.request"
  | "workload.operate"
  | "lease.extend"
  | "offering.manage"
  | "template.manage"
  | "project.read"
  | "project.manage"
  | "provider.manage"
  | "host.manage"
  | "audit.read"
  | "apitoken.manage"
  | "reconcile.run"
  | "cost.read"
  | "price.manage"
  | "account.manage"
  | "user.manage"
  | "backup.read"
  | "backup.manage"
  | "backuptarget.manage"
  | "schedule.manage"
  | "maintenance.manage"
  | "webhook.manage"
  | "integration.manage"
  | "alert.manage"
  | "stack.read"
  | "stack.write"
  | "scaling.manage"
  | "machine.console";

interface Rule {
  /** Global roles that may do this anywhere. */
  global?: readonly UserRole[];
  /** Project roles that may do this within their project. */
  project?: readonly ProjectRole[];
}

export const permissions: Record<Action, Rule> = {
  "catalog.read": { global: ["ADMIN", "USER"] },
  "request.create": { project: ["MEMBER", "APPROVER"] },
  "request.read": { global: ["ADMIN"], project: ["VIEWER", "MEMBER", "APPROVER"] },
  // The requester check (only your own request) lives in the verb; this says who may try.
  "request.cancel": { global: ["ADMIN"], project: ["MEMBER", "APPROVER"] },
  "request.approve": { global: ["ADMIN"], project: ["APPROVER"] },
  "machine.read": { global: ["ADMIN"], project: ["VIEWER", "MEMBER", "APPROVER"] },
  "machine.operate": { global: ["ADMIN"], project: ["MEMBER", "APPROVER"] },
  "workload.read": { global: ["ADMIN"], project: ["VIEWER", "MEMBER", "APPROVER"] },
  "workload.request": { global: ["ADMIN"], project: ["MEMBER", "APPROVER"] },
  "workload.operate": { global: ["ADMIN"], project: ["MEMBER", "APPROVER"] },
  "lease.extend": { global: ["ADMIN"], project: ["MEMBER", "APPROVER"] },
  "offering.manage": { global: ["ADMIN"] },
  "template.manage": { global: ["ADMIN"] },
  "project.read": { global: ["ADMIN"], project: ["VIEWER", "MEMBER", "APPROVER"] },
  "project.manage": { global: ["ADMIN"] },
  "provider.manage": { global: ["ADMIN"] },
  "host.manage": { global: ["ADMIN"] },
  "audit.read": { global: ["ADMIN"] },
  "apitoken.manage": { global: ["ADMIN", "USER"] },
  "reconcile.run": { global: ["ADMIN"] },
  // Showback: a project's costs are visible to whoever can see the project.
  "cost.read": { global: ["ADMIN"], project: ["VIEWER", "MEMBER", "APPROVER"] },
  "price.manage": { global: ["ADMIN"] },
  // One's own sessions and password.
  "account.manage": { global: ["ADMIN", "USER"] },
  "user.manage": { global: ["ADMIN"] },
  // Restore points of a project's machines; taking and restoring them, and backup policies.
  "backup.read": { global: ["ADMIN"], project: ["VIEWER", "MEMBER", "APPROVER"] },
  "backup.manage": { global: ["ADMIN"], project: ["MEMBER", "APPROVER"] },
  // Object stores backups go to (credentials).
  "backuptarget.manage": { global: ["ADMIN"] },
  // Scheduled operations of a project's machines.
  "schedule.manage": { global: ["ADMIN"], project: ["MEMBER", "APPROVER"] },
  // Maintenance windows, drains, host failures.
  "maintenance.manage": { global: ["ADMIN"] },
  // A project's webhook subscriptions: its approvers (the project's leads) and administrators.
  "webhook.manage": { global: ["ADMIN"], project: ["APPROVER"] },
  // Installation-wide integration settings: the webhook allow-list, a test e-mail.
  "integration.manage": { global: ["ADMIN"] },
  "alert.manage": { global: ["ADMIN"], project: ["MEMBER", "APPROVER"] },
  "stack.read": { global: ["ADMIN"], project: ["VIEWER", "MEMBER", "APPROVER"] },
  // Writing, planning, applying and destroying a stack (its machines go through requests and operations).
  "stack.write": { global: ["ADMIN"], project: ["MEMBER", "APPROVER"] },
  // Scaling groups: creating one approves every scale-out it makes (within quota), so approvers.
  "scaling.manage": { global: ["ADMIN"], project: ["APPROVER"] },
  // An interactive shell or screen on the machine (lib/console): whoever may operate it.
  "machine.console": { global: ["ADMIN"], project: ["MEMBER", "APPROVER"] },
};

export interface Actor {
  id: string;
  email: string;
  name: string;
  role: UserRole;
  /** projectId -> role, loaded from the database for every request (never from the client). */
  memberships: ReadonlyMap<string, ProjectRole>;
}

/** Whether the actor may do `action`, optionally within `projectId`. */
export function can(actor: Actor, action: Action, projectId?: string): boolean {
  const rule = permissions[action];
  if (!rule) return false;
  if (rule.global?.includes(actor.role)) return true;
  if (projectId && rule.project) {
    const role = actor.memberships.get(projectId);
    if (role && rule.project.includes(role)) return true;
  }
  return false;
}

export function assertCan(actor: Actor, action: Action, projectId?: string): void {
  if (!can(actor, action, projectId)) throw forbidden();
}

/** Projects in which the actor may do `action` (all of them for a global grant: null). */
export function projectsWhere(actor: Actor, action: Action): string[] | null {
  const rule = permissions[action];
  if (!rule) return [];
  if (rule.global?.includes(actor.role)) return null;
  if (!rule.project) return [];
  return [...actor.memberships].filter(([, r]) => rule.project!.includes(r)).map(([id]) => id);
}

export const isAdmin = (actor: Actor) => actor.role === "ADMIN";
