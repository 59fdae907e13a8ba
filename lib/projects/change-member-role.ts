import "server-only";
import type { z } from "zod";
import type { Ctx } from "../context";
import { assertCan } from "../auth/permissions";
import { notFound } from "../errors";
import { recordAudit } from "../audit/record-audit";
import { parseInput } from "../offerings/parse-input";
import { changeMemberRoleSchema } from "./schemas";

export async function changeMemberRole(ctx: Ctx, input: z.infer<typeof changeMemberRoleSchema>) {
  assertCan(ctx.actor, "project.manage");
  const { projectId, userId, role } = parseInput(changeMemberRoleSchema, input);
  return ctx.db.$transaction(async (tx) => {
    const before = await tx.projectMember.findUnique({
      where: { projectId_userId: { projectId, userId } },
      include: { user: { select: { email: true } } },
    });
    if (!before) throw notFound("Member");
    if (before.role === role) return { projectId, userId, role };
    await tx.projectMember.update({ where: { projectId_userId: { projectId, userId } }, data: { role } });
    await recordAudit(tx, ctx, {
      action: "project.member_role_change",
      targetType: "ProjectMember",
      targetId: userId,
      projectId,
      before: { userId, email: before.user.email, role: before.role },
      after: { userId, email: before.user.email, role },
    });
    return { projectId, userId, role };
  });
}
