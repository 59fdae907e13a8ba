// Host drain: a host in maintenance is emptied by MIGRATE operations, a few at a time
// (ORQ_DRAIN_PARALLEL, default 4), each reserving its target atomically (so no host goes past
// its overcommit ratios) and releasing the source when it is done. Level-triggered: every tick
// looks at what is still on the host, starts moves for machines that can move now, records
// why the others cannot (busy with another operation, outside the owner's stop window, no
// room elsewhere, provider cannot migrate) and comes back in a few seconds; the drain ends
// when the host is empty. A machine moves live when its driver can ("liveMigrate"), else it
// is stopped, moved and started again, and only inside its owner's stop window.
import { randomUUID } from "node:crypto";
import type { Logger } from "pino";
import type { Db, Prisma, Tx } from "../db/client";
import { recordAudit } from "../audit/record-audit";
import { notify } from "../notifications/notify";
import { AppError } from "../errors";
import { PROVIDER_CAPABILITIES } from "../machines/capabilities";
import { createOperation } from "../orchestration/create-operation";
import { candidateHosts } from "../orchestration/place-machine";
import { windowAt } from "../schedules/cron";
import { enqueueDrainTick } from "./drain-jobs";

const envInt = (name: string, fallback: number) => {
  const n = Number(process.env[name]);
  return process.env[name] && Number.isInteger(n) && n > 0 ? n : fallback;
};
/** Moves of one drain under way at once. */
export const drainParallel = () => envInt("ORQ_DRAIN_PARALLEL", 4);
/** How soon a drain looks again while moves are under way. */
export const drainTickMs = () => envInt("ORQ_DRAIN_TICK_MS", 2000);
/** A machine whose move failed is tried again after this. */
const RETRY_FAILED_MOVE_MS = 60_000;

export type BlockedReason = "busy" | "noMigrate" | "stopWindow" | "noCapacity" | "moveFailed";

export interface BlockedMachine {
  machineId: string;
  name: string;
  reason: BlockedReason;
  /** busy: the machine's state; moveFailed: the error. */
  detail?: string;
  /** stopWindow: when the owner's window opens. */
  until?: string;
}

/** Starts draining a host (already put in MAINTENANCE by the caller, in the same transaction). */
export async function startDrain(
  tx: Tx,
  host: { id: string; name: string },
  opts: { reason: string; requestedById: string | null; windowId?: string | null },
): Promise<{ id: string }> {
  const running = await tx.hostDrain.findFirst({ where: { hostId: host.id, status: "RUNNING" } });
  if (running) return running;
  const machines = await tx.machine.count({ where: { hostId: host.id, state: { not: "DELETED" }, releasedAt: null } });
  const drain = await tx.hostDrain.create({
    data: { hostId: host.id, reason: opts.reason, requestedById: opts.requestedById, windowId: opts.windowId ?? null, machinesAtStart: machines },
  });
  await enqueueDrainTick(tx, drain.id, host.id);
  return drain;
}

/** Stops the host's running drain (moves under way finish; no new ones start). */
export async function cancelDrains(tx: Tx, hostId: string, now: Date): Promise<number> {
  const r = await tx.hostDrain.updateMany({ where: { hostId, status: "RUNNING" }, data: { status: "CANCELLED", finishedAt: now } });
  return r.count;
}

interface DrainDeps {
  now: () => Date;
  log: Logger;
}

const paramsDrain = (drainId: string): Prisma.OperationWhereInput => ({ kind: "MIGRATE", params: { path: ["drainId"], equals: drainId } });

