import { z } from "zod";

export const SIM_OPERATIONS = [
  "*",
  "provision",
  "getMachine",
  "start",
  "stop",
  "reboot",
  "destroy",
  "resize",
  "snapshot",
  "revertSnapshot",
  "deleteSnapshot",
  "listMachines",
  "getCapacity",
  "testConnection",
  "rename",
] as const;
/**
 * BEFORE the call does anything: TRANSIENT (retryable error), PERMANENT, HANG (never answers).
 * AFTER the call did its work (the machine was created, stopped, deleted...): the same three,
 * the faults where orchestrators leak resources and drift their counters (created, then the
 * call times out; deleted, then an error).
 */
export const SIM_FAULT_MODES = ["TRANSIENT", "PERMANENT", "HANG", "AFTER_TRANSIENT", "AFTER_PERMANENT", "AFTER_HANG"] as const;
export type SimFaultModeName = (typeof SIM_FAULT_MODES)[number];

export const addSimFaultSchema = z.object({
  providerId: z.uuid({ message: "simulator.errors.providerRequired" }),
  operation: z.enum(SIM_OPERATIONS, { message: "simulator.errors.operationInvalid" }),
  mode: z.enum(SIM_FAULT_MODES, { message: "simulator.errors.modeInvalid" }),
  message: z.string().trim().min(1, "simulator.errors.messageRequired").max(300, "simulator.errors.messageTooLong"),
  // Empty = every call until removed.
  remaining: z
    .union([z.literal("").transform(() => null), z.coerce.number().int("simulator.errors.remainingRange").min(1, "simulator.errors.remainingRange").max(1000, "simulator.errors.remainingRange"), z.null()])
    .default(null),
});
export type AddSimFaultInput = z.input<typeof addSimFaultSchema>;

export const removeSimFaultSchema = z.object({ faultId: z.uuid() });
