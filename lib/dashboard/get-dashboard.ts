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
import { Prisma } from "../db/client";

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

  const [top, stateTotals, myPendingRequests, recentRequests, pendingApprovals, pendingExtensions, failedOps, costs] = await Promise.all([
    nearestLimitRows(ctx, projectIds),
    machineStateTotals(ctx, projectIds, machineProjectIds),
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

  // Machines by state of the projects drawn (a handful), after they are known.
  const shownIds = top.rows.map((p) => p.id).filter((id) => machineProjectIds === null || machineProjectIds.includes(id));
  const shownCounts = shownIds.length
    ? await ctx.db.$queryRaw<{ projectId: string; state: MachineState; n: number }[]>`
        select "projectId", state, count(*)::int as n from "Machine"
        where "projectId" = any(${shownIds}::uuid[]) and state <> 'DELETED' group by 1, 2`
    : [];
  const byProject = new Map<string, Partial<Record<MachineState, number>>>();
  for (const row of shownCounts) byProject.set(row.projectId, { ...byProject.get(row.projectId), [row.state]: row.n });
  // A stable order (the lifecycle's), so charts and tables do not reshuffle between loads.
  const ordered = (counts: Partial<Record<MachineState, number>>) =>
    Object.fromEntries(Object.values(MachineState).filter((s) => counts[s]).map((s) => [s, counts[s]!])) as Partial<Record<MachineState, number>>;

  const rows: DashboardProject[] = top.rows.map((p) => ({
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
  const machinesByState: Partial<Record<MachineState, number>> = {};
  for (const t of stateTotals.byState) machinesByState[t.state] = t.n;

  const all = ordered(machinesByState);
  return {
    currency: env().ORQ_CURRENCY,
    projects: rows,
    projectCount: top.count,
    projectsWithMachines: stateTotals.projects,
    machinesByState: all,
    machineTotal: Object.values(all).reduce((a, b) => a + (b ?? 0), 0),
    monthlyCostCents: top.monthlyCents,
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

type ProjectQuotaRow = {
  id: string;
  name: string;
  archived: boolean;
  usedVcpu: number;
  quotaVcpu: number;
  usedMemoryMb: number;
  quotaMemoryMb: number;
  usedDiskSsdGb: number;
  quotaDiskSsdGb: number;
  usedDiskHddGb: number;
  quotaDiskHddGb: number;
  usedMachines: number;
  quotaMachines: number;
  usedMonthlyCents: number;
  monthlyBudgetCents: number | null;
};

/** The share of a limit in use: none (null) counts 0, a limit of 0 with usage is full beyond measure. */
const share = (used: string, limit: string) =>
  `case when ${limit} is null then 0::float8 when ${limit} > 0 then ${used}::float8 / ${limit} when ${used} > 0 then 'Infinity'::float8 else 0::float8 end`;
const FULLEST = Prisma.raw(
  `greatest(${share(`"usedVcpu"`, `"quotaVcpu"`)}, ${share(`"usedMemoryMb"`, `"quotaMemoryMb"`)}, ${share(`"usedDiskSsdGb"`, `"quotaDiskSsdGb"`)},
    ${share(`"usedDiskHddGb"`, `"quotaDiskHddGb"`)}, ${share(`"usedMachines"`, `"quotaMachines"`)}, ${share(`"usedMonthlyCents"`, `"monthlyBudgetCents"`)})`,
);

/**
 * The QUOTA_PROJECTS_SHOWN projects nearest a limit (active before archived, the highest share
 * of any limit in use first, then by name in code-point order, then id), with how many projects
 * there are and their monthly cost together: a few rows whatever the number of projects.
 */
async function nearestLimitRows(ctx: Ctx, projectIds: string[] | null): Promise<{ rows: ProjectQuotaRow[]; count: number; monthlyCents: number }> {
  if (projectIds && projectIds.length === 0) return { rows: [], count: 0, monthlyCents: 0 };
  const found = await ctx.db.$queryRaw<(ProjectQuotaRow & { total: number; cents: bigint })[]>`
    with p as (
      select id, name, archived, "usedVcpu", "quotaVcpu", "usedMemoryMb", "quotaMemoryMb", "usedDiskSsdGb", "quotaDiskSsdGb",
        "usedDiskHddGb", "quotaDiskHddGb", "usedMachines", "quotaMachines", "usedMonthlyCents", "monthlyBudgetCents", ${FULLEST} as fullest
      from "Project" where (${projectIds}::uuid[] is null or id = any(${projectIds}::uuid[]))
    ),
    totals as (select count(*)::int as total, coalesce(sum("usedMonthlyCents"), 0)::bigint as cents from p)
    select totals.total, totals.cents, top.* from totals
    left join lateral (
      select id, name, archived, "usedVcpu", "quotaVcpu", "usedMemoryMb", "quotaMemoryMb", "usedDiskSsdGb", "quotaDiskSsdGb",
        "usedDiskHddGb", "quotaDiskHddGb", "usedMachines", "quotaMachines", "usedMonthlyCents", "monthlyBudgetCents"
      from p order by archived, fullest desc, name collate "C", id limit ${QUOTA_PROJECTS_SHOWN}::int
    ) top on true`;
  // With no project at all the totals row comes back alone (the lateral side all null).
  const rows = found.filter((r) => r.id !== null).map(({ total: _t, cents: _c, ...p }) => p);
  return { rows, count: found[0]?.total ?? 0, monthlyCents: Number(found[0]?.cents ?? 0) };
}

/** Live machines by state, and how many projects have any, in the projects the actor reads (both filters). */
async function machineStateTotals(
  ctx: Ctx,
  projectIds: string[] | null,
  machineProjectIds: string[] | null,
): Promise<{ byState: { state: MachineState; n: number }[]; projects: number }> {
  if ((projectIds && projectIds.length === 0) || (machineProjectIds && machineProjectIds.length === 0)) return { byState: [], projects: 0 };
  const rows = await ctx.db.$queryRaw<{ state: MachineState | null; n: number }[]>`
    with g as (
      select "projectId", state, count(*)::int as n from "Machine"
      where state <> 'DELETED'
        and (${projectIds}::uuid[] is null or "projectId" = any(${projectIds}::uuid[]))
        and (${machineProjectIds}::uuid[] is null or "projectId" = any(${machineProjectIds}::uuid[]))
      group by 1, 2
    )
    select state, sum(n)::int as n from g group by state
    union all
    select null, count(distinct "projectId")::int from g`;
  return { byState: rows.filter((r) => r.state !== null) as { state: MachineState; n: number }[], projects: rows.find((r) => r.state === null)?.n ?? 0 };
}
