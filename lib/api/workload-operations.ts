// The container workload operations of /api/v1 (issue 13), declared like lib/api/operations.ts
// and appended to its API_OPERATIONS: request, list, get, scale, roll out, restart, delete, logs.
import "server-only";
import { z } from "zod";
import { WorkloadState } from "../generated/prisma/enums";
import { requestWorkload } from "../workloads/request-workload";
import { deleteWorkload, restartWorkload, rolloutWorkload, scaleWorkload } from "../workloads/operate-workload";
import { getWorkload, listWorkloads } from "../workloads/get-workload";
import { workloadLogs } from "../workloads/workload-logs";
import {
  deleteWorkloadSchema,
  listWorkloadsSchema,
  WORKLOAD_SORTS,
  requestWorkloadSchema,
  rolloutWorkloadSchema,
  scaleWorkloadSchema,
  workloadIdSchema,
  workloadLogsSchema,
} from "../workloads/schemas";
import { defineOperation } from "./operation";
import { queryInt } from "./queries";

const TAG = "Workloads";
const id = z.uuid();
const pathParams = { workloadId: "The workload's id." };

const workloadsQuery = z.strictObject({
  projectId: z.uuid({ error: "Not a valid id (a UUID)." }).meta({ description: "Only workloads of this project." }).optional(),
  state: z.enum(WorkloadState).meta({ description: "Only workloads in this state (DELETED ones are listed only when asked for)." }).optional(),
  q: z.string().trim().min(1, "Enter at least one character.").max(100, "Use at most 100 characters.").meta({ description: "Only workloads whose name or image contains this text (case-insensitive)." }).optional(),
  sort: z.enum(WORKLOAD_SORTS).meta({ description: "Order by `created` (default, newest first), `name` or `state`, ties by id." }).optional(),
  dir: z.enum(["asc", "desc"]).meta({ description: "`asc` or `desc`; by default newest first for `created`, ascending otherwise." }).optional(),
  cursor: z.string().max(300, "Use the nextCursor of the previous page.").meta({ description: "The `nextCursor` of the previous page (same filters, sort and dir): the page after it." }).optional(),
});
const logsQuery = z.strictObject({ tail: queryInt(1, 1000, "Lines per replica, 1 to 1000 (default 100).").optional() });

const replica = z.object({ name: z.string(), image: z.string(), state: z.string(), healthy: z.boolean().nullable() });
const workload = z.object({
  id,
  name: z.string(),
  projectId: id,
  projectName: z.string(),
  ownerEmail: z.string(),
  image: z.string(),
  replicas: z.number().int().meta({ description: "Desired replicas." }),
  reservedReplicas: z.number().int().meta({ description: "Replicas the project's quota holds (x vcpu, memoryMb, monthlyCents)." }),
  vcpu: z.number().int().meta({ description: "CPU limit per replica." }),
  memoryMb: z.number().int().meta({ description: "Memory limit per replica, MiB." }),
  monthlyCents: z.number().int(),
  offeringId: id,
  offeringName: z.string(),
  providerId: id.nullable(),
  providerName: z.string().nullable(),
  providerKind: z.string().nullable(),
  state: z.enum(WorkloadState),
  externalRef: z.string().nullable(),
  ports: z.array(z.object({ containerPort: z.number().int(), protocol: z.string() })),
  env: z.record(z.string(), z.string()),
  secretNames: z.array(z.string()).meta({ description: "Names of the sealed secrets (values never leave the server)." }),
  healthCheck: z.unknown(),
  autoscaling: z.unknown(),
  updateStrategy: z.string(),
  labels: z.record(z.string(), z.string()),
  running: z.number().int().meta({ description: "Replicas running when last observed." }),
  ready: z.number().int(),
  observedReplicas: z.array(replica),
  observedAt: z.string().nullable(),
  failureReason: z.string().nullable(),
  actions: z.array(z.enum(["SCALE", "ROLLOUT", "RESTART", "DELETE"])),
  createdAt: z.string(),
  operations: z.array(z.object({ id, kind: z.string(), status: z.string(), error: z.string().nullable(), createdAt: z.string(), finishedAt: z.string().nullable() })),
});
const requested = z.object({ workloadId: id, operationId: id, kind: z.string() });

