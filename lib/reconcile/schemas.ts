import { z } from "zod";

export const runCountersReconcileSchema = z.object({
  /** false: report only. */
  repair: z.boolean().default(true),
});
export type RunCountersReconcileInput = z.input<typeof runCountersReconcileSchema>;
