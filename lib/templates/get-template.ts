import "server-only";
import type { z } from "zod";
import type { Ctx } from "../context";
import { assertCan } from "../auth/permissions";
import { notFound } from "../errors";
import { templateIdSchema } from "./schemas";

/** A template for its edit page, with every provider and the template's ref there (or ""). */
export async function getTemplate(ctx: Ctx, input: z.infer<typeof templateIdSchema>) {
  assertCan(ctx.actor, "template.manage");
  const parsed = templateIdSchema.safeParse(input);
  if (!parsed.success) throw notFound("Template");
  const template = await ctx.db.template.findUnique({
    where: { id: parsed.data.id },
    include: { _count: { select: { requests: true, machines: true } }, providerRefs: true },
  });
  if (!template) throw notFound("Template");
  const providers = await ctx.db.provider.findMany({ orderBy: { name: "asc" }, select: { id: true, name: true, kind: true, status: true } });
  const refBy = new Map(template.providerRefs.map((r) => [r.providerId, r.ref]));
  const { _count, providerRefs: _r, ...row } = template;
  return {
    ...row,
    inUse: _count.requests + _count.machines > 0,
    providers: providers.map((p) => ({ ...p, ref: refBy.get(p.id) ?? "" })),
  };
}
