// Where a project's workloads may run: its allowed providers (all when it names none) that are
// ACTIVE and of a kind with a workload engine; the project's default provider first.
import type { Db, Tx } from "../db/client";
import { WORKLOAD_PROVIDER_KINDS } from "./workload-specs";

export async function workloadProvidersFor(db: Db | Tx, projectId: string) {
  const project = await db.project.findUnique({ where: { id: projectId }, select: { defaultProviderId: true, providers: { select: { providerId: true } } } });
  if (!project) return [];
  const allowed = project.providers.map((p) => p.providerId);
  const rows = await db.provider.findMany({
    where: { status: "ACTIVE", kind: { in: [...WORKLOAD_PROVIDER_KINDS] }, ...(allowed.length ? { id: { in: allowed } } : {}) },
    select: { id: true, name: true, kind: true },
    orderBy: { name: "asc" },
  });
  return rows.sort((a, b) => Number(b.id === project.defaultProviderId) - Number(a.id === project.defaultProviderId));
}
