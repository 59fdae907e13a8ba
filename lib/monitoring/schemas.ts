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

// Messages are message keys (messages/<locale>/alerts.json), turned into text by the form.
const k = (key: string) => `alerts.validation.${key}`;
export const PERCENT_METRICS: readonly string[] = ["CPU_PERCENT", "MEMORY_PERCENT"];

/** The fields of a rule as an object (the API documents its body with it). */
export const alertRuleFieldsObject = z.object({
  name: z.string({ error: k("nameRequired") }).trim().min(1, k("nameRequired")).max(100, k("nameTooLong")),
  metric: z.enum(ALERT_METRICS, { error: k("metricInvalid") }).meta({ description: "CPU and memory in percent; disk and network in bytes per second." }),
  comparator: z.enum(["ABOVE", "BELOW"], { error: k("comparatorInvalid") }).default("ABOVE"),
  threshold: z
    .number({ error: k("thresholdRequired") })
    .min(0, k("thresholdNegative"))
    .max(1e15, k("thresholdTooLarge"))
    .meta({ description: "Percent (0-100) for CPU and memory; bytes per second for disk and network." }),
  durationSeconds: z
    .int({ error: k("durationInvalid") })
    .min(60, k("durationTooShort"))
    .max(7 * 86400, k("durationTooLong"))
    .default(300)
    .meta({ description: "How long every sample must be beyond the threshold before the alert fires." }),
  machineId: z.uuid({ error: k("machineInvalid") }).nullable().default(null).meta({ description: "Only this machine of the project; null: every machine of the project." }),
  notify: z.boolean({ error: k("booleanRequired") }).default(true).meta({ description: "false: the history and webhooks only, no notification to the machine's owner and the project's approvers." }),
  enabled: z.boolean({ error: k("booleanRequired") }).default(true).meta({ description: "false: not evaluated (an open alert stays until the rule is enabled again or deleted)." }),
});

/** CPU and memory are percentages: a threshold above 100 could never be crossed. */
function percentInRange(v: { metric: string; threshold: number }, ctx: z.RefinementCtx) {
  if (PERCENT_METRICS.includes(v.metric) && v.threshold > 100) ctx.addIssue({ code: "custom", path: ["threshold"], message: k("thresholdPercent") });
}

export const alertRuleFieldsSchema = alertRuleFieldsObject.superRefine(percentInRange);
export type AlertRuleFields = z.input<typeof alertRuleFieldsSchema>;

export const createAlertRuleSchema = alertRuleFieldsObject.extend({ projectId: z.uuid({ error: k("projectRequired") }) }).superRefine(percentInRange);

export const updateAlertRuleSchema = alertRuleFieldsObject.extend({ ruleId: z.uuid() }).superRefine(percentInRange);

export const alertRuleIdSchema = z.object({ ruleId: z.uuid() });

export const projectMetricsSchema = z.object({
  projectId: z.uuid(),
  range: machineMetricsSchema.shape.range,
});

export const projectMonitoringSchema = z.object({ projectId: z.uuid().optional() });

export const utilisationSchema = z.object({
  range: machineMetricsSchema.shape.range,
  providerId: z.uuid().optional().meta({ description: "Only this provider; default: every provider." }),
});
