import "server-only";
import type { z } from "zod";
import type { Ctx } from "../context";
import type { machineIdSchema } from "./schemas";
import { loadOperableMachine, requestOperation } from "./request-operation";

/** Asks the worker to start a machine (operation START); audit `machine.start`. */
export async function startMachine(ctx: Ctx, input: z.infer<typeof machineIdSchema>) {
  const machine = await loadOperableMachine(ctx, input.machineId);
  return requestOperation(ctx, machine, { kind: "START" });
}
