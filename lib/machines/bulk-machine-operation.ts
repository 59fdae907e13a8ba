import "server-only";
import type { Ctx } from "../context";
import { AppError } from "../errors";
import { logger } from "../log/logger";
import { parseInput } from "../offerings/parse-input";
import type { Day2Kind } from "./available-actions";
import { loadOperableMachine, requestOperation } from "./request-operation";
import { bulkMachineOperationSchema, type BulkMachineOperationInput } from "./schemas";

export type BulkResult =
  | { machineId: string; name: string | null; ok: true; operationId: string; state: string }
  | { machineId: string; name: string | null; ok: false; code: AppError["code"]; reason: string };

const KIND: Record<BulkMachineOperationInput["action"], Day2Kind> = { start: "START", stop: "STOP", delete: "DELETE" };

/**
 * Starts, stops or deletes several machines: each one through the ordinary day-2 path
 * (`loadOperableMachine` + `requestOperation`: visibility, `machine.operate`, project policy,
 * capability, state machine, its own transaction and audit event), so one refusal does not
 * undo the others. Answers one result per machine, in the order given, with the reason of
 * each refusal; machines the actor cannot see read "not found" like everywhere else.
 */
export async function bulkMachineOperation(ctx: Ctx, input: BulkMachineOperationInput): Promise<{ results: BulkResult[]; succeeded: number; failed: number }> {
  const f = parseInput(bulkMachineOperationSchema, input);
  const kind = KIND[f.action];
  const results: BulkResult[] = [];
  for (const machineId of f.machineIds) {
    let name: string | null = null;
    try {
      const machine = await loadOperableMachine(ctx, machineId);
      name = machine.name;
      const r = await requestOperation(ctx, machine, { kind });
      results.push({ machineId, name, ok: true, operationId: r.operationId, state: r.state });
    } catch (err) {
      if (err instanceof AppError) results.push({ machineId, name, ok: false, code: err.code, reason: err.message });
      else {
        logger.error({ err, machineId, correlationId: ctx.correlationId }, "bulk machine operation failed");
        results.push({ machineId, name, ok: false, code: "INTERNAL", reason: "Something went wrong; try this machine again." });
      }
    }
  }
  const succeeded = results.filter((r) => r.ok).length;
  return { results, succeeded, failed: results.length - succeeded };
}
