// Catalogue filters, read from the page's searchParams: anything unparsable is ignored
// rather than failing the page.
import { z } from "zod";

const optionalPositive = z.preprocess(
  (v) => (v === "" || v === undefined || v === null ? undefined : v),
  z.coerce.number().int().min(1).max(100000).optional(),
).catch(undefined);

export const catalogFilterSchema = z.object({
  tier: z.enum(["SSD", "HDD"]).optional().catch(undefined),
  minVcpu: optionalPositive,
  /** GiB, as the form shows memory. */
  minMemoryGb: optionalPositive,
});
export type CatalogFilter = z.infer<typeof catalogFilterSchema>;
