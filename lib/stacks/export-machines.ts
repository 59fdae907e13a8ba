// Export: existing machines of a project as a stack document, one group per offering and
// template (identical machines, count = how many); with `adopt` the stack is created from it
// and the machines become its machines (nothing is recreated: the plan finds them in place).
import "server-only";
import type { Ctx } from "../context";
import { assertCan, can } from "../auth/permissions";
import { conflict, notFound, validationError } from "../errors";
import { recordAudit } from "../audit/record-audit";
import { isDnsLabel } from "../requests/names";
import { STACK_API_VERSION } from "./document";
import { stackToYaml } from "./parse";
import { saveStack } from "./save-stack";
import type { ExportMachinesInput } from "./schemas";

export async function exportMachines(ctx: Ctx, input: ExportMachinesInput) {
  if (!can(ctx.actor, "stack.read", input.projectId)) throw notFound("Project");
  if (!isDnsLabel(input.name)) throw validationError({ name: ["must be a DNS label"] });
  const project = await ctx.db.project.findUnique({ where: { id: input.projectId } });
  if (!project) throw notFound("Project");
  const machines = await ctx.db.machine.findMany({
    where: { id: { in: input.machineIds }, projectId: project.id, state: { notIn: ["DELETED", "DELETING"] } },
    include: { offering: { select: { name: true } }, template: { select: { name: true } } },
    orderBy: { name: "asc" },
  });
  if (machines.length !== new Set(input.machineIds).size) throw notFound("Machine");
  const owned = machines.find((m) => m.stackId);
  if (owned && input.adopt) throw conflict(`${owned.name} already belongs to a stack`);
  const groups = new Map<string, typeof machines>();
  for (const m of machines) groups.set(`${m.offeringId}/${m.templateId}`, [...(groups.get(`${m.offeringId}/${m.templateId}`) ?? []), m]);
  const used = new Set<string>();
  const groupNames = new Map<string, string>();
  const docMachines = [...groups.entries()].map(([key, list]) => {
    // The group's name: the machines' common prefix (web-01, web-02 -> web), else the first name.
    const prefix = list.length > 1 ? list.map((m) => m.name.replace(/-\d+$/, "")).reduce((p, n) => (p === n ? p : "")) : list[0]!.name;
    let name = prefix && isDnsLabel(prefix) ? prefix : list[0]!.name;
    for (let k = 2; used.has(name); k++) name = `${prefix || "group"}-g${k}`;
    used.add(name);
    groupNames.set(key, name);
    return { name, offering: list[0]!.offering.name, template: list[0]!.template.name, count: list.length };
  });
  const document = {
    apiVersion: STACK_API_VERSION,
    kind: "Stack",
    metadata: { name: input.name, project: project.slug },
    machines: docMachines,
    outputs: Object.fromEntries(docMachines.map((g) => [`${g.name.replace(/-/g, "_")}_ips`, `\${machines.${g.name}.ips}`])),
    healing: "report",
  };
  const yaml = stackToYaml(document);
  if (!input.adopt) return { yaml, stackId: null as string | null };
  assertCan(ctx.actor, "stack.write", project.id);
  const saved = await saveStack(ctx, { yaml });
  await ctx.db.$transaction(async (tx) => {
    for (const [key, list] of groups) {
      const n = await tx.machine.updateMany({ where: { id: { in: list.map((m) => m.id) }, stackId: null }, data: { stackId: saved.stackId, stackGroup: groupNames.get(key)! } });
      if (n.count !== list.length) throw conflict("A machine joined another stack meanwhile");
    }
    await tx.stack.update({ where: { id: saved.stackId }, data: { status: "APPLIED", appliedVersionId: saved.versionId, appliedById: ctx.actor.id, runKind: "apply" } });
    await tx.stackVersion.update({ where: { id: saved.versionId }, data: { appliedAt: ctx.now() } });
    await recordAudit(tx, ctx, { action: "stack.adopt", targetType: "Stack", targetId: saved.stackId, projectId: project.id, after: { machines: machines.map((m) => m.name) } });
  });
  return { yaml, stackId: saved.stackId as string | null };
}
