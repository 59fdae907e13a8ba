import "server-only";
import type { Ctx } from "../context";
import { assertCan } from "../auth/permissions";
import { conflict, notFound } from "../errors";
import { recordAudit } from "../audit/record-audit";
import { providerIdSchema } from "./schemas";
import { parseInput } from "./parse-input";
import { providerSnapshot } from "./snapshot";

/**
 * Deletes a provider nothing runs on: no machine of it is alive (deleted machines keep their
 * history, their provider link is cleared). Its hosts, template and offering refs, project
 * links and unmanaged-machine rows go with it. Placement racing with the delete cannot land a
 * machine on it: the provider is marked DISABLED and its hosts are locked before the check.
 */
export async function deleteProvider(ctx: Ctx, input: { id: string }): Promise<{ id: string }> {
  assertCan(ctx.actor, "provider.manage");
  const { id } = parseInput(providerIdSchema, input);
  return ctx.db.$transaction(async (tx) => {
    const provider = await tx.provider.findUnique({ where: { id } });
    if (!provider) throw notFound("Provider");
    // Locks the provider row, then its hosts (what a concurrent placement reserves on).
    await tx.provider.update({ where: { id }, data: { status: "DISABLED" } });
    await tx.$queryRaw`select id from "Host" where "providerId" = ${id}::uuid for update`;
    const live = await tx.machine.count({ where: { providerId: id, state: { not: "DELETED" } } });
    if (live > 0) {
      throw conflict(`${live} machine(s) still run on provider ${provider.name}: delete or move them first`, {
        fields: { _form: ["providers.deleteBlocked"] },
        machines: live,
      });
    }
    // The simulator keeps its own inventory per provider (no foreign key: it is the "hypervisor").
    await tx.simSnapshot.deleteMany({ where: { machine: { providerId: id } } });
    await tx.simMachine.deleteMany({ where: { providerId: id } });
    await tx.simFault.deleteMany({ where: { providerId: id } });
    await tx.provider.delete({ where: { id } });
    await recordAudit(tx, ctx, { action: "provider.delete", targetType: "Provider", targetId: id, before: providerSnapshot(provider) });
    return { id };
  });
}
