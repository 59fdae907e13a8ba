// Resolves `Authorization: Bearer <token>` to the user it belongs to: by sha256 of the
// secret (no secret is stored, and the lookup by hash makes comparison timing irrelevant).
// Revoked and expired tokens are refused. lastUsedAt is written at most once a minute per
// token (a conditional UPDATE), so a busy script does not turn every read into a write.
import "server-only";
import type { Db } from "../db/client";
import type { ProjectRole, UserRole } from "../generated/prisma/enums";
import type { Actor } from "../auth/permissions";
import { actorFromUser } from "../auth/effective-access";
import { limitResult, type LimitResult } from "../security/rate-limit";
import { hashTokenSecret, looksLikeToken } from "./token-secret";

const LAST_USED_RESOLUTION_MS = 60_000;

export async function authenticateApiToken(db: Db, secret: string, now: Date): Promise<{ userId: string; tokenId: string } | null> {
  if (!looksLikeToken(secret)) return null;
  const token = await db.apiToken.findUnique({
    where: { tokenHash: hashTokenSecret(secret) },
    select: { id: true, userId: true, revokedAt: true, expiresAt: true, lastUsedAt: true },
  });
  if (!token || token.revokedAt || (token.expiresAt && token.expiresAt <= now)) return null;
  const stale = new Date(now.getTime() - LAST_USED_RESOLUTION_MS);
  if (!token.lastUsedAt || token.lastUsedAt < stale) {
    await db.apiToken.updateMany({
      where: { id: token.id, OR: [{ lastUsedAt: null }, { lastUsedAt: { lt: stale } }] },
      data: { lastUsedAt: now },
    });
  }
  return { userId: token.userId, tokenId: token.id };
}

export interface AuthenticatedApiCall {
  tokenId: string;
  actor: Actor;
  /** The call counted against the token's rate limit (bucket `api:token:<tokenId>`). */
  limit: LimitResult;
}

type Roles = { projectId: string; role: ProjectRole }[];
const jsonOf = <T>(v: unknown): T => (typeof v === "string" ? (JSON.parse(v) as T) : (v as T));

/**
 * An API call's whole authentication in ONE statement: the token (by hash, not revoked or
 * expired), its user (usable: not disabled, deleted or locked), their memberships and group
 * grants, the once-a-minute lastUsedAt write and the hit on the token's rate-limit bucket.
 * (Separately these were 7 statements: token, user, memberships, group members, groups,
 * group roles, rate limit.) A hit is only counted for a valid token of a usable user, as
 * before; the bucket stays in PostgreSQL, so every web server counts against one number.
 * Null: the token is unknown, revoked or expired, or its user cannot sign in.
 */
export async function authenticateApiCall(db: Db, secret: string, now: Date, spec: { limit: number; windowMs: number }): Promise<AuthenticatedApiCall | null> {
  if (!looksLikeToken(secret)) return null;
  const stale = new Date(now.getTime() - LAST_USED_RESOLUTION_MS);
  const end = new Date(now.getTime() + spec.windowMs);
  const rows = await db.$queryRaw<
    { tokenId: string; id: string; email: string; name: string; role: UserRole; memberships: unknown; groups: unknown; count: number; expiresAt: Date }[]
  >`
    with t as (
      select k.id, k."userId" from "ApiToken" k join "User" u on u.id = k."userId"
      where k."tokenHash" = ${hashTokenSecret(secret)} and k."revokedAt" is null and (k."expiresAt" is null or k."expiresAt" > ${now})
        and u.disabled = false and u."deletedAt" is null and (u."lockedUntil" is null or u."lockedUntil" <= ${now})
    ),
    seen as (
      update "ApiToken" set "lastUsedAt" = ${now}
      where id = (select id from t) and ("lastUsedAt" is null or "lastUsedAt" < ${stale})
      returning id
    ),
    hit as (
      insert into "RateLimitBucket" ("key", "windowStart", "count", "expiresAt")
      select 'api:token:' || t.id, ${now}, 1, ${end} from t
      on conflict ("key") do update set
        "count" = case when "RateLimitBucket"."expiresAt" <= ${now} then 1 else "RateLimitBucket"."count" + 1 end,
        "windowStart" = case when "RateLimitBucket"."expiresAt" <= ${now} then ${now} else "RateLimitBucket"."windowStart" end,
        "expiresAt" = case when "RateLimitBucket"."expiresAt" <= ${now} then ${end} else "RateLimitBucket"."expiresAt" end
      returning "count", "expiresAt"
    )
    select t.id as "tokenId", u.id, u.email, u.name, u.role::text as role,
      coalesce((select json_agg(json_build_object('projectId', m."projectId", 'role', m.role)) from "ProjectMember" m where m."userId" = u.id), '[]'::json) as memberships,
      coalesce((select json_agg(json_build_object('grantsAdmin', g."grantsAdmin", 'projectRoles',
          coalesce((select json_agg(json_build_object('projectId', r."projectId", 'role', r.role)) from "GroupProjectRole" r where r."groupId" = g.id), '[]'::json)))
        from "GroupMember" gm join "Group" g on g.id = gm."groupId" where gm."userId" = u.id), '[]'::json) as groups,
      hit."count", hit."expiresAt"
    from t join "User" u on u.id = t."userId" cross join hit`;
  const r = rows[0];
  if (!r) return null;
  const actor = actorFromUser({
    id: r.id,
    email: r.email,
    name: r.name,
    role: r.role,
    memberships: jsonOf<Roles>(r.memberships),
    groupMemberships: jsonOf<{ grantsAdmin: boolean; projectRoles: Roles }[]>(r.groups).map((group) => ({ group })),
  });
  return { tokenId: r.tokenId, actor, limit: limitResult(Number(r.count), new Date(r.expiresAt), spec, now) };
}
