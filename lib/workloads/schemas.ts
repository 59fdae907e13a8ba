// Zod schemas of the workload verbs, shared by the form, the server actions and the API.
import { z } from "zod";
import { WorkloadState } from "../generated/prisma/enums";

const id = z.uuid("Not a valid id");
const optional = <T extends z.ZodType>(schema: T) => z.preprocess((v) => (v === "" || v === null ? undefined : v), schema.optional());

export const MAX_REPLICAS = 50;

/** Image references: [registry/]name[:tag|@digest], no spaces or shell characters. */
export const IMAGE_RE = /^[a-z0-9]+([._-][a-z0-9]+)*(:[0-9]+)?(\/[a-z0-9]+([._-][a-z0-9]+)*)*(:[A-Za-z0-9_][A-Za-z0-9_.-]{0,127})?(@sha256:[a-f0-9]{64})?$/;
export const WORKLOAD_NAME_RE = /^[a-z0-9]([a-z0-9-]{0,38}[a-z0-9])?$/;
const ENV_NAME_RE = /^[A-Za-z_][A-Za-z0-9_]{0,127}$/;

const image = z.string().trim().min(1, "Enter an image").max(255, "At most 255 characters").regex(IMAGE_RE, "Not an image reference (for example localhost/busybox:latest)");
const replicas = z.coerce.number("Enter a number").int("Whole numbers only").min(0, "At least 0").max(MAX_REPLICAS, `At most ${MAX_REPLICAS}`);
const envMap = z
  .record(z.string().regex(ENV_NAME_RE, "Variable names are letters, digits and _"), z.string().max(4096, "At most 4096 characters"))
  .refine((m) => Object.keys(m).length <= 50, "At most 50 variables");

export const workloadPortSchema = z.strictObject({
  containerPort: z.coerce.number().int().min(1, "1 to 65535").max(65535, "1 to 65535"),
  protocol: z.enum(["TCP", "UDP"]).default("TCP"),
});

export const healthCheckSchema = z.strictObject({
  command: z.array(z.string().min(1).max(256)).min(1, "Enter a command").max(20),
  intervalSeconds: z.coerce.number().int().min(1).max(3600).default(10),
  retries: z.coerce.number().int().min(1).max(20).default(3),
});

export const autoscalingSchema = z
  .strictObject({
    minReplicas: z.coerce.number().int().min(1).max(MAX_REPLICAS),
    maxReplicas: z.coerce.number().int().min(1).max(MAX_REPLICAS),
    cpuPercent: z.coerce.number().int().min(1).max(100),
  })
  .refine((a) => a.maxReplicas >= a.minReplicas, { message: "The maximum must be at least the minimum", path: ["maxReplicas"] });

export const requestWorkloadSchema = z.strictObject({
  projectId: id,
  name: z.string().trim().min(1, "Enter a name").max(40, "At most 40 characters").regex(WORKLOAD_NAME_RE, "Use lower-case letters, digits and hyphens; start and end with a letter or digit"),
  image,
  command: z.array(z.string().min(1).max(1024)).max(50).nullable().default(null),
  replicas: replicas.refine((n) => n >= 1, "At least 1"),
  offeringId: z.uuid("Choose an offering"),
  providerId: optional(z.uuid("Choose a provider")),
  ports: z.array(workloadPortSchema).max(10, "At most 10 ports").default([]),
  env: envMap.default({}),
  secrets: envMap.default({}),
  healthCheck: healthCheckSchema.nullable().default(null),
  updateStrategy: z.enum(["ROLLING", "RECREATE"]).default("ROLLING"),
  autoscaling: autoscalingSchema.nullable().default(null),
});
export type RequestWorkloadInput = z.input<typeof requestWorkloadSchema>;

export const workloadIdSchema = z.object({ workloadId: id });
export const scaleWorkloadSchema = z.object({ workloadId: id, replicas });
export const rolloutWorkloadSchema = z.object({ workloadId: id, image });
export const deleteWorkloadSchema = z.object({ workloadId: id, confirmName: z.string().max(200) });
export const workloadLogsSchema = z.object({ workloadId: id, tail: z.coerce.number().int().min(1).max(1000).default(100) });

export const WORKLOAD_SORTS = ["created", "name", "state"] as const;
export const listWorkloadsSchema = z.object({
  projectId: optional(id).catch(undefined),
  state: optional(z.enum(WorkloadState)).catch(undefined),
  /** Name or image contains (case-insensitive). */
  q: optional(z.string().trim().max(100)).catch(undefined),
  /** `created` (default: newest first), `name` or `state`; ties by id. */
  sort: optional(z.enum(WORKLOAD_SORTS)).catch(undefined),
  dir: optional(z.enum(["asc", "desc"])).catch(undefined),
  /** Keyset page: the `nextCursor` of the previous page, same filters, sort and dir. */
  cursor: optional(z.string().max(300)).catch(undefined),
});
export type ListWorkloadsInput = z.infer<typeof listWorkloadsSchema>;
