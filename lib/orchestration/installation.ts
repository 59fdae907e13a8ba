// This installation's id (one row in "Installation", created by the migration): written on
// every provider resource next to the machine id, so reconcile only ever touches resources
// this portal created, even when two installations share a provider.
import type { Db, Tx } from "../db/client";

let cached: Promise<string> | null = null;

export function installationId(db: Db | Tx): Promise<string> {
  cached ??= db.installation
    .findFirst({ orderBy: { createdAt: "asc" }, select: { id: true } })
    .then(async (row) => row?.id ?? (await db.installation.create({ data: {}, select: { id: true } })).id)
    .catch((err) => {
      cached = null;
      throw err;
    });
  return cached;
}

/** For tests that switch databases within one process. */
export function forgetInstallationId(): void {
  cached = null;
}
