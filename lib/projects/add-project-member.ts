import "server-only";
import type { z } from "zod";
import type { Ctx } from "../context";
import { assertCan } from "../auth/permissions";
import { notFound, validationError } from "../errors";
import { recordAudit } from "../audit/record-audit";
import { parseInput } from "../offerings/parse-input";
import { isUniqueViolation } from "../offerings/prisma-errors";
import { addMemberSchema } from "./schemas";
import { equalsText } from "../db/like";

/** Adds an existing user (found by e-mail, any case) to a project with a role. */
export async function addProjectMember(ctx: Ctx, input: z.infer<typeof addMemberSchema>) {
  assertCan(ctx.actor, "project.manage");
  const { projectId, email, role } = parseInput(addMemberSchema, input);
  try {
    return await ctx.db.$transaction(async (tx) => {
      const project = await tx.project.findUnique({ where: { id: projectId }, select: { id: true } });
      if (!project) throw notFound("Project");
      const user = await tx.user.findFirst({ where: { email: equalsText(email) }, select: { id: true, email: true, name: true, disabled: true } });
      if (!user) throw validationError({ email: ["projects.validation.unknownEmail"] });
      if (user.disabled) throw validationError({ email: ["projects.validation.userDisabled"] });
      const existing = await tx.projectMember.findUnique({ where: { projectId_userId: { projectId, userId: user.id } } });
      if (existing) throw validationError({ email: ["projects.validation.alreadyMember"] });
      const member = await tx.projectMember.create({ data: { projectId, userId: user.id, role } });
      await recordAudit(tx, ctx, {
        action: "project.member_add",
        targetType: "ProjectMember",
        targetId: user.id,
        projectId,
        after: { userId: user.id, email: user.email, role },
      });
      return { ...member, email: user.email, name: user.name };
    });
  } catch (err) {
    if (isUniqueViolation(err)) throw validationError({ email: ["projects.validation.alreadyMember"] });
    throw err;
  }
}
