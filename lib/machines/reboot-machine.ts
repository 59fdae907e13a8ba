import "server-only";
import type { z } from "zod";
import type { Ctx } from "../context";
import type { machineIdSchema } from "./schemas";
import { loadOperableMachine, requestOperation } from "./request-operation";

/** Asks the worker to reboot a machine (operation REBOOT); audit `machine.reboot`. */
export async function rebootMachine(ctx: Ctx, input: z.infer<typeof machineIdSchema>) {
  const machine = await loadOperableMachine(ctx, input.machineId);
  return requestOperation(ctx, machine, { kind: "REBOOT" });
}
