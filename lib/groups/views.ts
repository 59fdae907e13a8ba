import type { ProjectRole } from "../generated/prisma/enums";

export interface GroupRow {
  id: string;
  name: string;
  description: string;
  idpGroup: string | null;
  grantsAdmin: boolean;
  memberCount: number;
  projectRoles: { projectId: string; projectName: string; role: ProjectRole }[];
  createdAt: Date;
  updatedAt: Date;
}

export interface GroupDetail extends GroupRow {
  members: { userId: string; email: string; name: string; source: "MANUAL" | "IDP"; disabled: boolean; since: Date }[];
}

export const groupRowSelect = {
  id: true,
  name: true,
  description: true,
  idpGroup: true,
  grantsAdmin: true,
  createdAt: true,
  updatedAt: true,
  _count: { select: { members: true } },
  projectRoles: { select: { projectId: true, role: true, project: { select: { name: true } } }, orderBy: { project: { name: "asc" as const } } },
};

export function toGroupRow(g: {
  id: string;
  name: string;
  description: string;
  idpGroup: string | null;
  grantsAdmin: boolean;
  createdAt: Date;
  updatedAt: Date;
  _count: { members: number };
  projectRoles: { projectId: string; role: ProjectRole; project: { name: string } }[];
}): GroupRow {
  return {
    id: g.id,
    name: g.name,
    description: g.description,
    idpGroup: g.idpGroup,
    grantsAdmin: g.grantsAdmin,
    memberCount: g._count.members,
    projectRoles: g.projectRoles.map((r) => ({ projectId: r.projectId, projectName: r.project.name, role: r.role })),
    createdAt: g.createdAt,
    updatedAt: g.updatedAt,
  };
}
