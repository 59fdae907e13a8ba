import "server-only";
import type { Ctx } from "../context";
import { assertCan } from "../auth/permissions";
import { validationError } from "../errors";
import { recordAudit } from "../audit/record-audit";
import { parseInput } from "../offerings/parse-input";
import { isUniqueViolation } from "../offerings/prisma-errors";
import { createTemplateSchema, type TemplateFields } from "./schemas";
import { templateSnapshot } from "./snapshot";
import { assertTemplateNameFree } from "./unique-name";

export async function createTemplate(ctx: Ctx, input: TemplateFields) {
  assertCan(ctx.actor, "template.manage");
  const data = parseInput(createTemplateSchema, input);
  try {
    return await ctx.db.$transaction(async (tx) => {
      await assertTemplateNameFree(tx, data.name);
      const template = await tx.template.create({ data });
      await recordAudit(tx, ctx, { action: "template.create", targetType: "Template", targetId: template.id, after: templateSnapshot(template) });
      return template;
    });
  } catch (err) {
    if (isUniqueViolation(err)) throw validationError({ name: ["templates.validation.nameTaken"] });
    throw err;
  }
}
