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
] as const;
export const SIM_FAULT_MODES = ["TRANSIENT", "PERMANENT", "HANG"] as const;

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
