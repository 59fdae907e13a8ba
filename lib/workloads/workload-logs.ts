// The last lines of a workload's replicas, read from the provider now (not stored).
import "server-only";
import type { Ctx } from "../context";
import { can } from "../auth/permissions";
import { conflict, notFound } from "../errors";
import { withProviderDriver } from "../providers/provider-driver";
import { workloadResourceName, type WorkloadLogLine } from "../drivers/workload-types";
import { engineOf, projectNamespace } from "./engine";
import { workloadLogsSchema } from "./schemas";

export const LOGS_TIMEOUT_MS = 20_000;

export async function workloadLogs(ctx: Ctx, raw: { workloadId: string; tail?: number | string }): Promise<{ lines: WorkloadLogLine[] }> {
  const input = workloadLogsSchema.parse(raw);
  const w = await ctx.db.workload.findUnique({ where: { id: input.workloadId }, include: { provider: true, project: { select: { slug: true } } } });
  if (!w || !can(ctx.actor, "workload.read", w.projectId)) throw notFound("Workload");
  if (!w.provider || w.state === "DELETED" || w.state === "PENDING") throw conflict("The workload has no replicas to read logs from");
  const provider = w.provider;
  const lines = await withProviderDriver(ctx.db, provider, LOGS_TIMEOUT_MS, (driver, signal) =>
    engineOf(driver).logs({ workloadId: w.id, name: w.externalRef ?? workloadResourceName(w.name, w.id), namespace: projectNamespace(w.project.slug) }, input.tail, { signal }),
  );
  return { lines };
}
