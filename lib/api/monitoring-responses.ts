// What the monitoring operations of /api/v1 answer (lib/api/monitoring-operations.ts).
import { z } from "zod";
import { METRIC_RANGES } from "../monitoring/schemas";

const bps = z.number().meta({ description: "Bytes per second over the point's interval." });

export const machineMetrics = z.object({
  machineId: z.uuid(),
  range: z.enum(METRIC_RANGES),
  resolution: z.enum(["RAW", "M5", "H1"]),
  stepSeconds: z.int().meta({ description: "Seconds one point covers." }),
  supported: z.boolean().meta({ description: "false: the machine's provider does not report metrics." }),
  points: z.array(
    z.object({
      at: z.iso.datetime({ offset: true }),
      cpuPercent: z.number().nullable().meta({ description: "0-100 of the machine's vCPUs; null while unknown." }),
      memoryUsedBytes: z.number(),
      memoryTotalBytes: z.number().nullable(),
      diskReadBps: bps,
      diskWriteBps: bps,
      netInBps: bps,
      netOutBps: bps,
    }),
  ),
});

const rule = z.object({
  id: z.uuid(),
  projectId: z.uuid(),
  name: z.string(),
  metric: z.enum(["CPU_PERCENT", "MEMORY_PERCENT", "DISK_BYTES_PER_SECOND", "NETWORK_BYTES_PER_SECOND"]),
  comparator: z.enum(["ABOVE", "BELOW"]),
  threshold: z.number(),
  durationSeconds: z.int(),
  enabled: z.boolean(),
  machineId: z.uuid().nullable().meta({ description: "The one machine the rule watches; null: every machine of the project." }),
  notify: z.boolean(),
  createdAt: z.iso.datetime({ offset: true }),
  updatedAt: z.iso.datetime({ offset: true }),
});

export const alertRule = rule;
export const alertRuleList = z.object({
  items: z.array(
    rule.extend({
      machineName: z.string().nullable(),
      firing: z.int().meta({ description: "Machines the rule is firing on now." }),
      lastFiredAt: z.iso.datetime({ offset: true }).nullable(),
    }),
  ),
});
export const alertRuleDeleted = z.object({ id: z.uuid() });
export const alertEventList = z.object({
  items: z.array(
    z.object({
      id: z.uuid(),
      ruleId: z.uuid(),
      ruleName: z.string(),
      metric: rule.shape.metric,
      comparator: rule.shape.comparator,
      threshold: z.number(),
      machineId: z.uuid(),
      machineName: z.string().nullable(),
      firedAt: z.iso.datetime({ offset: true }),
      firedValue: z.number(),
      resolvedAt: z.iso.datetime({ offset: true }).nullable().meta({ description: "null: still firing." }),
      resolvedValue: z.number().nullable(),
    }),
  ),
});

export const projectMetrics = z.object({
  projectId: z.uuid(),
  range: z.enum(METRIC_RANGES),
  resolution: z.enum(["RAW", "M5", "H1"]),
  topConsumers: z.array(z.object({ machineId: z.uuid(), name: z.string(), cpuPercent: z.number().nullable(), memoryUsedBytes: z.number() })),
  series: z.array(z.object({ at: z.iso.datetime({ offset: true }), cpuPercent: z.number().nullable(), memoryUsedBytes: z.number(), machines: z.int() })),
});

const point = z.object({
  at: z.iso.datetime({ offset: true }),
  machines: z.int(),
  vcpuAllocated: z.number(),
  memoryMbAllocated: z.number(),
  vcpuUsed: z.number().meta({ description: "Measured: busy vCPUs (each machine's CPU % of its vCPUs)." }),
  memoryMbUsed: z.number(),
});
const amounts = z.object({ vcpu: z.number(), memoryMb: z.number() });
export const utilisation = z.object({
  range: z.enum(METRIC_RANGES),
  resolution: z.enum(["RAW", "M5", "H1"]),
  stepSeconds: z.int(),
  providers: z.array(
    z.object({
      id: z.uuid(),
      name: z.string(),
      kind: z.string(),
      capacity: amounts.nullable().meta({ description: "Sum over the hosts that are not disabled; null: no hosts (public clouds)." }),
      allocatedNow: amounts.nullable(),
      series: z.array(point),
    }),
  ),
});
