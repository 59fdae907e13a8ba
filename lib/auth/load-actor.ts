import type { Db } from "../db/client";
import type { Actor } from "./permissions";
import { usableUser } from "./sessions";

/** Loads a user and their project roles; null for unknown, disabled, deleted or locked users. */
export async function loadActor(db: Db, userId: string, now = new Date()): Promise<Actor | null> {
  const user = await db.user.findFirst({
    where: { id: userId, ...usableUser(now) },
    include: { memberships: { select: { projectId: true, role: true } } },
  });
  if (!user) return null;
  return {
    id: user.id,
    email: user.email,
    name: user.name,
    role: user.role,
    memberships: new Map(user.memberships.map((m) => [m.projectId, m.role])),
  };
}
