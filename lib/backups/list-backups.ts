import "server-only";
import type { Ctx } from "../context";
import type { Prisma } from "../db/client";
import { projectsWhere } from "../auth/permissions";
import { can } from "../auth/permissions";
import type { ListBackupsInput } from "./schemas";

export interface BackupView {
  id: string;
  status: "PENDING" | "RUNNING" | "AVAILABLE" | "FAILED" | "EXPIRED";
  machine: { id: string; name: string; deleted: boolean };
  project: { id: string; name: string };
  policy: { id: string; name: string } | null;
  target: { id: string; name: string };
  format: string | null;
  sizeBytes: number | null;
  sha256: string | null;
  durationMs: number | null;
  error: string | null;
  createdAt: string;
  completedAt: string | null;
  verifiedAt: string | null;
  canRestore: boolean;
}

/**
 * The catalogue of restore points of the projects the actor can see (newest first, 200 at
 * most), with the policies and targets to choose from.
 */
export async function listBackups(ctx: Ctx, input: ListBackupsInput) {
  const projects = projectsWhere(ctx.actor, "backup.read");
  const scope: Prisma.BackupWhereInput = projects === null ? {} : { projectId: { in: projects } };
  const where: Prisma.BackupWhereInput = {
    ...scope,
    ...(input.projectId ? { projectId: input.projectId } : {}),
    ...(input.machineId ? { machineId: input.machineId } : {}),
    ...(input.status ? { status: input.status } : { status: { not: "EXPIRED" } }),
  };
  const policyScope: Prisma.BackupPolicyWhereInput = projects === null ? {} : { projectId: { in: projects } };
  const [rows, policies, targets, machines, projectRows] = await Promise.all([
    ctx.db.backup.findMany({
      where,
      orderBy: [{ createdAt: "desc" }, { id: "desc" }],
      take: 200,
      include: { machine: { select: { id: true, name: true, state: true } }, policy: { select: { id: true, name: true } }, target: { select: { id: true, name: true } } },
    }),
    ctx.db.backupPolicy.findMany({
      where: { ...policyScope, ...(input.projectId ? { projectId: input.projectId } : {}) },
      orderBy: { name: "asc" },
      include: { project: { select: { name: true } }, machine: { select: { name: true } }, target: { select: { name: true } } },
    }),
    ctx.db.backupTarget.findMany({ orderBy: { name: "asc" }, select: { id: true, name: true, endpoint: true, bucket: true } }),
    ctx.db.machine.findMany({
      where: { state: { not: "DELETED" }, ...(projects === null ? {} : { projectId: { in: projects } }) },
      orderBy: { name: "asc" },
      take: 500,
      select: { id: true, name: true, projectId: true },
    }),
    ctx.db.project.findMany({ where: projects === null ? { archived: false } : { id: { in: projects } }, orderBy: { name: "asc" }, select: { id: true, name: true, timeZone: true } }),
  ]);
  const projectName = new Map(projectRows.map((p) => [p.id, p.name]));
  const items: BackupView[] = rows.map((b) => ({
    id: b.id,
    status: b.status,
    machine: { id: b.machine.id, name: b.machineName, deleted: b.machine.state === "DELETED" },
    project: { id: b.projectId, name: projectName.get(b.projectId) ?? "" },
    policy: b.policy,
    target: b.target,
    format: b.format,
    sizeBytes: b.sizeBytes === null ? null : Number(b.sizeBytes),
    sha256: b.sha256,
    durationMs: b.durationMs,
    error: b.error,
    createdAt: b.createdAt.toISOString(),
    completedAt: b.completedAt?.toISOString() ?? null,
    verifiedAt: b.verifiedAt?.toISOString() ?? null,
    canRestore: b.status === "AVAILABLE" && can(ctx.actor, "backup.manage", b.projectId),
  }));
  return {
    items,
    policies: policies.map((p) => ({
      id: p.id,
      name: p.name,
      project: { id: p.projectId, name: p.project.name },
      machine: p.machine ? { id: p.machineId!, name: p.machine.name } : null,
      target: p.target.name,
      cron: p.cron,
      timeZone: p.timeZone,
      keepLast: p.keepLast,
      keepDays: p.keepDays,
      nextRunAt: p.nextRunAt?.toISOString() ?? null,
      lastRunAt: p.lastRunAt?.toISOString() ?? null,
      canManage: can(ctx.actor, "backup.manage", p.projectId),
    })),
    targets,
    machines: machines.filter((m) => can(ctx.actor, "backup.manage", m.projectId)),
    projects: projectRows.filter((p) => can(ctx.actor, "backup.manage", p.id)),
    canManageTargets: can(ctx.actor, "backuptarget.manage"),
  };
}
export type BackupsPage = Awaited<ReturnType<typeof listBackups>>;
