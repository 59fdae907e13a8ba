// Machine tags (issue 16): replaces the machine's key=value labels, audited with before/after.
import "server-only";
import type { z } from "zod";
import type { Ctx } from "../context";
import type { Prisma } from "../db/client";
import { recordAudit } from "../audit/record-audit";
import { conflict, validationError } from "../errors";
import { loadOperableMachine } from "./request-operation";
import type { setMachineTagsSchema } from "./schemas";
import { parseTags, tagsOf } from "./tags";

export async function setMachineTags(ctx: Ctx, input: z.infer<typeof setMachineTagsSchema>) {
  const machine = await loadOperableMachine(ctx, input.machineId);
  if (machine.state === "DELETED") throw conflict("A deleted machine cannot be tagged");
  const { tags, errors } = parseTags(input.tags);
  if (errors.length) throw validationError({ tags: errors });
  const before = tagsOf(machine.tags);
  await ctx.db.$transaction(async (tx) => {
    await tx.machine.update({ where: { id: machine.id }, data: { tags: tags as Prisma.InputJsonValue } });
    await recordAudit(tx, ctx, { action: "machine.tag", targetType: "Machine", targetId: machine.id, projectId: machine.projectId, before: { tags: before }, after: { tags } });
  });
  return { machineId: machine.id, tags };
}
