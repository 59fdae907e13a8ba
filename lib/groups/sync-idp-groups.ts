// Sets a user's identity-provider group memberships from the group claim of a sign-in: the
// user joins every group whose `idpGroup` is in the claim and leaves the IDP memberships whose
// group is no longer in it. Memberships an administrator added (MANUAL) are never touched.
import type { Tx } from "../db/client";

export interface GroupSyncResult {
  joined: string[];
  left: string[];
  /** Names of every mapped group the claim puts the user in. */
  groups: string[];
}

export async function syncIdpGroups(tx: Tx, userId: string, claimGroups: string[]): Promise<GroupSyncResult> {
  const mapped = claimGroups.length
    ? await tx.group.findMany({ where: { idpGroup: { in: claimGroups } }, select: { id: true, name: true } })
    : [];
  const wanted = new Map(mapped.map((g) => [g.id, g.name]));
  const current = await tx.groupMember.findMany({ where: { userId }, select: { groupId: true, source: true, group: { select: { name: true } } } });
  const stale = current.filter((m) => m.source === "IDP" && !wanted.has(m.groupId));
  if (stale.length) await tx.groupMember.deleteMany({ where: { userId, source: "IDP", groupId: { in: stale.map((m) => m.groupId) } } });
  const have = new Set(current.map((m) => m.groupId));
  const add = [...wanted.keys()].filter((id) => !have.has(id));
  if (add.length) await tx.groupMember.createMany({ data: add.map((groupId) => ({ groupId, userId, source: "IDP" as const })), skipDuplicates: true });
  return { joined: add.map((id) => wanted.get(id)!), left: stale.map((m) => m.group.name), groups: [...wanted.values()].sort() };
}
