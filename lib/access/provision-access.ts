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

interface TemplateLike {
  userData: string | null;
  defaultUser: string | null;
  osFamily: string;
}

/**
 * `endpoint`: the provider's (a hypervisor that runs no guest injects nothing, lib/drivers/no-guest.ts).
 * `template`: the machine's template when the caller has it already (the engine loaded it), so
 * it is not read again.
 */
export async function provisionAccess(db: Db, m: MachineLike, kind: ProviderKind, endpoint?: string | null, template?: TemplateLike | null): Promise<ProvisionAccess> {
  // The keys in one statement (raw SQL: no ORM planning on the provisioning hot path, issue 9):
  // the requester's (the owner's when the machine has no request), only the chosen ones when
  // the request chose some, oldest first.
  const [tpl, keys] = await Promise.all([
    template !== undefined ? template : db.template.findUnique({ where: { id: m.templateId }, select: { userData: true, defaultUser: true, osFamily: true } }),
    db.$queryRaw<{ name: string; publicKey: string; fingerprint: string }[]>`
      select k.name, k."publicKey", k.fingerprint
        from "SshKey" k
        left join "Request" r on r.id = ${m.requestId}::uuid
       where k."userId" = coalesce(r."requesterId", ${m.ownerId}::uuid)
         and (r."sshKeysChosen" is not true or k.id::text = any(r."sshKeyIds"))
       order by k."createdAt", k.id`,
  ]);
  const method = injectionMethod(kind, endpoint);
  const user = tpl?.defaultUser ?? "";
  // Windows images take no #cloud-config (cloudbase-init differs): nothing injected there.
  if (!method || tpl?.osFamily === "WINDOWS") return { userData: null, sshKeys: [], access: { method: null, user, keys: [] } };
  const sshKeys = keys.map((k) => k.publicKey);
  // Docker takes only the keys (ORQ_SSH_AUTHORIZED_KEYS): no document to boot with.
  const userData = !canCloudInit(kind) ? null : mergeCloudConfig({ userData: tpl?.userData ?? "", hostname: m.name, sshKeys, defaultUser: user || undefined });
  return { userData, sshKeys, access: { method, user, keys: keys.map((k) => ({ name: k.name, fingerprint: k.fingerprint })) } };
}
