// The monitoring operations of /api/v1 (machine metrics), declared like lib/api/operations.ts
// and appended to its API_OPERATIONS.
import "server-only";
import { getMachineMetrics } from "../monitoring/get-machine-metrics";
import { alertRuleFieldsObject, alertRuleIdSchema, createAlertRuleSchema, machineMetricsSchema, projectAlertsSchema, projectMetricsSchema, updateAlertRuleSchema, utilisationSchema } from "../monitoring/schemas";
import { getProjectMetrics } from "../monitoring/get-project-metrics";
import { createAlertRule, deleteAlertRule, listAlertEvents, listAlertRules, updateAlertRule } from "../monitoring/alert-rules";
import { getUtilisation } from "../monitoring/get-utilisation";
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


export const listAlertRulesOp = defineOperation({
  operationId: "listAlertRules",
  method: "GET",
  path: "/projects/{projectId}/alert-rules",
  tag: "Monitoring",
  summary: "List a project's alert rules",
  description: "Each rule with the number of machines it is firing on now, when it last fired, and its scope (one machine, or null: every machine of the project).",
  pathParams: { projectId: "The project's id." },
  input: projectAlertsSchema,
  verb: listAlertRules,
  response: R.alertRuleList,
  errors: ["NOT_FOUND"],
});

export const createAlertRuleOp = defineOperation({
  operationId: "createAlertRule",
  method: "POST",
  path: "/projects/{projectId}/alert-rules",
  tag: "Monitoring",
  summary: "Create an alert rule",
  description:
    "Fires for a running machine of the project (or only `machineId`) when every sample of the last `durationSeconds` is beyond the threshold (e.g. CPU above 90 % for 300 s), once, and resolves at the first sample back; the machine's owner and the project's approvers are notified both times (unless `notify` is false), and the project's webhooks get `alert.fired` / `alert.resolved`. Evaluated by the worker after each sampling round. CPU and memory thresholds are percentages (at most 100).",
  pathParams: { projectId: "The project's id." },
  body: alertRuleFieldsObject,
  input: createAlertRuleSchema,
  verb: createAlertRule,
  status: 201,
  response: R.alertRule,
  examples: { request: { name: "CPU hot", metric: "CPU_PERCENT", comparator: "ABOVE", threshold: 90, durationSeconds: 300, machineId: null, notify: true, enabled: true } },
  errors: ["VALIDATION", "FORBIDDEN", "NOT_FOUND"],
});

export const updateAlertRuleOp = defineOperation({
  operationId: "updateAlertRule",
  method: "PUT",
  path: "/alert-rules/{ruleId}",
  tag: "Monitoring",
  summary: "Replace an alert rule's fields",
  description: "The same fields as at creation. Alerts it is firing now resolve at the next evaluation if the new fields say so.",
  pathParams: { ruleId: "The alert rule's id." },
  body: alertRuleFieldsObject,
  input: updateAlertRuleSchema,
  verb: updateAlertRule,
  response: R.alertRule,
  examples: { request: { name: "CPU hot", metric: "CPU_PERCENT", comparator: "ABOVE", threshold: 95, durationSeconds: 600, machineId: null, notify: true, enabled: true } },
  errors: ["VALIDATION", "FORBIDDEN", "NOT_FOUND"],
});

export const deleteAlertRuleOp = defineOperation({
  operationId: "deleteAlertRule",
  method: "DELETE",
  path: "/alert-rules/{ruleId}",
  tag: "Monitoring",
  summary: "Delete an alert rule",
  description: "Its history goes with it.",
  pathParams: { ruleId: "The alert rule's id." },
  input: alertRuleIdSchema,
  verb: deleteAlertRule,
  response: R.alertRuleDeleted,
  errors: ["FORBIDDEN", "NOT_FOUND"],
});

export const listAlertEventsOp = defineOperation({
  operationId: "listAlertEvents",
  method: "GET",
  path: "/projects/{projectId}/alerts",
  tag: "Monitoring",
  summary: "A project's alert history",
  description: "Newest first, the last 200 firings, each with when it resolved (null: still firing).",
  pathParams: { projectId: "The project's id." },
  input: projectAlertsSchema,
  verb: listAlertEvents,
  response: R.alertEventList,
  errors: ["NOT_FOUND"],
});


export const getProjectMetricsOp = defineOperation({
  operationId: "getProjectMetrics",
  method: "GET",
  path: "/projects/{projectId}/metrics",
  tag: "Monitoring",
  summary: "A project's top consumers and utilisation over a range",
  description: "The ten machines with the highest average CPU over the range (with their average memory in use), and the project's average CPU and total memory in use per point (raw for 1h, 5-minute for 24h, hourly for 7d and 30d).",
  pathParams: { projectId: "The project's id." },
  query: projectMetricsSchema.pick({ range: true }),
  input: projectMetricsSchema,
  verb: getProjectMetrics,
  response: R.projectMetrics,
  errors: ["VALIDATION", "NOT_FOUND"],
});

export const getUtilisationOp = defineOperation({
  operationId: "getUtilisation",
  method: "GET",
  path: "/admin/utilisation",
  tag: "Monitoring",
  summary: "Host utilisation over a range, per provider",
  description:
    "Administrators. For each provider: its hosts' capacity and what their counters hold now, and per point (raw samples binned by the minute for `1h`, 5-minute rollups for `24h`, hourly for `7d` and `30d`) the sampled machines' reservations (allocated vCPU and MiB) and their measured use (CPU as busy vCPUs, memory in use in MiB).",
  query: utilisationSchema,
  input: utilisationSchema,
  verb: getUtilisation,
  response: R.utilisation,
  errors: ["VALIDATION", "FORBIDDEN"],
});

export const MONITORING_API_OPERATIONS = [getMachineMetricsOp, getProjectMetricsOp, listAlertRulesOp, createAlertRuleOp, updateAlertRuleOp, deleteAlertRuleOp, listAlertEventsOp, getUtilisationOp] as const;
