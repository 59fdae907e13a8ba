// Which sections the navigation shows for an actor. UX only: every page and action checks
// permissions again through assertCan.
import { can, type Actor } from "./permissions";

export interface NavItem {
  href: string;
  key: string; // message key under "nav"
  group: "portal" | "admin";
}

export function navItems(actor: Actor): NavItem[] {
  const isApprover = actor.role === "ADMIN" || [...actor.memberships.values()].includes("APPROVER");
  const items: NavItem[] = [
    { href: "/dashboard", key: "dashboard", group: "portal" },
    { href: "/catalog", key: "catalog", group: "portal" },
    { href: "/requests", key: "requests", group: "portal" },
    { href: "/machines", key: "machines", group: "portal" },
  ];
  if (actor.role === "ADMIN" || actor.memberships.size > 0) items.push({ href: "/workloads", key: "workloads", group: "portal" });
  if (actor.role === "ADMIN" || actor.memberships.size > 0) items.push({ href: "/costs", key: "costs", group: "portal" });
  if (can(actor, "backup.read") || actor.memberships.size > 0) items.push({ href: "/backups", key: "backups", group: "portal" });
  if (actor.role === "ADMIN" || actor.memberships.size > 0) items.push({ href: "/stacks", key: "stacks", group: "portal" });
  if (actor.role === "ADMIN" || actor.memberships.size > 0) items.push({ href: "/scaling", key: "scaling", group: "portal" });
  if (can(actor, "apitoken.manage")) items.push({ href: "/settings/tokens", key: "apiTokens", group: "portal" });
  if (can(actor, "account.manage")) items.push({ href: "/settings/ssh-keys", key: "sshKeys", group: "portal" });
  if (can(actor, "account.manage")) items.push({ href: "/settings/security", key: "security", group: "portal" });
  if (can(actor, "account.manage")) items.push({ href: "/settings/notifications", key: "notificationSettings", group: "portal" });
  if (isApprover) items.push({ href: "/admin/approvals", key: "approvals", group: "admin" });
  if (isApprover) items.push({ href: "/machines/extensions", key: "leaseExtensions", group: "admin" });
  if (can(actor, "offering.manage")) items.push({ href: "/admin/offerings", key: "offerings", group: "admin" });
  if (can(actor, "template.manage")) items.push({ href: "/admin/templates", key: "templates", group: "admin" });
  if (can(actor, "project.manage")) items.push({ href: "/admin/projects", key: "projects", group: "admin" });
  if (can(actor, "provider.manage")) items.push({ href: "/admin/providers", key: "providers", group: "admin" });
  if (can(actor, "host.manage")) items.push({ href: "/admin/hosts", key: "hosts", group: "admin" });
  if (can(actor, "price.manage")) items.push({ href: "/admin/price-books", key: "priceBooks", group: "admin" });
  if (can(actor, "user.manage")) items.push({ href: "/admin/users", key: "users", group: "admin" });
  if (can(actor, "user.manage")) items.push({ href: "/admin/groups", key: "groups", group: "admin" });
  if (can(actor, "audit.read")) items.push({ href: "/admin/audit", key: "audit", group: "admin" });
  if (can(actor, "maintenance.manage")) items.push({ href: "/admin/maintenance", key: "maintenance", group: "admin" });
  if (can(actor, "reconcile.run")) items.push({ href: "/admin/reconcile", key: "reconcile", group: "admin" });
  if (can(actor, "provider.manage")) items.push({ href: "/admin/simulator", key: "simulator", group: "admin" });
  if (isApprover) items.push({ href: "/webhooks", key: "webhooks", group: "admin" });
  if (can(actor, "integration.manage")) items.push({ href: "/admin/integrations", key: "integrations", group: "admin" });
  if (actor.role === "ADMIN" || actor.memberships.size > 0) items.push({ href: "/monitoring", key: "monitoring", group: "portal" });
  if (can(actor, "host.manage")) items.push({ href: "/admin/utilisation", key: "utilisation", group: "admin" });
  return items;
}

/** May the actor open anything under /admin? (approvers see approvals only) */
export const canEnterAdmin = (actor: Actor) => navItems(actor).some((i) => i.group === "admin");
