import "server-only";
import type { z } from "zod";
import type { Ctx } from "../context";
import { validationError } from "../errors";
import type { deleteMachineSchema } from "./schemas";
import { assertActionAllowed, loadOperableMachine, requestOperation } from "./request-operation";

/**
 * Asks the worker to delete a machine and its storage (operation DELETE). The caller must
 * type the machine's exact name: a guard against deleting the wrong machine.
 */
export async function deleteMachine(ctx: Ctx, input: z.infer<typeof deleteMachineSchema>) {
  const machine = await loadOperableMachine(ctx, input.machineId);
  assertActionAllowed("DELETE", machine);
  if (input.confirmName.trim() !== machine.name) {
    throw validationError({ confirmName: ["Type the machine's name exactly to confirm"] });
  }
  return requestOperation(ctx, machine, { kind: "DELETE" });
}
