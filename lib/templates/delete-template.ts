import "server-only";
import type { z } from "zod";
import type { Ctx } from "../context";
import { assertCan } from "../auth/permissions";
import { conflict, notFound } from "../errors";
import { recordAudit } from "../audit/record-audit";
import { parseInput } from "../offerings/parse-input";
import { isForeignKeyViolation } from "../offerings/prisma-errors";
import { templateIdSchema } from "./schemas";
import { templateSnapshot } from "./snapshot";

/**
 * Deletes a template nobody ever used. One that any request or machine references is
 * deactivated instead, never deleted.
 */
export async function deleteTemplate(ctx: Ctx, input: z.infer<typeof templateIdSchema>): Promise<{ outcome: "deleted" | "deactivated" }> {
  assertCan(ctx.actor, "template.manage");
  const { id } = parseInput(templateIdSchema, input);
  try {
    return await ctx.db.$transaction(async (tx) => {
      const locked = await tx.$queryRaw<{ id: string }[]>`SELECT id FROM "Template" WHERE id = ${id}::uuid FOR UPDATE`;
      if (!locked.length) throw notFound("Template");
      const found = (await tx.template.findUnique({
        where: { id },
        include: { _count: { select: { requests: true, machines: true } }, providerRefs: { select: { providerId: true, ref: true } } },
      }))!;
      const { _count, providerRefs, ...row } = found;
      if (_count.requests + _count.machines > 0) {
        if (row.active) {
          const after = await tx.template.update({ where: { id }, data: { active: false } });
          await recordAudit(tx, ctx, {
            action: "template.deactivate",
            targetType: "Template",
            targetId: id,
            before: templateSnapshot(row),
            after: templateSnapshot(after),
          });
        }
        return { outcome: "deactivated" as const };
      }
      await tx.template.delete({ where: { id } }); // provider refs cascade
      await recordAudit(tx, ctx, { action: "template.delete", targetType: "Template", targetId: id, before: { ...templateSnapshot(row), providerRefs } });
      return { outcome: "deleted" as const };
    });
  } catch (err) {
    if (isForeignKeyViolation(err)) throw conflict("The template came into use meanwhile; deactivate it instead.");
    throw err;
  }
}
