import "server-only";
import type { Ctx } from "../context";
import { assertCan } from "../auth/permissions";
import { notFound } from "../errors";
import { recordAudit } from "../audit/record-audit";
import type { ProviderStatus } from "../generated/prisma/enums";
import { setProviderEnabledSchema } from "./schemas";
import { parseInput } from "./parse-input";
import { checkConnection, statusAfter, type ConnectionResult } from "./connection";

/**
 * Disable: status DISABLED (placement never picks it; its machines keep running and can still
 * be operated). Enable: tests the connection and becomes ACTIVE or UNAVAILABLE with the reason.
 * Doing either twice changes nothing the second time.
 */
export async function setProviderEnabled(
  ctx: Ctx,
  input: { id: string; enabled: boolean },
): Promise<{ status: ProviderStatus; connection: ConnectionResult | null }> {
  assertCan(ctx.actor, "provider.manage");
  const { id, enabled } = parseInput(setProviderEnabledSchema, input);
  const provider = await ctx.db.provider.findUnique({ where: { id } });
  if (!provider) throw notFound("Provider");
  if (!enabled) {
    return ctx.db.$transaction(async (tx) => {
      const changed = await tx.provider.updateMany({ where: { id, status: { not: "DISABLED" } }, data: { status: "DISABLED", statusReason: null } });
      if (changed.count) {
        await recordAudit(tx, ctx, {
          action: "provider.disable",
          targetType: "Provider",
          targetId: id,
          before: { status: provider.status, statusReason: provider.statusReason },
          after: { status: "DISABLED" },
        });
      }
      return { status: "DISABLED" as const, connection: null };
    });
  }
  if (provider.status !== "DISABLED") return { status: provider.status, connection: null };
  const connection = await checkConnection(ctx.db, provider);
  const next = statusAfter(connection);
  return ctx.db.$transaction(async (tx) => {
    const changed = await tx.provider.updateMany({ where: { id, status: "DISABLED" }, data: next });
    const row = await tx.provider.findUniqueOrThrow({ where: { id }, select: { status: true } });
    if (changed.count) {
      await recordAudit(tx, ctx, {
        action: "provider.enable",
        targetType: "Provider",
        targetId: id,
        before: { status: "DISABLED" },
        after: { ...next, connection },
      });
    }
    return { status: row.status, connection };
  });
}
