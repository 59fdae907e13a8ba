// Schemas of the monitoring verbs (machine metrics for charts), shared by the route handler,
// the API and the tests.
import { z } from "zod";

export const METRIC_RANGES = ["1h", "24h", "7d", "30d"] as const;
export type MetricRange = (typeof METRIC_RANGES)[number];

export const machineMetricsSchema = z.object({
  machineId: z.uuid(),
  range: z.enum(METRIC_RANGES).default("1h").meta({ description: "1h (raw samples), 24h (5-minute averages), 7d or 30d (hourly averages); default 1h.", example: "24h" }),
});

export const ALERT_METRICS = ["CPU_PERCENT", "MEMORY_PERCENT", "DISK_BYTES_PER_SECOND", "NETWORK_BYTES_PER_SECOND"] as const;

export const projectAlertsSchema = z.object({ projectId: z.uuid() });

export const createAlertRuleSchema = z.object({
  projectId: z.uuid(),
  name: z.string().trim().min(1, "Name the rule").max(100),
  metric: z.enum(ALERT_METRICS).meta({ description: "CPU and memory in percent; disk and network in bytes per second." }),
  comparator: z.enum(["ABOVE", "BELOW"]).default("ABOVE"),
  threshold: z.number().min(0).max(1e15),
  durationSeconds: z.int().min(60, "At least 60 seconds").max(7 * 86400).default(300).meta({ description: "How long every sample must be beyond the threshold before the alert fires." }),
});

export const alertRuleIdSchema = z.object({ ruleId: z.uuid() });

export const projectMetricsSchema = z.object({
  projectId: z.uuid(),
  range: machineMetricsSchema.shape.range,
});
