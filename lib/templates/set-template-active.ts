import "server-only";
import type { z } from "zod";
import type { Ctx } from "../context";
import { assertCan } from "../auth/permissions";
import { notFound } from "../errors";
import { recordAudit } from "../audit/record-audit";
import { parseInput } from "../offerings/parse-input";
import { setTemplateActiveSchema } from "./schemas";
import { templateSnapshot } from "./snapshot";

/** Deactivate (hidden from the catalogue, existing machines untouched) or reactivate. */
export async function setTemplateActive(ctx: Ctx, input: z.infer<typeof setTemplateActiveSchema>) {
  assertCan(ctx.actor, "template.manage");
  const { id, active } = parseInput(setTemplateActiveSchema, input);
  return ctx.db.$transaction(async (tx) => {
    const before = await tx.template.findUnique({ where: { id } });
    if (!before) throw notFound("Template");
    if (before.active === active) return before;
    const after = await tx.template.update({ where: { id }, data: { active } });
    await recordAudit(tx, ctx, {
      action: active ? "template.reactivate" : "template.deactivate",
      targetType: "Template",
      targetId: id,
      before: templateSnapshot(before),
      after: templateSnapshot(after),
    });
    return after;
  });
}
