// The home dashboard: what the signed-in user needs at a glance. Per project the actor may
// read (every project for administrators): quota usage against limits, machines by state and
// the monthly cost; the user's own requests; what waits for the actor as an approver; and
// recent failed operations in the projects whose machines the actor may read.
import "server-only";
import type { Ctx } from "../context";
import { env } from "../env";
import { projectsWhere } from "../auth/permissions";
import { MachineState } from "../generated/prisma/enums";
import type { OperationKind, RequestStatus } from "../generated/prisma/enums";
import { monthSpend } from "../costs/month-spend";

export const RECENT_LIMIT = 5;
/**
 * Quota charts drawn on the dashboard: the projects nearest a limit first. An administrator
 * reads every project (1,000 at scale): drawing them all made the page 4.4 MB; the whole list
 * is /admin/projects.
 */
export const QUOTA_PROJECTS_SHOWN = 6;

export interface QuotaUsage {
  used: number;
  limit: number;
}

export interface DashboardProject {
  id: string;
  name: string;
  archived: boolean;
  vcpu: QuotaUsage;
  memoryMb: QuotaUsage;
  diskSsdGb: QuotaUsage;
  diskHddGb: QuotaUsage;
  machines: QuotaUsage;
  /** Monthly cost of the project's live machines against its budget (null limit: no budget). */
  monthlyCents: { used: number; limit: number | null };
  machinesByState: Partial<Record<MachineState, number>>;
}

export interface Dashboard {
  currency: string;
  /** The QUOTA_PROJECTS_SHOWN projects nearest a limit (highest share of any limit first). */
  projects: DashboardProject[];
  /** How many projects the actor reads (the figures below cover all of them). */
  projectCount: number;
  /** How many of those have live machines. */
  projectsWithMachines: number;
  /** Machines by state across all the projects above (deleted machines excluded). */
  machinesByState: Partial<Record<MachineState, number>>;
  machineTotal: number;
  monthlyCostCents: number;
  /** Accrued this month and the forecast for the month (millicents), in the projects shown (lib/costs). */
  costs: { monthToDateMillicents: number; forecastMillicents: number };
  myPendingRequests: number;
  recentRequests: {
    id: string;
    number: number;
    status: RequestStatus;
    createdAt: Date;
    quantity: number;
    monthlyCostCents: number;
    projectName: string;
    offeringName: string;
  }[];
  /** Null when the actor approves nothing; otherwise what waits for them (never their own). */
  approvals: { requests: number; leaseExtensions: number } | null;
  failedOperations: {
    id: string;
    kind: OperationKind;
    errorCode: string | null;
    error: string | null;
    finishedAt: Date | null;
    createdAt: Date;
    machineId: string;
    machineName: string;
    machineDeleted: boolean;
    projectName: string;
  }[];
}

const inProjects = (ids: string[] | null) => (ids === null ? {} : { projectId: { in: ids } });

