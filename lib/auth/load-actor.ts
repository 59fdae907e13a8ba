import type { Db } from "../db/client";
import type { Actor } from "./permissions";

/** Loads a user and their project roles; null for unknown or disabled users. */
export async function loadActor(db: Db, userId: string): Promise<Actor | null> {
  const user = await db.user.findUnique({
    where: { id: userId },
    include: { memberships: { select: { projectId: true, role: true } } },
  });
  if (!user || user.disabled) return null;
  return {
    id: user.id,
    email: user.email,
    name: user.name,
    role: user.role,
    memberships: new Map(user.memberships.map((m) => [m.projectId, m.role])),
  };
}
