import "server-only";
import type { Ctx } from "../context";
import { assertCan } from "../auth/permissions";
import { notFound } from "../errors";
import { recordAudit } from "../audit/record-audit";
import type { ProviderStatus } from "../generated/prisma/enums";
import { providerIdSchema } from "./schemas";
import { parseInput } from "./parse-input";
import { checkConnection, statusAfter, type ConnectionResult } from "./connection";

export type TestConnectionResult = ConnectionResult & { status: ProviderStatus };

/**
 * "Test connection": calls the driver's testConnection (10 s deadline) and records the outcome
 * as the provider's status (ACTIVE, or UNAVAILABLE with the reason). A disabled provider can be
 * tested but stays disabled.
 */
export async function testProviderConnection(ctx: Ctx, input: { id: string }): Promise<TestConnectionResult> {
  assertCan(ctx.actor, "provider.manage");
  const { id } = parseInput(providerIdSchema, input);
  const provider = await ctx.db.provider.findUnique({ where: { id } });
  if (!provider) throw notFound("Provider");
  const result = await checkConnection(ctx.db, provider);
  return ctx.db.$transaction(async (tx) => {
    const next = statusAfter(result);
    const changed = await tx.provider.updateMany({ where: { id, status: { not: "DISABLED" } }, data: next });
    const row = await tx.provider.findUnique({ where: { id }, select: { status: true } });
    if (!row) throw notFound("Provider");
    await recordAudit(tx, ctx, {
      action: "provider.test",
      targetType: "Provider",
      targetId: id,
      before: { status: provider.status, statusReason: provider.statusReason },
      after: { ...result, status: changed.count ? next.status : row.status },
    });
    return { ...result, status: row.status };
  });
}
