// The monitoring operations of /api/v1 (machine metrics), declared like lib/api/operations.ts
// and appended to its API_OPERATIONS.
import "server-only";
import { getMachineMetrics } from "../monitoring/get-machine-metrics";
import { machineMetricsSchema } from "../monitoring/schemas";
import { defineOperation } from "./operation";
import * as R from "./monitoring-responses";

export const getMachineMetricsOp = defineOperation({
  operationId: "getMachineMetrics",
  method: "GET",
  path: "/machines/{machineId}/metrics",
  tag: "Machines",
  summary: "A machine's CPU, memory, disk and network over a range",
  description:
    "Oldest first: the raw samples for `1h` (one per the provider's sampling interval, 60 s by default), 5-minute averages for `24h`, hourly ones for `7d` and `30d`. CPU in percent of the machine's vCPUs, memory in bytes, disk and network in bytes per second.",
  pathParams: { machineId: "The machine's id." },
  query: machineMetricsSchema.pick({ range: true }),
  input: machineMetricsSchema,
  verb: getMachineMetrics,
  response: R.machineMetrics,
  errors: ["VALIDATION", "NOT_FOUND"],
});

export const MONITORING_API_OPERATIONS = [getMachineMetricsOp] as const;
