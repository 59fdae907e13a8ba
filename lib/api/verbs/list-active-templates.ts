// The OS templates a catalogue reader can request (active ones), for API clients choosing a
// templateId for POST /requests. The admin list (lib/templates/list-templates.ts) shows
// inactive ones and usage too, and is for administrators only.
import "server-only";
import type { Ctx } from "../../context";
import { assertCan } from "../../auth/permissions";
import type { ListActiveTemplatesInput } from "./schemas";

export async function listActiveTemplates(ctx: Ctx, input: ListActiveTemplatesInput) {
  assertCan(ctx.actor, "catalog.read");
  const items = await ctx.db.template.findMany({
    where: { active: true, ...(input.osFamily ? { osFamily: input.osFamily } : {}) },
    orderBy: [{ name: "asc" }, { id: "asc" }],
    select: { id: true, name: true, description: true, osFamily: true, osName: true, osVersion: true, minDiskGb: true },
  });
  return { items };
}
