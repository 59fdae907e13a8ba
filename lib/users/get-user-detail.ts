// One user for administrators: who they are, how they sign in, their projects (own role and
// what their groups grant, and the effective role), their groups, sessions and tokens.
import "server-only";
import type { Ctx } from "../context";
import { assertCan } from "../auth/permissions";
import { notFound } from "../errors";
import { higherRole } from "../auth/effective-access";
import type { ProjectRole } from "../generated/prisma/enums";
import { toUserRow, userRowSelect, type UserRow } from "./views";

export interface UserDetail extends UserRow {
  effectiveRole: "ADMIN" | "USER";
  /** Administrators through these groups (besides their own role). */
  adminVia: string[];
  oidcIssuer: string | null;
  groupMemberships: { id: string; name: string; source: "MANUAL" | "IDP"; grantsAdmin: boolean; idpGroup: string | null }[];
  projectRoles: { projectId: string; projectName: string; ownRole: ProjectRole | null; viaGroups: { group: string; role: ProjectRole }[]; effectiveRole: ProjectRole }[];
}

export async function getUserDetail(ctx: Ctx, input: { id: string }): Promise<UserDetail> {
  assertCan(ctx.actor, "user.manage");
  const now = ctx.now();
  const u = await ctx.db.user.findFirst({
    where: { id: input.id, deletedAt: null },
    select: {
      ...userRowSelect(now),
      oidcIssuer: true,
      memberships: { select: { projectId: true, role: true, project: { select: { name: true } } } },
      groupMemberships: {
        select: {
          source: true,
          group: { select: { id: true, name: true, grantsAdmin: true, idpGroup: true, projectRoles: { select: { projectId: true, role: true, project: { select: { name: true } } } } } },
        },
      },
    },
  });
  if (!u) throw notFound("User");
  const projects = new Map<string, UserDetail["projectRoles"][number]>();
  const entry = (projectId: string, projectName: string) => {
    let e = projects.get(projectId);
    if (!e) projects.set(projectId, (e = { projectId, projectName, ownRole: null, viaGroups: [], effectiveRole: "VIEWER" }));
    return e;
  };
  for (const m of u.memberships) entry(m.projectId, m.project.name).ownRole = m.role;
  for (const gm of u.groupMemberships) for (const r of gm.group.projectRoles) entry(r.projectId, r.project.name).viaGroups.push({ group: gm.group.name, role: r.role });
  for (const e of projects.values()) {
    let role: ProjectRole | undefined = e.ownRole ?? undefined;
    for (const v of e.viaGroups) role = higherRole(role, v.role);
    e.effectiveRole = role!;
  }
  const adminVia = u.groupMemberships.filter((g) => g.group.grantsAdmin).map((g) => g.group.name).sort();
  return {
    ...toUserRow(u, now),
    effectiveRole: u.role === "ADMIN" || adminVia.length ? "ADMIN" : "USER",
    adminVia,
    oidcIssuer: u.oidcIssuer,
    groupMemberships: u.groupMemberships
      .map((g) => ({ id: g.group.id, name: g.group.name, source: g.source, grantsAdmin: g.group.grantsAdmin, idpGroup: g.group.idpGroup }))
      .sort((a, b) => a.name.localeCompare(b.name)),
    projectRoles: [...projects.values()].sort((a, b) => a.projectName.localeCompare(b.projectName)),
  };
}
