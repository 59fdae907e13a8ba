// Revokes one of the signed-in user's own tokens; it stops working at once (the API
// checks revokedAt on every call). Someone else's token id answers NOT_FOUND.
import "server-only";
import type { Ctx } from "../context";
import { assertCan } from "../auth/permissions";
import { conflict, notFound } from "../errors";
import { recordAudit } from "../audit/record-audit";
import type { RevokeApiTokenInput } from "./schemas";

export async function revokeApiToken(ctx: Ctx, input: RevokeApiTokenInput): Promise<{ tokenId: string }> {
  assertCan(ctx.actor, "apitoken.manage");
  return ctx.db.$transaction(async (tx) => {
    const token = await tx.apiToken.findFirst({ where: { id: input.tokenId, userId: ctx.actor.id } });
    if (!token) throw notFound("API token");
    const changed = await tx.apiToken.updateMany({
      where: { id: token.id, userId: ctx.actor.id, revokedAt: null },
      data: { revokedAt: ctx.now() },
    });
    if (changed.count === 0) throw conflict("This token has already been revoked");
    await recordAudit(tx, ctx, {
      action: "apitoken.revoke",
      targetType: "ApiToken",
      targetId: token.id,
      before: { name: token.name, prefix: token.prefix },
      after: { revoked: true },
    });
    return { tokenId: token.id };
  });
}
