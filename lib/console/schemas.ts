import { z } from "zod";

export const consoleTicketSchema = z.object({
  machineId: z.uuid(),
});
