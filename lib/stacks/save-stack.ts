// Creates a stack or adds a version to it from a YAML document (the project and the name
// come from its metadata). An unchanged document adds no version.
import "server-only";
import type { Ctx } from "../context";
import { assertCan, can } from "../auth/permissions";
import { AppError, notFound } from "../errors";
import { recordAudit } from "../audit/record-audit";
import { parseStackYaml } from "./parse";
import type { SaveStackInput } from "./schemas";

export async function saveStack(ctx: Ctx, input: SaveStackInput) {
  const parsed = parseStackYaml(input.yaml);
  if (!parsed.ok) {
    const first = parsed.problems[0]!;
    throw new AppError("VALIDATION", `line ${first.line}, column ${first.column}: ${first.message}`, { fields: { yaml: parsed.problems.map((p) => `line ${p.line}, column ${p.column}${p.path ? ` (${p.path})` : ""}: ${p.message}`) }, problems: parsed.problems });
  }
  const doc = parsed.document;
  const project = await ctx.db.project.findUnique({ where: { slug: doc.metadata.project } });
  if (!project || project.archived || !can(ctx.actor, "project.read", project.id)) throw notFound("Project");
  assertCan(ctx.actor, "stack.write", project.id);
  return ctx.db.$transaction(async (tx) => {
    await tx.$executeRaw`select pg_advisory_xact_lock(hashtext(${`stack:${project.id}:${doc.metadata.name}`}))`;
    let stack = await tx.stack.findUnique({ where: { projectId_name: { projectId: project.id, name: doc.metadata.name } } });
    const created = !stack;
    if (!stack) stack = await tx.stack.create({ data: { projectId: project.id, name: doc.metadata.name, healing: doc.healing, createdById: ctx.actor.id } });
    else if (stack.healing !== doc.healing) stack = await tx.stack.update({ where: { id: stack.id }, data: { healing: doc.healing } });
    const latest = await tx.stackVersion.findFirst({ where: { stackId: stack.id }, orderBy: { number: "desc" } });
    if (latest && latest.yaml === input.yaml) return { stackId: stack.id, versionId: latest.id, version: latest.number, created: false };
    // A new version resumes healing paused by the flapping guard.
    if (stack.healPausedAt) await tx.stack.update({ where: { id: stack.id }, data: { healPausedAt: null, healFailures: 0 } });
    const version = await tx.stackVersion.create({
      data: { stackId: stack.id, number: (latest?.number ?? 0) + 1, yaml: input.yaml, document: doc as object, createdById: ctx.actor.id },
    });
    await recordAudit(tx, ctx, { action: created ? "stack.create" : "stack.update", targetType: "Stack", targetId: stack.id, projectId: project.id, after: { name: stack.name, version: version.number, healing: doc.healing } });
    return { stackId: stack.id, versionId: version.id, version: version.number, created };
  });
}
