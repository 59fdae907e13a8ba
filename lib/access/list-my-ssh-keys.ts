import "server-only";
import type { Ctx } from "../context";
import { assertCan } from "../auth/permissions";
import { parseSshPublicKey } from "./ssh-key-format";

/** The signed-in user's SSH keys, oldest first (the settings page, the request form). */
export async function listMySshKeys(ctx: Ctx) {
  assertCan(ctx.actor, "account.manage");
  const keys = await ctx.db.sshKey.findMany({ where: { userId: ctx.actor.id }, orderBy: [{ createdAt: "asc" }, { id: "asc" }] });
  return keys.map((k) => {
    const parsed = parseSshPublicKey(k.publicKey);
    return { id: k.id, name: k.name, fingerprint: k.fingerprint, type: parsed.ok ? parsed.key.type : "?", comment: parsed.ok ? parsed.key.comment : "", createdAt: k.createdAt };
  });
}
export type MySshKey = Awaited<ReturnType<typeof listMySshKeys>>[number];
