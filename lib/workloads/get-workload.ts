// Reads workloads as the actor may see them (projects it reads; NOT_FOUND otherwise).
import "server-only";
import { containsText } from "../db/like";
import type { Ctx } from "../context";
import type { Prisma } from "../db/client";
import { can, projectsWhere } from "../auth/permissions";
import { notFound } from "../errors";
import { secretNames } from "./secrets";
import { availableWorkloadActions } from "./workload-specs";
import { WorkloadState } from "../generated/prisma/enums";
import { decodeKeyCursor, encodeKeyCursor, PAGE_SIZE, type SortDir } from "../pagination";
import type { ListWorkloadsInput, WORKLOAD_SORTS } from "./schemas";

type WorkloadSort = (typeof WORKLOAD_SORTS)[number];
import type { WorkloadReplicaView, WorkloadView } from "./views";

const include = {
  project: { select: { name: true } },
  owner: { select: { email: true } },
  offering: { select: { name: true } },
  provider: { select: { name: true, kind: true } },
  operations: { orderBy: { seq: "desc" }, take: 10 },
} satisfies Prisma.WorkloadInclude;
type Row = Prisma.WorkloadGetPayload<{ include: typeof include }>;

function toView(w: Row, canOperate: boolean): WorkloadView {
  const obs = (w.observed ?? {}) as { running?: number; ready?: number; replicas?: WorkloadReplicaView[] };
  return {
    id: w.id,
    name: w.name,
    projectId: w.projectId,
    projectName: w.project.name,
    ownerEmail: w.owner.email,
    image: w.image,
    replicas: w.replicas,
    reservedReplicas: w.reservedReplicas,
    vcpu: w.vcpu,
    memoryMb: w.memoryMb,
    monthlyCents: w.monthlyCents,
    offeringId: w.offeringId,
    offeringName: w.offering.name,
    providerId: w.providerId,
    providerName: w.provider?.name ?? null,
    providerKind: w.provider?.kind ?? null,
    state: w.state,
    externalRef: w.externalRef,
    ports: (w.ports ?? []) as WorkloadView["ports"],
    env: (w.env ?? {}) as Record<string, string>,
    secretNames: secretNames(w.id, w.secretsEnc),
    healthCheck: w.healthCheck,
    autoscaling: w.autoscaling,
    updateStrategy: w.updateStrategy,
    labels: (w.labels ?? {}) as Record<string, string>,
    running: w.state === "DELETED" ? 0 : (obs.running ?? 0),
    ready: w.state === "DELETED" ? 0 : (obs.ready ?? 0),
    observedReplicas: (obs.replicas ?? []).map((r) => ({ name: r.name, image: r.image, state: r.state, healthy: r.healthy ?? null })),
    observedAt: w.observedAt?.toISOString() ?? null,
    failureReason: w.failureReason,
    actions: canOperate ? availableWorkloadActions(w.state) : [],
    createdAt: w.createdAt.toISOString(),
    operations: w.operations.map((o) => ({ id: o.id, kind: o.kind, status: o.status, error: o.error, createdAt: o.createdAt.toISOString(), finishedAt: o.finishedAt?.toISOString() ?? null })),
  };
}

export async function getWorkload(ctx: Ctx, input: { workloadId: string }): Promise<WorkloadView> {
  const w = await ctx.db.workload.findUnique({ where: { id: input.workloadId }, include });
  if (!w || !can(ctx.actor, "workload.read", w.projectId)) throw notFound("Workload");
  return toView(w, can(ctx.actor, "workload.operate", w.projectId));
}

export async function listWorkloads(
  ctx: Ctx,
  input: ListWorkloadsInput,
  opts: { pageSize?: number; withProjects?: boolean } = {},
): Promise<{ items: WorkloadView[]; nextCursor: string | null; projects: { id: string; name: string }[] }> {
  const pageSize = opts.pageSize ?? PAGE_SIZE;
  const readable = projectsWhere(ctx.actor, "workload.read");
  const projectIds = input.projectId ? (readable === null || readable.includes(input.projectId) ? [input.projectId] : []) : readable;
  const q = input.q?.trim();
  const where: Prisma.WorkloadWhereInput = {
    ...(projectIds === null ? {} : { projectId: { in: projectIds } }),
    state: input.state ?? { not: "DELETED" },
    ...(q ? { OR: [{ name: containsText(q) }, { image: containsText(q) }] } : {}),
  };
  const sort = input.sort ?? "created";
  const dir: SortDir = input.dir ?? (sort === "created" ? "desc" : "asc");
  const key: Prisma.WorkloadOrderByWithRelationInput = sort === "created" ? { createdAt: dir } : sort === "name" ? { name: dir } : { state: dir };
  const after = workloadsAfter(sort, dir, input.cursor);
  const [found, projects] = await Promise.all([
    ctx.db.workload.findMany({ where: after ? { AND: [where, after] } : where, include, orderBy: [key, { id: dir }], take: pageSize + 1 }),
    opts.withProjects === false
      ? []
      : ctx.db.project.findMany({ where: readable === null ? {} : { id: { in: readable } }, orderBy: { name: "asc" }, select: { id: true, name: true } }),
  ]);
  const more = found.length > pageSize;
  const rows = more ? found.slice(0, pageSize) : found;
  const last = rows.at(-1);
  return {
    items: rows.map((w) => toView(w, can(ctx.actor, "workload.operate", w.projectId))),
    nextCursor: more && last ? encodeKeyCursor(sort === "created" ? last.createdAt : sort === "name" ? last.name : last.state, last.id) : null,
    projects,
  };
}

const STATES = Object.values(WorkloadState);

/**
 * The rows after the cursor's (key, id) in the order of sort/dir (ties by id, same direction);
 * null (start over) when there is no cursor or it does not fit the sort. States order as the
 * enum is declared (PostgreSQL's enum order, which Prisma's orderBy follows).
 */
function workloadsAfter(sort: WorkloadSort, dir: SortDir, cursor: string | undefined): Prisma.WorkloadWhereInput | null {
  const c = decodeKeyCursor(cursor);
  if (!c || typeof c.value !== "string") return null;
  const op = dir === "asc" ? "gt" : "lt";
  const idAfter = { id: { [op]: c.id } };
  if (sort === "state") {
    const i = STATES.indexOf(c.value as WorkloadState);
    if (i < 0) return null;
    const later = dir === "asc" ? STATES.slice(i + 1) : STATES.slice(0, i);
    return { OR: [{ state: { in: later } }, { state: STATES[i], ...idAfter }] };
  }
  if (sort === "name") return { OR: [{ name: { [op]: c.value } }, { name: c.value, ...idAfter }] };
  const at = new Date(c.value);
  if (Number.isNaN(at.getTime())) return null;
  return { OR: [{ createdAt: { [op]: at } }, { createdAt: at, ...idAfter }] };
}