export async function getDashboard(ctx: Ctx): Promise<Dashboard> {
  const me = ctx.actor.id;
  const projectIds = projectsWhere(ctx.actor, "project.read");
  const machineProjectIds = projectsWhere(ctx.actor, "machine.read");
  const approverProjectIds = projectsWhere(ctx.actor, "request.approve");
  const isApprover = approverProjectIds === null || approverProjectIds.length > 0;

  const [projects, stateCounts, myPendingRequests, recentRequests, pendingApprovals, pendingExtensions, failedOps, costs] = await Promise.all([
    ctx.db.project.findMany({
      where: projectIds === null ? {} : { id: { in: projectIds } },
      orderBy: [{ archived: "asc" }, { name: "asc" }],
    }),
    ctx.db.machine.groupBy({
      by: ["projectId", "state"],
      where: { ...inProjects(machineProjectIds), state: { not: "DELETED" } },
      _count: { _all: true },
    }),
    ctx.db.request.count({ where: { requesterId: me, status: "PENDING_APPROVAL" } }),
    ctx.db.request.findMany({
      where: { requesterId: me },
      orderBy: [{ createdAt: "desc" }, { number: "desc" }],
      take: RECENT_LIMIT,
      include: { project: { select: { name: true } }, offering: { select: { name: true } } },
    }),
    isApprover
      ? ctx.db.request.count({ where: { status: "PENDING_APPROVAL", requesterId: { not: me }, ...inProjects(approverProjectIds) } })
      : Promise.resolve(0),
    isApprover
      ? ctx.db.leaseExtension.count({
          where: { status: "PENDING", requestedById: { not: me }, machine: inProjects(approverProjectIds) },
        })
      : Promise.resolve(0),
    machineProjectIds !== null && machineProjectIds.length === 0
      ? Promise.resolve([])
      : ctx.db.operation.findMany({
          where: { status: "FAILED", machine: inProjects(machineProjectIds) },
          orderBy: [{ createdAt: "desc" }, { id: "asc" }],
          take: RECENT_LIMIT,
          include: { machine: { select: { id: true, name: true, state: true, project: { select: { name: true } } } } },
        }),
    monthSpend(ctx.db, projectsWhere(ctx.actor, "cost.read"), ctx.now()),
  ]);

  const byProject = new Map<string, Partial<Record<MachineState, number>>>();
  const machinesByState: Partial<Record<MachineState, number>> = {};
  const shown = new Set(projects.map((p) => p.id));
  for (const row of stateCounts) {
    if (!shown.has(row.projectId)) continue;
    const counts = byProject.get(row.projectId) ?? {};
    counts[row.state] = row._count._all;
    byProject.set(row.projectId, counts);
    machinesByState[row.state] = (machinesByState[row.state] ?? 0) + row._count._all;
  }
  // A stable order (the lifecycle's), so charts and tables do not reshuffle between loads.
  const ordered = (counts: Partial<Record<MachineState, number>>) =>
    Object.fromEntries(Object.values(MachineState).filter((s) => counts[s]).map((s) => [s, counts[s]!])) as Partial<Record<MachineState, number>>;

  const rows: DashboardProject[] = projects.map((p) => ({
    id: p.id,
    name: p.name,
    archived: p.archived,
    vcpu: { used: p.usedVcpu, limit: p.quotaVcpu },
    memoryMb: { used: p.usedMemoryMb, limit: p.quotaMemoryMb },
    diskSsdGb: { used: p.usedDiskSsdGb, limit: p.quotaDiskSsdGb },
    diskHddGb: { used: p.usedDiskHddGb, limit: p.quotaDiskHddGb },
    machines: { used: p.usedMachines, limit: p.quotaMachines },
    monthlyCents: { used: p.usedMonthlyCents, limit: p.monthlyBudgetCents },
    machinesByState: ordered(byProject.get(p.id) ?? {}),
  }));

  const all = ordered(machinesByState);
  return {
    currency: env().ORQ_CURRENCY,
    projects: nearestLimits(rows).slice(0, QUOTA_PROJECTS_SHOWN),
    projectCount: rows.length,
    projectsWithMachines: byProject.size,
    machinesByState: all,
    machineTotal: Object.values(all).reduce((a, b) => a + (b ?? 0), 0),
    monthlyCostCents: rows.reduce((a, p) => a + p.monthlyCents.used, 0),
    costs,
    myPendingRequests,
    recentRequests: recentRequests.map((r) => ({
      id: r.id,
      number: r.number,
      status: r.status,
      createdAt: r.createdAt,
      quantity: r.quantity,
      monthlyCostCents: r.monthlyCostCents,
      projectName: r.project.name,
      offeringName: r.offering.name,
    })),
    approvals: isApprover ? { requests: pendingApprovals, leaseExtensions: pendingExtensions } : null,
    failedOperations: failedOps.map((o) => ({
      id: o.id,
      kind: o.kind,
      errorCode: o.errorCode,
      error: o.error,
      finishedAt: o.finishedAt,
      createdAt: o.createdAt,
      machineId: o.machine.id,
      machineName: o.machine.name,
      machineDeleted: o.machine.state === "DELETED",
      projectName: o.machine.project.name,
    })),
  };
}

/** Highest share of any limit in use (no budget: not counted). */
export function fullestShare(p: DashboardProject): number {
  const share = ({ used, limit }: { used: number; limit: number | null }) =>
    limit === null ? 0 : limit > 0 ? used / limit : used > 0 ? Infinity : 0;
  return Math.max(share(p.vcpu), share(p.memoryMb), share(p.diskSsdGb), share(p.diskHddGb), share(p.machines), share(p.monthlyCents));
}

/** Active projects before archived ones, each group fullest first, then by name (stable). */
export function nearestLimits(rows: DashboardProject[]): DashboardProject[] {
  return rows
    .map((p) => ({ p, s: fullestShare(p) }))
    .sort((a, b) => Number(a.p.archived) - Number(b.p.archived) || b.s - a.s || a.p.name.localeCompare(b.p.name))
    .map(({ p }) => p);
}
