import "server-only";
import type { z } from "zod";
import type { Ctx } from "../context";
import { assertCan } from "../auth/permissions";
import { notFound, validationError } from "../errors";
import { recordAudit } from "../audit/record-audit";
import { parseInput } from "../offerings/parse-input";
import { isUniqueViolation } from "../offerings/prisma-errors";
import { updateTemplateSchema } from "./schemas";
import { templateSnapshot } from "./snapshot";
import { assertTemplateNameFree } from "./unique-name";

export async function updateTemplate(ctx: Ctx, input: z.infer<typeof updateTemplateSchema>) {
  assertCan(ctx.actor, "template.manage");
  const { id, ...data } = parseInput(updateTemplateSchema, input);
  try {
    return await ctx.db.$transaction(async (tx) => {
      const before = await tx.template.findUnique({ where: { id } });
      if (!before) throw notFound("Template");
      await assertTemplateNameFree(tx, data.name, id);
      const after = await tx.template.update({ where: { id }, data });
      await recordAudit(tx, ctx, {
        action: "template.update",
        targetType: "Template",
        targetId: id,
        before: templateSnapshot(before),
        after: templateSnapshot(after),
      });
      return after;
    });
  } catch (err) {
    if (isUniqueViolation(err)) throw validationError({ name: ["templates.validation.nameTaken"] });
    throw err;
  }
}
