import "server-only";
import type { Ctx } from "../context";
import { assertCan } from "../auth/permissions";
import { notFound, validationError } from "../errors";
import { recordAudit } from "../audit/record-audit";
import { parseInput } from "../providers/parse-input";
import { setProjectProvidersSchema, type SetProjectProvidersInput } from "./schemas";

/**
 * Sets the providers a project's machines may be placed on (an empty list: every provider) and
 * the one placement tries first when a request lets the portal choose. The default must be one
 * of the listed providers. Machines already placed stay where they are.
 */
export async function setProjectProviders(ctx: Ctx, input: SetProjectProvidersInput): Promise<{ changed: boolean }> {
  assertCan(ctx.actor, "project.manage");
  const v = parseInput(setProjectProvidersSchema, input);
  const ids = [...new Set(v.providerIds)];
  if (v.defaultProviderId && ids.length && !ids.includes(v.defaultProviderId)) {
    throw validationError({ defaultProviderId: ["projects.validation.defaultNotAllowed"] });
  }
  return ctx.db.$transaction(async (tx) => {
    const project = await tx.project.findUnique({ where: { id: v.projectId }, include: { providers: { select: { providerId: true } } } });
    if (!project) throw notFound("Project");
    const wanted = [...ids, ...(v.defaultProviderId ? [v.defaultProviderId] : [])];
    const found = await tx.provider.count({ where: { id: { in: [...new Set(wanted)] } } });
    if (found !== new Set(wanted).size) throw notFound("Provider");
    const before = { providerIds: project.providers.map((p) => p.providerId).sort(), defaultProviderId: project.defaultProviderId };
    const after = { providerIds: [...ids].sort(), defaultProviderId: v.defaultProviderId };
    if (JSON.stringify(before) === JSON.stringify(after)) return { changed: false };
    await tx.projectProvider.deleteMany({ where: { projectId: project.id, providerId: { notIn: ids } } });
    if (ids.length) await tx.projectProvider.createMany({ data: ids.map((providerId) => ({ projectId: project.id, providerId })), skipDuplicates: true });
    await tx.project.update({ where: { id: project.id }, data: { defaultProviderId: v.defaultProviderId } });
    await recordAudit(tx, ctx, { action: "project.set_providers", targetType: "Project", targetId: project.id, projectId: project.id, before, after });
    return { changed: true };
  });
}
