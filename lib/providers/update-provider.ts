import "server-only";
import type { Ctx } from "../context";
import type { Prisma } from "../db/client";
import { assertCan } from "../auth/permissions";
import { notFound, validationError } from "../errors";
import { recordAudit } from "../audit/record-audit";
import { kindFieldErrors, parseConfig, updateProviderSchema, type UpdateProviderInput } from "./schemas";
import { isUniqueViolation, parseInput } from "./parse-input";
import { missingRequired, openProviderCredentials, sealProviderCredentials, typedCredentials } from "./credentials";
import { providerSnapshot } from "./snapshot";
import { assertProviderNameFree } from "./unique-name";

/** Reason a provider gets when its endpoint or credentials change (placement waits for a test). */
export const CHANGED_REASON = "Connection settings changed: use Test connection";

/**
 * Edits a provider. Credential fields left blank keep the stored value; `clearCredentials`
 * forgets them. A changed endpoint or credentials make the provider UNAVAILABLE until the
 * next successful Test connection (a disabled provider stays disabled). The kind never changes.
 */
export async function updateProvider(ctx: Ctx, input: UpdateProviderInput): Promise<{ id: string }> {
  assertCan(ctx.actor, "provider.manage");
  const v = parseInput(updateProviderSchema, input);
  try {
    return await ctx.db.$transaction(async (tx) => {
      const before = await tx.provider.findUnique({ where: { id: v.id } });
      if (!before) throw notFound("Provider");
      const errors = kindFieldErrors(before.kind, v, { credentialsRequired: false });
      const typed = typedCredentials(before.kind, v.credentials);
      let credentials: Record<string, string> = {};
      if (!v.clearCredentials) {
        const stored = openProviderCredentials(before.id, before.credentialsEnc);
        if (stored === null && Object.keys(typed).length === 0 && before.credentialsEnc) {
          // The stored ones cannot be opened (the key changed): ask for them again.
          errors["credentials._form"] = ["providers.validation.credentialsUnreadable"];
        }
        credentials = { ...(stored ?? {}), ...typed };
      } else {
        credentials = typed;
      }
      for (const key of missingRequired(before.kind, credentials)) (errors[`credentials.${key}`] ??= []).push("providers.validation.credentialRequired");
      if (Object.keys(errors).length) throw validationError(errors);

      const parsedConfig = parseConfig(before.kind, v.config);
      if (!parsedConfig.ok) throw validationError(parsedConfig.errors);
      await assertProviderNameFree(tx, v.name, v.id);

      const credentialsChanged = v.clearCredentials || Object.keys(typed).length > 0;
      const endpointChanged = v.endpoint !== before.endpoint;
      const retest = (credentialsChanged || endpointChanged) && before.status !== "DISABLED";
      const after = await tx.provider.update({
        where: { id: v.id },
        data: {
          name: v.name,
          endpoint: v.endpoint,
          config: parsedConfig.config as Prisma.InputJsonValue,
          cpuOvercommit: v.cpuOvercommit,
          memoryOvercommit: v.memoryOvercommit,
          diskOvercommit: v.diskOvercommit,
          placementPolicy: v.placementPolicy,
          ...(v.metricsIntervalSeconds !== undefined ? { metricsIntervalSeconds: v.metricsIntervalSeconds } : {}),
          ...(credentialsChanged ? { credentialsEnc: sealProviderCredentials(before.id, credentials) } : {}),
          ...(retest ? { status: "UNAVAILABLE", statusReason: CHANGED_REASON } : {}),
        },
      });
      await recordAudit(tx, ctx, {
        action: "provider.update",
        targetType: "Provider",
        targetId: v.id,
        before: providerSnapshot(before),
        after: { ...providerSnapshot(after), credentialsChanged },
      });
      return { id: v.id };
    });
  } catch (err) {
    if (isUniqueViolation(err)) throw validationError({ name: ["providers.validation.nameTaken"] });
    throw err;
  }
}
