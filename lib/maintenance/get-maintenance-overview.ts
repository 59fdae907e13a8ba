import "server-only";
import type { z } from "zod";
import type { Ctx } from "../context";
import { assertCan } from "../auth/permissions";
import type { maintenanceCalendarSchema } from "./schemas";
import type { BlockedMachine } from "./drain";

/**
 * The maintenance page: windows of a month (for the calendar), drains (live progress, the
 * moves of the running ones), host failures, and the hosts and providers to choose from.
 */
export async function getMaintenanceOverview(ctx: Ctx, input: z.infer<typeof maintenanceCalendarSchema>) {
  assertCan(ctx.actor, "maintenance.manage");
  const now = ctx.now();
  const month = input.month ?? now.toISOString().slice(0, 7);
  const from = new Date(`${month}-01T00:00:00Z`);
  const to = new Date(Date.UTC(from.getUTCFullYear(), from.getUTCMonth() + 1, 1));
  const [windows, drains, incidents, hosts, providers] = await Promise.all([
    ctx.db.maintenanceWindow.findMany({
      where: { startsAt: { lt: to }, endsAt: { gt: from }, status: { not: "CANCELLED" } },
      orderBy: { startsAt: "asc" },
      include: { host: { select: { name: true } } },
    }),
    ctx.db.hostDrain.findMany({ orderBy: { startedAt: "desc" }, take: 20, include: { host: { select: { id: true, name: true, state: true } } } }),
    ctx.db.hostIncident.findMany({ orderBy: { detectedAt: "desc" }, take: 20, include: { host: { select: { id: true, name: true, state: true } } } }),
    ctx.db.host.findMany({ orderBy: [{ provider: { name: "asc" } }, { name: "asc" }], select: { id: true, name: true, state: true, provider: { select: { name: true } } } }),
    ctx.db.provider.findMany({ orderBy: { name: "asc" }, select: { id: true, name: true } }),
  ]);
  const providerName = new Map(providers.map((p) => [p.id, p.name]));
  const running = drains.filter((d) => d.status === "RUNNING").map((d) => d.id);
  const moves = running.length
    ? await ctx.db.operation.findMany({
        where: { kind: "MIGRATE", OR: running.map((id) => ({ params: { path: ["drainId"], equals: id } })) },
        orderBy: { createdAt: "desc" },
        take: 100,
        include: { machine: { select: { id: true, name: true } } },
      })
    : [];
  const remaining = new Map<string, number>();
  for (const d of drains.filter((x) => x.status === "RUNNING")) {
    remaining.set(d.id, await ctx.db.machine.count({ where: { hostId: d.hostId, state: { not: "DELETED" }, releasedAt: null } }));
  }
  return {
    month,
    now: now.toISOString(),
    windows: windows.map((w) => ({
      id: w.id,
      where: w.host?.name ?? providerName.get(w.providerId ?? "") ?? "",
      kind: w.hostId ? ("host" as const) : ("provider" as const),
      startsAt: w.startsAt.toISOString(),
      endsAt: w.endsAt.toISOString(),
      reason: w.reason,
      status: w.status,
      notified: w.notifiedAt !== null,
    })),
    drains: drains.map((d) => ({
      id: d.id,
      host: d.host,
      status: d.status,
      reason: d.reason,
      machinesAtStart: d.machinesAtStart,
      remaining: remaining.get(d.id) ?? 0,
      movedLive: d.movedLive,
      movedCold: d.movedCold,
      failedMoves: d.failedMoves,
      blocked: d.blocked as unknown as BlockedMachine[],
      startedAt: d.startedAt.toISOString(),
      finishedAt: d.finishedAt?.toISOString() ?? null,
      moves: moves
        .filter((o) => (o.params as { drainId?: string }).drainId === d.id)
        .map((o) => ({ id: o.id, machine: o.machine, status: o.status, progress: o.progress, mode: ((o.result as { mode?: string; move?: { mode?: string } } | null)?.move?.mode ?? null) as string | null, error: o.error })),
    })),
    incidents: incidents.map((i) => ({
      id: i.id,
      host: i.host,
      status: i.status,
      reason: i.reason,
      detectedAt: i.detectedAt.toISOString(),
      fencedAt: i.fencedAt?.toISOString() ?? null,
      haMachines: i.haMachines,
      otherMachines: i.otherMachines,
    })),
    hosts: hosts.map((h) => ({ id: h.id, name: h.name, state: h.state, provider: h.provider.name })),
    providers,
  };
}
export type MaintenanceOverview = Awaited<ReturnType<typeof getMaintenanceOverview>>;
