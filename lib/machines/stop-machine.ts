import "server-only";
import type { z } from "zod";
import type { Ctx } from "../context";
import type { machineIdSchema } from "./schemas";
import { loadOperableMachine, requestOperation } from "./request-operation";

/** Asks the worker to stop a machine (operation STOP); audit `machine.stop`. */
export async function stopMachine(ctx: Ctx, input: z.infer<typeof machineIdSchema>) {
  const machine = await loadOperableMachine(ctx, input.machineId);
  return requestOperation(ctx, machine, { kind: "STOP" });
}
