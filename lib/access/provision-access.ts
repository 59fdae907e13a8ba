// What a machine boots with (the provision handler): the requester's SSH keys the request
// chose (all of them when it chose none in particular), merged with the template's user data
// and the machine's name into one #cloud-config, and the record of it kept on the machine.
import type { Db } from "../db/client";
import type { ProviderKind } from "../generated/prisma/enums";
import { mergeCloudConfig } from "./cloud-config";
import { canCloudInit, injectionMethod, type MachineAccess } from "./injection";

interface MachineLike {
  name: string;
  ownerId: string;
  requestId: string | null;
  templateId: string;
}

export interface ProvisionAccess {
  userData: string | null;
  sshKeys: string[];
  access: MachineAccess;
}

/** `endpoint`: the provider's (a hypervisor that runs no guest injects nothing, lib/drivers/no-guest.ts). */
export async function provisionAccess(db: Db, m: MachineLike, kind: ProviderKind, endpoint?: string | null): Promise<ProvisionAccess> {
  const [template, request] = await Promise.all([
    db.template.findUnique({ where: { id: m.templateId }, select: { userData: true, defaultUser: true, osFamily: true } }),
    m.requestId ? db.request.findUnique({ where: { id: m.requestId }, select: { requesterId: true, sshKeysChosen: true, sshKeyIds: true } }) : null,
  ]);
  const userId = request?.requesterId ?? m.ownerId;
  const keys = await db.sshKey.findMany({
    where: { userId, ...(request?.sshKeysChosen ? { id: { in: request.sshKeyIds } } : {}) },
    orderBy: [{ createdAt: "asc" }, { id: "asc" }],
    select: { name: true, publicKey: true, fingerprint: true },
  });
  const method = injectionMethod(kind, endpoint);
  const user = template?.defaultUser ?? "";
  // Windows images take no #cloud-config (cloudbase-init differs): nothing injected there.
  if (!method || template?.osFamily === "WINDOWS") return { userData: null, sshKeys: [], access: { method: null, user, keys: [] } };
  const sshKeys = keys.map((k) => k.publicKey);
  // Docker takes only the keys (ORQ_SSH_AUTHORIZED_KEYS): no document to boot with.
  const userData = !canCloudInit(kind) ? null : mergeCloudConfig({ userData: template?.userData ?? "", hostname: m.name, sshKeys, defaultUser: user || undefined });
  return { userData, sshKeys, access: { method, user, keys: keys.map((k) => ({ name: k.name, fingerprint: k.fingerprint })) } };
}
