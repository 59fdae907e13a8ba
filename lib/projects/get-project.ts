import "server-only";
import type { z } from "zod";
import type { Ctx } from "../context";
import { assertCan } from "../auth/permissions";
import { notFound } from "../errors";
import { projectIdSchema } from "./schemas";

const ROLE_ORDER = { APPROVER: 0, MEMBER: 1, VIEWER: 2 } as const;

/** A project for its admin page: settings, usage and members (with e-mail and role). */
export async function getProject(ctx: Ctx, input: z.infer<typeof projectIdSchema>) {
  assertCan(ctx.actor, "project.manage");
  const parsed = projectIdSchema.safeParse(input);
  if (!parsed.success) throw notFound("Project");
  const project = await ctx.db.project.findUnique({
    where: { id: parsed.data.id },
    include: {
      members: { include: { user: { select: { id: true, email: true, name: true, disabled: true } } } },
      _count: { select: { requests: true, machines: true } },
      providers: { select: { providerId: true } },
    },
  });
  if (!project) throw notFound("Project");
  const { members, _count, providers, ...row } = project;
  // Every provider, for the project's provider choice (names and kinds only).
  const providerChoices = await ctx.db.provider.findMany({ orderBy: { name: "asc" }, select: { id: true, name: true, kind: true, status: true } });
  return {
    ...row,
    allowedProviderIds: providers.map((p) => p.providerId),
    providerChoices,
    hasHistory: _count.requests + _count.machines > 0,
    members: members
      .map((m) => ({ userId: m.userId, role: m.role, email: m.user.email, name: m.user.name, disabled: m.user.disabled, since: m.createdAt }))
      .sort((a, b) => ROLE_ORDER[a.role] - ROLE_ORDER[b.role] || a.email.localeCompare(b.email)),
  };
}
