// What a user may do: their own role and project memberships, raised by the groups they are
// in (a group grants project roles and, optionally, the administrator role). A project role
// is the highest of the user's own and their groups' (APPROVER > MEMBER > VIEWER: each
// includes the one below). Read from the database on every request, so a change of group or
// mapping applies at the user's next click.
import type { ProjectRole, UserRole } from "../generated/prisma/enums";
import type { Actor } from "./permissions";

export const ROLE_RANK: Record<ProjectRole, number> = { VIEWER: 1, MEMBER: 2, APPROVER: 3 };

export const higherRole = (a: ProjectRole | undefined, b: ProjectRole): ProjectRole => (a && ROLE_RANK[a] >= ROLE_RANK[b] ? a : b);

/** The Prisma select that loads what `actorFromUser` needs. */
export const actorUserSelect = {
  id: true,
  email: true,
  name: true,
  role: true,
  memberships: { select: { projectId: true, role: true } },
  groupMemberships: { select: { group: { select: { grantsAdmin: true, projectRoles: { select: { projectId: true, role: true } } } } } },
} as const;

export interface ActorUserRow {
  id: string;
  email: string;
  name: string;
  role: UserRole;
  memberships: { projectId: string; role: ProjectRole }[];
  groupMemberships: { group: { grantsAdmin: boolean; projectRoles: { projectId: string; role: ProjectRole }[] } }[];
}

export function actorFromUser(u: ActorUserRow): Actor {
  const memberships = new Map<string, ProjectRole>();
  for (const m of u.memberships) memberships.set(m.projectId, higherRole(memberships.get(m.projectId), m.role));
  let admin = u.role === "ADMIN";
  for (const { group } of u.groupMemberships) {
    if (group.grantsAdmin) admin = true;
    for (const g of group.projectRoles) memberships.set(g.projectId, higherRole(memberships.get(g.projectId), g.role));
  }
  return { id: u.id, email: u.email, name: u.name, role: admin ? "ADMIN" : "USER", memberships };
}
