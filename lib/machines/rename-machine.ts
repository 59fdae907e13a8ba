// Rename a machine (issue 16): the name is a DNS label, unique among the project's machines
// (checked under a per-project lock, so two renames cannot take one name). The portal's name
// changes in one transaction with its audit event; then, where the provider's driver renames
// machines (profile `renamesMachines`), the provider is told. The portal name is the one the
// portal goes by (resources are found by reference and ownership tag, never by name): when the
// provider call fails, even after acting, the portal keeps the new name and says the provider
// did not follow; asking again with the same name repeats only the provider call.
import "server-only";
import type { z } from "zod";
import type { Ctx } from "../context";
import { recordAudit } from "../audit/record-audit";
import { conflict, validationError } from "../errors";
import { withProviderDriver, failureOf, asDriverError } from "../providers/provider-driver";
import { renamesMachines } from "./capabilities";
import { loadOperableMachine } from "./request-operation";
import type { renameMachineSchema } from "./schemas";
import { fe } from "../../i18n/field-message";

export const RENAME_TIMEOUT_MS = 30_000;

export interface RenameResult {
  machineId: string;
  name: string;
  /** "renamed": the provider has the new name too; "portal": the provider keeps names of its own; "failed": the provider call failed. */
  provider: "renamed" | "portal" | "failed";
  providerError: string | null;
}

export async function renameMachine(ctx: Ctx, input: z.infer<typeof renameMachineSchema>): Promise<RenameResult> {
  const machine = await loadOperableMachine(ctx, input.machineId);
  if (machine.state === "DELETING" || machine.state === "DELETED") throw conflict(`A machine that is ${machine.state} cannot be renamed`);
  if (input.name !== machine.name) {
    await ctx.db.$transaction(async (tx) => {
      await tx.$executeRaw`select pg_advisory_xact_lock(hashtext(${`machine-name:${machine.projectId}`}))`;
      const taken = await tx.machine.count({ where: { projectId: machine.projectId, name: input.name, id: { not: machine.id }, state: { not: "DELETED" } } });
      if (taken > 0) throw validationError({ name: [fe("machines", "nameTaken")] });
      const r = await tx.machine.updateMany({ where: { id: machine.id, name: machine.name }, data: { name: input.name } });
      if (r.count !== 1) throw conflict("The machine was renamed in the meantime");
      await recordAudit(tx, ctx, {
        action: "machine.rename",
        targetType: "Machine",
        targetId: machine.id,
        projectId: machine.projectId,
        before: { name: machine.name },
        after: { name: input.name, providerRenames: renamesMachines(machine.provider?.kind) },
      });
    });
  }
  if (!machine.providerId || !machine.externalRef || !renamesMachines(machine.provider?.kind)) {
    return { machineId: machine.id, name: input.name, provider: "portal", providerError: null };
  }
  const provider = await ctx.db.provider.findUniqueOrThrow({ where: { id: machine.providerId } });
  const ref = machine.externalRef;
  try {
    await withProviderDriver(ctx.db, provider, RENAME_TIMEOUT_MS, async (driver, signal) => {
      if (!driver.rename) throw conflict("This provider cannot rename machines");
      await driver.rename(ref, input.name, { signal, idempotencyKey: `rename:${machine.id}:${input.name}` });
    });
    return { machineId: machine.id, name: input.name, provider: "renamed", providerError: null };
  } catch (err) {
    return { machineId: machine.id, name: input.name, provider: "failed", providerError: failureOf(asDriverError(err, provider.id)).message };
  }
}