/** One step of a drain; returns what it is now. Re-enqueues itself while the drain runs. */
export async function runDrainTick(db: Db, drainId: string, deps: DrainDeps): Promise<"gone" | "completed" | "cancelled" | "draining"> {
  const drain = await db.hostDrain.findUnique({ where: { id: drainId }, include: { host: { include: { provider: true } } } });
  if (!drain || drain.status !== "RUNNING") return "gone";
  const host = drain.host;
  const now = deps.now();
  if (host.state !== "MAINTENANCE") {
    await db.hostDrain.updateMany({ where: { id: drain.id, status: "RUNNING" }, data: { status: "CANCELLED", finishedAt: now } });
    return "cancelled";
  }

  const [machines, ops] = await Promise.all([
    db.machine.findMany({
      where: { hostId: host.id, state: { not: "DELETED" }, releasedAt: null },
      orderBy: { name: "asc" },
      include: { project: { select: { timeZone: true } } },
    }),
    db.operation.findMany({ where: paramsDrain(drain.id), select: { machineId: true, status: true, result: true, error: true, finishedAt: true } }),
  ]);
  const modeOf = (r: Prisma.JsonValue | null) => ((r as { mode?: string } | null)?.mode ?? "");
  const succeeded = ops.filter((o) => o.status === "SUCCEEDED");
  const counts = {
    movedLive: succeeded.filter((o) => modeOf(o.result) === "live").length,
    movedCold: succeeded.filter((o) => modeOf(o.result) !== "live").length,
    failedMoves: ops.filter((o) => o.status === "FAILED").length,
  };

  if (machines.length === 0) {
    await db.$transaction(async (tx) => {
      const r = await tx.hostDrain.updateMany({ where: { id: drain.id, status: "RUNNING" }, data: { status: "COMPLETED", finishedAt: now, blocked: [], ...counts } });
      if (r.count !== 1) return;
      await recordAudit(tx, { actor: null, correlationId: randomUUID() }, {
        action: "host.drained",
        targetType: "Host",
        targetId: host.id,
        after: { drainId: drain.id, name: host.name, ...counts, seconds: Math.round((now.getTime() - drain.startedAt.getTime()) / 1000) },
      });
      if (drain.requestedById) await notify(tx, drain.requestedById, "host.drained", { hostName: host.name, ...counts }, "/admin/maintenance");
    });
    deps.log.info({ host: host.name, ...counts }, "host drained");
    return "completed";
  }

  const inFlight = new Set(ops.filter((o) => o.status === "QUEUED" || o.status === "RUNNING").map((o) => o.machineId));
  const caps = PROVIDER_CAPABILITIES[host.provider.kind];
  // A provider may switch live migration off in its settings (no shared storage).
  const config = (host.provider.config ?? {}) as { liveMigrate?: unknown };
  const canLive = caps.includes("liveMigrate") && config.liveMigrate !== false;
  let slots = drainParallel() - inFlight.size;
  const blocked: BlockedMachine[] = [];
  for (const m of machines) {
    if (inFlight.has(m.id)) continue;
    const block = (reason: BlockedReason, extra: Partial<BlockedMachine> = {}) => blocked.push({ machineId: m.id, name: m.name, reason, ...extra });
    if (m.state !== "RUNNING" && m.state !== "STOPPED") {
      block("busy", { detail: m.state });
      continue;
    }
    if (!caps.includes("migrate")) {
      block("noMigrate");
      continue;
    }
    const lastFailure = ops.filter((o) => o.machineId === m.id && o.status === "FAILED").sort((a, b) => (b.finishedAt?.getTime() ?? 0) - (a.finishedAt?.getTime() ?? 0))[0];
    if (lastFailure?.finishedAt && now.getTime() - lastFailure.finishedAt.getTime() < RETRY_FAILED_MOVE_MS) {
      block("moveFailed", { detail: lastFailure.error ?? undefined, until: new Date(lastFailure.finishedAt.getTime() + RETRY_FAILED_MOVE_MS).toISOString() });
      continue;
    }
    const cold = m.state === "RUNNING" && !canLive;
    if (cold && m.stopWindowCron && m.stopWindowMinutes) {
      const w = windowAt(m.stopWindowCron, m.stopWindowMinutes, m.project.timeZone, now);
      if (!w.open) {
        block("stopWindow", { until: w.opensAt?.toISOString() });
        continue;
      }
    }
    if (slots <= 0) continue;
    const started = await db
      .$transaction(async (tx) => {
        const room = await candidateHosts(tx, { templateId: m.templateId, need: m, providerId: host.providerId, excludeHostIds: [host.id] }, 1);
        if (room.length === 0) return "noCapacity" as const;
        await createOperation(tx, m, { kind: "MIGRATE", params: { drainId: drain.id, reason: `Host ${host.name} is being drained` }, requestedById: drain.requestedById });
        if (cold) await notify(tx, m.ownerId, "machine.coldMove", { machineName: m.name, hostName: host.name }, `/machines/${m.id}`);
        return "started" as const;
      })
      .catch((err: unknown) => {
        // Changed under us (a user's operation got there first): the next tick sees it.
        if (err instanceof AppError && err.code === "CONFLICT") return "conflict" as const;
        throw err;
      });
    if (started === "noCapacity") block("noCapacity");
    if (started === "started") {
      slots--;
      inFlight.add(m.id);
    }
  }
  await db.$transaction(async (tx) => {
    await tx.hostDrain.updateMany({ where: { id: drain.id, status: "RUNNING" }, data: { ...counts, blocked: blocked as unknown as Prisma.InputJsonValue } });
    // Moves under way finish within seconds (each also wakes the drain when it ends); machines
    // only waiting (a stop window, room elsewhere) are looked at again less often.
    await enqueueDrainTick(tx, drain.id, host.id, new Date(Date.now() + (inFlight.size > 0 ? drainTickMs() : Math.max(drainTickMs(), 15_000))));
  });
  return "draining";
}
