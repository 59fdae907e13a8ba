import "server-only";
import { randomUUID } from "node:crypto";
import type { Ctx } from "../context";
import type { Prisma } from "../db/client";
import { assertCan } from "../auth/permissions";
import { validationError } from "../errors";
import { recordAudit } from "../audit/record-audit";
import { createProviderSchema, parseConfig, type CreateProviderInput } from "./schemas";
import { isUniqueViolation, parseInput } from "./parse-input";
import { sealProviderCredentials, typedCredentials } from "./credentials";
import { providerSnapshot } from "./snapshot";
import { assertProviderNameFree } from "./unique-name";
import { NOT_TESTED_REASON } from "./status-reason";

/** Reason a provider has until its connection has been tested. */
export { NOT_TESTED_REASON };

/**
 * Registers a provider of any kind. It starts UNAVAILABLE (placement ignores it) until a
 * successful Test connection or discovery. Credentials are sealed before they reach the row.
 */
export async function createProvider(ctx: Ctx, input: CreateProviderInput): Promise<{ id: string }> {
  assertCan(ctx.actor, "provider.manage");
  const v = parseInput(createProviderSchema, input);
  const parsedConfig = parseConfig(v.kind, v.config);
  if (!parsedConfig.ok) throw validationError(parsedConfig.errors);
  // The id is chosen here: the sealed credentials are bound to it.
  const id = randomUUID();
  const credentialsEnc = sealProviderCredentials(id, typedCredentials(v.kind, v.credentials));
  try {
    return await ctx.db.$transaction(async (tx) => {
      await assertProviderNameFree(tx, v.name);
      const provider = await tx.provider.create({
        data: {
          id,
          name: v.name,
          kind: v.kind,
          endpoint: v.endpoint,
          credentialsEnc,
          config: parsedConfig.config as Prisma.InputJsonValue,
          status: "UNAVAILABLE",
          statusReason: NOT_TESTED_REASON,
          cpuOvercommit: v.cpuOvercommit,
          memoryOvercommit: v.memoryOvercommit,
          diskOvercommit: v.diskOvercommit,
          placementPolicy: v.placementPolicy,
          ...(v.metricsIntervalSeconds !== undefined ? { metricsIntervalSeconds: v.metricsIntervalSeconds } : {}),
        },
      });
      await recordAudit(tx, ctx, { action: "provider.create", targetType: "Provider", targetId: id, after: providerSnapshot(provider) });
      return { id };
    });
  } catch (err) {
    if (isUniqueViolation(err)) throw validationError({ name: ["providers.validation.nameTaken"] });
    throw err;
  }
}
