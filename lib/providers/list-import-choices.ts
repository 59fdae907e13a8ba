import "server-only";
import type { Ctx } from "../context";
import { assertCan } from "../auth/permissions";

export interface ImportChoices {
  projects: { id: string; name: string; members: { id: string; name: string; email: string; role: string }[] }[];
  offerings: { id: string; name: string; vcpu: number; memoryMb: number; diskGb: number; diskTier: string }[];
  templates: { id: string; name: string }[];
}

/** What the "Import" dialog offers: active projects with their members, active offerings and templates. */
export async function listImportChoices(ctx: Ctx): Promise<ImportChoices> {
  assertCan(ctx.actor, "provider.manage");
  const [projects, offerings, templates] = await Promise.all([
    ctx.db.project.findMany({
      where: { archived: false },
      orderBy: { name: "asc" },
      select: {
        id: true,
        name: true,
        members: { orderBy: { user: { name: "asc" } }, select: { role: true, user: { select: { id: true, name: true, email: true } } } },
      },
    }),
    ctx.db.offering.findMany({
      where: { active: true },
      orderBy: [{ vcpu: "asc" }, { memoryMb: "asc" }, { diskGb: "asc" }],
      select: { id: true, name: true, vcpu: true, memoryMb: true, diskGb: true, diskTier: true },
    }),
    ctx.db.template.findMany({ where: { active: true }, orderBy: { name: "asc" }, select: { id: true, name: true } }),
  ]);
  return {
    projects: projects.map((p) => ({ id: p.id, name: p.name, members: p.members.map((m) => ({ ...m.user, role: m.role })) })),
    offerings,
    templates,
  };
}
