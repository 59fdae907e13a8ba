import "server-only";
import type { Ctx } from "../context";
import { assertCan } from "../auth/permissions";
import { validationError } from "../errors";
import { recordAudit } from "../audit/record-audit";
import { parseInput } from "../offerings/parse-input";
import { isUniqueViolation } from "../offerings/prisma-errors";
import { createProjectSchema, type ProjectFields } from "./schemas";
import { projectRowData } from "./to-row";
import { projectSnapshot } from "./snapshot";
import { assertProjectNameAndSlugFree, uniqueViolationFields } from "./unique-fields";

export async function createProject(ctx: Ctx, input: ProjectFields) {
  assertCan(ctx.actor, "project.manage");
  const data = projectRowData(parseInput(createProjectSchema, input));
  try {
    return await ctx.db.$transaction(async (tx) => {
      await assertProjectNameAndSlugFree(tx, data.name, data.slug);
      const project = await tx.project.create({ data });
      await recordAudit(tx, ctx, { action: "project.create", targetType: "Project", targetId: project.id, projectId: project.id, after: projectSnapshot(project) });
      return project;
    });
  } catch (err) {
    if (isUniqueViolation(err)) throw validationError(uniqueViolationFields());
    throw err;
  }
}