export const requestWorkloadOp = defineOperation({
  operationId: "requestWorkload",
  method: "POST",
  path: "/workloads",
  tag: TAG,
  summary: "Request a container workload",
  description:
    "Reserves the project's quota (replicas x the offering's vCPU, memory and price) and queues the deployment on a provider the project may use that runs workloads (Docker/Podman, Kubernetes, the simulator). Secrets are sealed at rest.",
  body: requestWorkloadSchema,
  input: requestWorkloadSchema,
  verb: requestWorkload,
  status: 202,
  response: z.object({ workloadId: id, operationId: id, state: z.literal("DEPLOYING") }),
  errors: ["VALIDATION", "FORBIDDEN", "CONFLICT", "QUOTA_EXCEEDED", "NO_CAPACITY"],
  examples: {
    request: { projectId: "0b9f4a52-3c1d-4e7a-9a57-6f2a1c1b9e01", name: "web", image: "localhost/busybox:latest", replicas: 3, offeringId: "5d1c2b3a-4e5f-4a6b-8c7d-9e0f1a2b3c4d" },
  },
});

export const listWorkloadsOp = defineOperation({
  operationId: "listWorkloads",
  method: "GET",
  path: "/workloads",
  tag: TAG,
  summary: "List the workloads of your projects",
  description: "Newest first, with the replica status last observed by the worker; 20 per page, `nextCursor` leads to the next page (null on the last).",
  query: workloadsQuery,
  input: listWorkloadsSchema,
  verb: listWorkloads,
  present: (r) => ({ items: r.items, nextCursor: r.nextCursor }),
  response: z.object({ items: z.array(workload), nextCursor: z.string().nullable().meta({ description: "Pass as `cursor` for the next page; null on the last page." }) }),
  errors: [],
});

export const getWorkloadOp = defineOperation({
  operationId: "getWorkload",
  method: "GET",
  path: "/workloads/{workloadId}",
  tag: TAG,
  summary: "Get a workload",
  pathParams,
  input: workloadIdSchema,
  verb: getWorkload,
  response: workload,
  errors: ["NOT_FOUND"],
});

export const workloadLogsOp = defineOperation({
  operationId: "getWorkloadLogs",
  method: "GET",
  path: "/workloads/{workloadId}/logs",
  tag: TAG,
  summary: "Read the last lines of a workload's replicas",
  pathParams,
  query: logsQuery,
  input: workloadLogsSchema,
  verb: workloadLogs,
  response: z.object({ lines: z.array(z.object({ replica: z.string(), line: z.string() })) }),
  errors: ["VALIDATION", "NOT_FOUND", "CONFLICT"],
});

const day2 = <S extends z.ZodObject>(action: string, summary: string, input: S, verb: (ctx: Parameters<typeof getWorkload>[0], input: z.infer<S>) => Promise<z.infer<typeof requested>>, body?: z.ZodType) =>
  defineOperation({
    operationId: `${action}Workload`,
    method: "POST",
    path: `/workloads/{workloadId}/${action}`,
    tag: TAG,
    summary,
    description: "Queues an operation on the workload's job and answers at once (202); the workload is UPDATING (DELETING) until the worker finishes.",
    pathParams,
    ...(body ? { body } : {}),
    input,
    verb,
    status: 202,
    response: requested,
    errors: ["VALIDATION", "FORBIDDEN", "NOT_FOUND", "CONFLICT", "QUOTA_EXCEEDED"],
  });

export const scaleWorkloadOp = day2("scale", "Scale a workload", scaleWorkloadSchema, scaleWorkload, scaleWorkloadSchema.omit({ workloadId: true }));
export const rolloutWorkloadOp = day2("rollout", "Roll out a new image", rolloutWorkloadSchema, rolloutWorkload, rolloutWorkloadSchema.omit({ workloadId: true }));
export const restartWorkloadOp = day2("restart", "Restart every replica", workloadIdSchema, restartWorkload);
export const deleteWorkloadOp = day2("delete", "Delete a workload", deleteWorkloadSchema, deleteWorkload, deleteWorkloadSchema.omit({ workloadId: true }));

export const WORKLOAD_API_OPERATIONS = [
  requestWorkloadOp,
  listWorkloadsOp,
  getWorkloadOp,
  workloadLogsOp,
  scaleWorkloadOp,
  rolloutWorkloadOp,
  restartWorkloadOp,
  deleteWorkloadOp,
] as const;
