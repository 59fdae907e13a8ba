// This installation's id (the one Installation row, created by a migration): written on every
// provider resource next to the machine id, so two portals sharing a provider never mistake
// each other's resources for their own. Read once per database client.
// No "server-only" here: the worker reads it.
import type { Db } from "../db/client";

const cache = new WeakMap<Db, Promise<string>>();

export function installationId(db: Db): Promise<string> {
  let id = cache.get(db);
  if (!id) {
    id = db.installation.findFirstOrThrow({ orderBy: { createdAt: "asc" }, select: { id: true } }).then((row) => row.id);
    // A failed read (database away) is not remembered: the next call tries again.
    id.catch(() => cache.delete(db));
    cache.set(db, id);
  }
  return id;
}
