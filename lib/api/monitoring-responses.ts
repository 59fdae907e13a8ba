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
