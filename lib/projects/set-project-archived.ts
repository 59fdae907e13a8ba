import "server-only";
import type { z } from "zod";
import type { Ctx } from "../context";
import { assertCan } from "../auth/permissions";
import { notFound } from "../errors";
import { recordAudit } from "../audit/record-audit";
import { parseInput } from "../offerings/parse-input";
import { setProjectArchivedSchema } from "./schemas";
import { projectSnapshot } from "./snapshot";

/** Archive (kept with its history, no new requests) or restore a project. */
export async function setProjectArchived(ctx: Ctx, input: z.infer<typeof setProjectArchivedSchema>) {
  assertCan(ctx.actor, "project.manage");
  const { id, archived } = parseInput(setProjectArchivedSchema, input);
  return ctx.db.$transaction(async (tx) => {
    const before = await tx.project.findUnique({ where: { id } });
    if (!before) throw notFound("Project");
    if (before.archived === archived) return before;
    const after = await tx.project.update({ where: { id }, data: { archived } });
    await recordAudit(tx, ctx, {
      action: archived ? "project.archive" : "project.unarchive",
      targetType: "Project",
      targetId: id,
      projectId: id,
      before: projectSnapshot(before),
      after: projectSnapshot(after),
    });
    return after;
  });
}
