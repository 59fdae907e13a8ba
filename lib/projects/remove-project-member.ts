import "server-only";
import type { z } from "zod";
import type { Ctx } from "../context";
import { assertCan } from "../auth/permissions";
import { notFound } from "../errors";
import { recordAudit } from "../audit/record-audit";
import { parseInput } from "../offerings/parse-input";
import { removeMemberSchema } from "./schemas";

/** Removes a member. Their machines stay in the project (owned by them, visible to admins). */
export async function removeProjectMember(ctx: Ctx, input: z.infer<typeof removeMemberSchema>) {
  assertCan(ctx.actor, "project.manage");
  const { projectId, userId } = parseInput(removeMemberSchema, input);
  return ctx.db.$transaction(async (tx) => {
    const before = await tx.projectMember.findUnique({
      where: { projectId_userId: { projectId, userId } },
      include: { user: { select: { email: true } } },
    });
    if (!before) throw notFound("Member");
    await tx.projectMember.delete({ where: { projectId_userId: { projectId, userId } } });
    await recordAudit(tx, ctx, {
      action: "project.member_remove",
      targetType: "ProjectMember",
      targetId: userId,
      projectId,
      before: { userId, email: before.user.email, role: before.role },
    });
    return { projectId, userId };
  });
}
