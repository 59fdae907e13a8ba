// Creates a personal API token for the signed-in user. The secret is returned ONCE, here;
// only its sha256 is stored, so it can never be shown again.
import "server-only";
import type { Ctx } from "../context";
import { assertCan } from "../auth/permissions";
import { AppError, validationError } from "../errors";
import { recordAudit } from "../audit/record-audit";
import { MAX_LIVE_TOKENS, MAX_TOKEN_DAYS, type CreateApiTokenInput } from "./schemas";
import { generateTokenSecret } from "./token-secret";

const k = (key: string) => `settings.tokens.validation.${key}`;
const DAY_MS = 86_400_000;

export interface CreatedApiToken {
  id: string;
  name: string;
  prefix: string;
  expiresAt: Date | null;
  createdAt: Date;
  /** The token itself: shown once, never stored. */
  secret: string;
}

/** The end (UTC) of a YYYY-MM-DD day, if it is after today and within a year; else a message key. */
export function expiryFromDate(day: string, now: Date): Date | string {
  const end = new Date(`${day}T23:59:59.999Z`);
  if (Number.isNaN(end.getTime())) return k("expiryInvalid");
  const today = now.toISOString().slice(0, 10);
  if (day <= today) return k("expiryInPast");
  if (end.getTime() - now.getTime() > (MAX_TOKEN_DAYS + 1) * DAY_MS) return k("expiryTooFar");
  return end;
}

export async function createApiToken(ctx: Ctx, input: CreateApiTokenInput): Promise<CreatedApiToken> {
  assertCan(ctx.actor, "apitoken.manage");
  const now = ctx.now();
  let expiresAt: Date | null = null;
  if (input.expiresOn) {
    const e = expiryFromDate(input.expiresOn, now);
    if (typeof e === "string") throw validationError({ expiresOn: [e] });
    expiresAt = e;
  }
  const { secret, prefix, tokenHash } = generateTokenSecret();
  return ctx.db.$transaction(async (tx) => {
    // Serialise per user so the live-token limit holds under concurrent creations.
    await tx.$executeRaw`select pg_advisory_xact_lock(hashtext(${`api-tokens:${ctx.actor.id}`}))`;
    const live = await tx.apiToken.count({
      where: { userId: ctx.actor.id, revokedAt: null, OR: [{ expiresAt: null }, { expiresAt: { gt: now } }] },
    });
    if (live >= MAX_LIVE_TOKENS) {
      throw new AppError("CONFLICT", `You already have ${MAX_LIVE_TOKENS} active tokens; revoke one first`, {
        fields: { name: [k("tooMany")] },
        limit: MAX_LIVE_TOKENS,
      });
    }
    const token = await tx.apiToken.create({
      data: { userId: ctx.actor.id, name: input.name, tokenHash, prefix, expiresAt },
    });
    await recordAudit(tx, ctx, {
      action: "apitoken.create",
      targetType: "ApiToken",
      targetId: token.id,
      after: { name: token.name, prefix, expiresAt },
    });
    return { id: token.id, name: token.name, prefix, expiresAt, createdAt: token.createdAt, secret };
  });
}
