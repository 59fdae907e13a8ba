// Schemas of the monitoring verbs (machine metrics for charts), shared by the route handler,
// the API and the tests.
import { z } from "zod";

export const METRIC_RANGES = ["1h", "24h", "7d", "30d"] as const;
export type MetricRange = (typeof METRIC_RANGES)[number];

export const machineMetricsSchema = z.object({
  machineId: z.uuid(),
  range: z.enum(METRIC_RANGES).default("1h").meta({ description: "1h (raw samples), 24h (5-minute averages), 7d or 30d (hourly averages); default 1h.", example: "24h" }),
});
