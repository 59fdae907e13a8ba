// What a group grants in projects: one role per project.
import "server-only";
import type { Ctx } from "../context";
import { assertCan } from "../auth/permissions";
import { notFound, validationError } from "../errors";
import { recordAudit } from "../audit/record-audit";
import type { ProjectRole } from "../generated/prisma/enums";

export async function setGroupProjectRole(ctx: Ctx, input: { groupId: string; projectId: string; role: ProjectRole }) {
  assertCan(ctx.actor, "user.manage");
  return ctx.db.$transaction(async (tx) => {
    const group = await tx.group.findUnique({ where: { id: input.groupId }, select: { id: true } });
    if (!group) throw notFound("Group");
    const project = await tx.project.findUnique({ where: { id: input.projectId }, select: { id: true, name: true } });
    if (!project) throw validationError({ projectId: ["groups.validation.projectRequired"] });
    const before = await tx.groupProjectRole.findUnique({ where: { groupId_projectId: { groupId: group.id, projectId: project.id } } });
    await tx.groupProjectRole.upsert({
      where: { groupId_projectId: { groupId: group.id, projectId: project.id } },
      create: { groupId: group.id, projectId: project.id, role: input.role },
      update: { role: input.role },
    });
    await recordAudit(tx, ctx, { action: "group.set_project_role", targetType: "Group", targetId: group.id, projectId: project.id, before: before ? { role: before.role } : null, after: { role: input.role } });
    return { groupId: group.id, projectId: project.id, projectName: project.name, role: input.role };
  });
}

export async function removeGroupProjectRole(ctx: Ctx, input: { groupId: string; projectId: string }) {
  assertCan(ctx.actor, "user.manage");
  return ctx.db.$transaction(async (tx) => {
    const before = await tx.groupProjectRole.findUnique({ where: { groupId_projectId: input } });
    if (!before) throw notFound("Group project role");
    await tx.groupProjectRole.delete({ where: { groupId_projectId: input } });
    await recordAudit(tx, ctx, { action: "group.remove_project_role", targetType: "Group", targetId: input.groupId, projectId: input.projectId, before: { role: before.role } });
    return { groupId: input.groupId, projectId: input.projectId };
  });
}
