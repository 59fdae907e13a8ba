import type { Db } from "../db/client";
import type { Actor } from "./permissions";
import { usableUser } from "./sessions";
import { actorFromUser, actorUserSelect } from "./effective-access";

/** Loads a user and their effective roles (own and through groups); null for unknown, disabled, deleted or locked users. */
export async function loadActor(db: Db, userId: string, now = new Date()): Promise<Actor | null> {
  const user = await db.user.findFirst({ where: { id: userId, ...usableUser(now) }, select: actorUserSelect });
  return user ? actorFromUser(user) : null;
}
