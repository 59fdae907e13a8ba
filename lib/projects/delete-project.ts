import "server-only";
import type { z } from "zod";
import type { Ctx } from "../context";
import { assertCan } from "../auth/permissions";
import { conflict, notFound } from "../errors";
import { recordAudit } from "../audit/record-audit";
import { parseInput } from "../offerings/parse-input";
import { isForeignKeyViolation } from "../offerings/prisma-errors";
import { projectIdSchema } from "./schemas";
import { projectSnapshot } from "./snapshot";

/**
 * Deletes a project that never had a request or machine (members go with it). A project
 * with history is archived instead, never deleted.
 */
export async function deleteProject(ctx: Ctx, input: z.infer<typeof projectIdSchema>): Promise<{ outcome: "deleted" | "archived" }> {
  assertCan(ctx.actor, "project.manage");
  const { id } = parseInput(projectIdSchema, input);
  try {
    return await ctx.db.$transaction(async (tx) => {
      const locked = await tx.$queryRaw<{ id: string }[]>`SELECT id FROM "Project" WHERE id = ${id}::uuid FOR UPDATE`;
      if (!locked.length) throw notFound("Project");
      const found = (await tx.project.findUnique({
        where: { id },
        include: { _count: { select: { requests: true, machines: true } }, members: { select: { userId: true, role: true } } },
      }))!;
      const { _count, members, ...row } = found;
      if (_count.requests + _count.machines > 0) {
        if (!row.archived) {
          const after = await tx.project.update({ where: { id }, data: { archived: true } });
          await recordAudit(tx, ctx, {
            action: "project.archive",
            targetType: "Project",
            targetId: id,
            projectId: id,
            before: projectSnapshot(row),
            after: projectSnapshot(after),
          });
        }
        return { outcome: "archived" as const };
      }
      await tx.project.delete({ where: { id } });
      await recordAudit(tx, ctx, { action: "project.delete", targetType: "Project", targetId: id, projectId: id, before: { ...projectSnapshot(row), members } });
      return { outcome: "deleted" as const };
    });
  } catch (err) {
    if (isForeignKeyViolation(err)) throw conflict("The project got a request meanwhile; archive it instead.");
    throw err;
  }
}
