import "server-only";
import type { Ctx } from "../context";
import { assertCan } from "../auth/permissions";
import { notFound } from "../errors";
import { recordAudit } from "../audit/record-audit";
import { providerIdSchema } from "./schemas";
import { parseInput } from "./parse-input";
import { syncProviderInventory, type SyncResult } from "./sync-inventory";

/** "Sync inventory now": the periodic sync for one provider, on an administrator's request. */
export async function syncProviderNow(ctx: Ctx, input: { id: string }): Promise<SyncResult> {
  assertCan(ctx.actor, "provider.manage");
  const { id } = parseInput(providerIdSchema, input);
  const exists = await ctx.db.provider.findUnique({ where: { id }, select: { id: true } });
  if (!exists) throw notFound("Provider");
  const result = await syncProviderInventory(ctx.db, id, ctx.now(), { correlationId: ctx.correlationId });
  await ctx.db.$transaction(async (tx) => {
    await recordAudit(tx, ctx, { action: "provider.sync", targetType: "Provider", targetId: id, after: result });
  });
  return result;
}
