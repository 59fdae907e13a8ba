// The scaling groups' read side: the list (groups of the projects the actor can see) and one
// group's page (members, decision log, the desired / actual / metric series for the chart).
import "server-only";
import type { z } from "zod";
import type { Ctx } from "../context";
import { can, projectsWhere } from "../auth/permissions";
import { notFound } from "../errors";
import type { listScalingGroupsSchema, scalingGroupIdSchema } from "./schemas";

import type { Prisma } from "../generated/prisma/client";

const ALIVE: Prisma.MachineWhereInput = { deletedAt: null, state: { notIn: ["DELETING", "DELETED"] } };

export async function listScalingGroups(ctx: Ctx, input: z.infer<typeof listScalingGroupsSchema>) {
  const visible = projectsWhere(ctx.actor, "machine.read");
  if (input.projectId && !can(ctx.actor, "machine.read", input.projectId)) return { items: [] };
  const groups = await ctx.db.scalingGroup.findMany({
    where: { status: "ACTIVE", ...(input.projectId ? { projectId: input.projectId } : visible ? { projectId: { in: visible } } : {}) },
    orderBy: [{ name: "asc" }, { id: "asc" }],
    take: 500,
  });
  const ids = groups.map((g) => g.id);
  const [counts, projects, offerings] = await Promise.all([
    ctx.db.machine.groupBy({ by: ["scalingGroupId", "state"], where: { scalingGroupId: { in: ids }, ...ALIVE }, _count: { id: true } }),
    ctx.db.project.findMany({ where: { id: { in: [...new Set(groups.map((g) => g.projectId))] } }, select: { id: true, name: true } }),
    ctx.db.offering.findMany({ where: { id: { in: [...new Set(groups.map((g) => g.offeringId))] } }, select: { id: true, name: true } }),
  ]);
  const pname = new Map(projects.map((p) => [p.id, p.name]));
  const oname = new Map(offerings.map((o) => [o.id, o.name]));
  return {
    items: groups.map((g) => {
      const mine = counts.filter((c) => c.scalingGroupId === g.id);
      return {
        id: g.id,
        name: g.name,
        projectId: g.projectId,
        projectName: pname.get(g.projectId) ?? "",
        offeringName: oname.get(g.offeringId) ?? "",
        minSize: g.minSize,
        maxSize: g.maxSize,
        desired: g.desired,
        actual: mine.filter((c) => c.state !== "FAILED").reduce((n, c) => n + c._count.id, 0),
        running: mine.filter((c) => c.state === "RUNNING").reduce((n, c) => n + c._count.id, 0),
        targetCpuPercent: g.targetCpuPercent,
        lastEvaluatedAt: g.lastEvaluatedAt?.toISOString() ?? null,
      };
    }),
  };
}

export type ScalingGroupListItem = Awaited<ReturnType<typeof listScalingGroups>>["items"][number];

/** One group: settings, members, the last 100 decisions and the last 24 h of evaluations. */
export async function getScalingGroup(ctx: Ctx, input: z.infer<typeof scalingGroupIdSchema>) {
  const g = await ctx.db.scalingGroup.findUnique({ where: { id: input.groupId } });
  if (!g || !can(ctx.actor, "machine.read", g.projectId)) throw notFound("Scaling group");
  const since = new Date(ctx.now().getTime() - 24 * 3600_000);
  const [members, decisions, series, project, offering, template] = await Promise.all([
    ctx.db.machine.findMany({
      where: { scalingGroupId: g.id, deletedAt: null, state: { not: "DELETED" } },
      orderBy: [{ createdAt: "asc" }, { id: "asc" }],
      select: { id: true, name: true, state: true, ipAddress: true, createdAt: true },
    }),
    ctx.db.scalingDecision.findMany({ where: { groupId: g.id, outcome: { not: "HOLD" } }, orderBy: { windowEnd: "desc" }, take: 100 }),
    ctx.db.scalingDecision.findMany({
      where: { groupId: g.id, at: { gte: since } },
      orderBy: { windowEnd: "asc" },
      take: 2000,
      select: { at: true, metricValue: true, actual: true, running: true, desiredAfter: true },
    }),
    ctx.db.project.findUnique({ where: { id: g.projectId }, select: { name: true } }),
    ctx.db.offering.findUnique({ where: { id: g.offeringId }, select: { name: true } }),
    ctx.db.template.findUnique({ where: { id: g.templateId }, select: { name: true } }),
  ]);
  const lastHold = await ctx.db.scalingDecision.findFirst({ where: { groupId: g.id }, orderBy: { windowEnd: "desc" }, select: { reason: true, at: true, metricValue: true } });
  return {
    id: g.id,
    name: g.name,
    status: g.status,
    projectId: g.projectId,
    projectName: project?.name ?? "",
    offeringName: offering?.name ?? "",
    templateName: template?.name ?? "",
    minSize: g.minSize,
    maxSize: g.maxSize,
    desired: g.desired,
    targetCpuPercent: g.targetCpuPercent,
    windowSeconds: g.windowSeconds,
    scaleOutCooldownSeconds: g.scaleOutCooldownSeconds,
    scaleInCooldownSeconds: g.scaleInCooldownSeconds,
    stepSize: g.stepSize,
    canManage: g.status === "ACTIVE" && can(ctx.actor, "scaling.manage", g.projectId),
    latest: lastHold ? { at: lastHold.at.toISOString(), reason: lastHold.reason, metricValue: lastHold.metricValue } : null,
    members: members.map((m) => ({ id: m.id, name: m.name, state: m.state, ipAddress: m.ipAddress, createdAt: m.createdAt.toISOString() })),
    decisions: decisions.map((d) => ({
      id: d.id,
      at: d.at.toISOString(),
      outcome: d.outcome,
      metricValue: d.metricValue,
      desiredBefore: d.desiredBefore,
      desiredAfter: d.desiredAfter,
      actual: d.actual,
      reason: d.reason,
    })),
    series: series.map((s) => ({ at: s.at.toISOString(), metric: s.metricValue, actual: s.actual, running: s.running, desired: s.desiredAfter })),
  };
}

export type ScalingGroupPage = Awaited<ReturnType<typeof getScalingGroup>>;

/** What the create form offers: the projects where the actor may create groups, the catalogue. */
export async function getScalingForm(ctx: Ctx) {
  const where = projectsWhere(ctx.actor, "scaling.manage");
  const [projects, offerings, templates] = await Promise.all([
    ctx.db.project.findMany({ where: { archived: false, ...(where ? { id: { in: where } } : {}) }, select: { id: true, name: true }, orderBy: { name: "asc" } }),
    ctx.db.offering.findMany({ where: { active: true }, select: { id: true, name: true, vcpu: true, memoryMb: true }, orderBy: { name: "asc" } }),
    ctx.db.template.findMany({ where: { active: true }, select: { id: true, name: true }, orderBy: { name: "asc" } }),
  ]);
  return { projects, offerings, templates };
}

/** The scaling page: the groups, and what the create form offers. */
export async function getScalingOverview(ctx: Ctx, input: z.infer<typeof listScalingGroupsSchema>) {
  const [list, form] = await Promise.all([listScalingGroups(ctx, input), getScalingForm(ctx)]);
  return { items: list.items, form };
}
