// Level-triggered reconcile of a provider's resources against Orquestra's machines, by
// ownership tag (machine id + installation id on every resource the portal creates). Runs on
// the listing the inventory sync already made (lib/providers/sync-inventory.ts), every 5
// minutes and after every failed provision, so nothing the portal created outlives its machine:
//
//   resource tagged with ...                    | done
//   --------------------------------------------+---------------------------------------------
//   a machine that owns it (its externalRef)    | nothing
//   a provisioning/live machine without a ref   | adopted: the ref is written on the machine
//   a FAILED machine, or a machine that owns    | CLEANUP operation queued on the machine (in
//     another ref (a duplicate), or a machine   |   order with its other operations, so a retry
//     placed on another provider                |   of its provision never races the removal)
//   a DELETED machine, or no machine at all     | destroyed now (nothing can claim it again)
//
// Resources tagged by another installation, or by none, are never touched (they are listed as
// unmanaged by the sync). With ORQ_RECONCILE_MODE=report nothing is changed, only reported:
// the mode to use first after restoring the database from a backup, when resources created
// after the backup would otherwise look like orphans.
import type { Db } from "../db/client";
import type { DriverMachine } from "../drivers/types";
import type { MachineState } from "../generated/prisma/enums";
import { recordAudit } from "../audit/record-audit";
import { AppError } from "../errors";
import { createOperation } from "./create-operation";
import { installationId } from "../installation/installation-id";

export type ReconcileAction = "adopt" | "cleanup" | "destroy" | "report";

export interface ReconcileFinding {
  ref: string;
  machineId: string | null;
  machineName?: string;
  action: ReconcileAction;
  reason: string;
  /** Whether the action was carried out (destroy) or queued (cleanup). */
  done: boolean;
  error?: string;
}

export interface ReconcileOutcome {
  findings: ReconcileFinding[];
  /** Refs of the listing that belong to this installation (the sync does not list them as unmanaged). */
  owned: Set<string>;
}

export function reconcileMode(env: Record<string, string | undefined> = process.env): "repair" | "report" {
  return env.ORQ_RECONCILE_MODE === "report" ? "report" : "repair";
}

const LIVE_PROVISION = new Set(["REQUESTED", "PROVISIONING"]);

/**
 * Decides and applies, for one provider's listing. `destroy` removes a resource on the
 * provider (the caller owns the driver and its deadline).
 */
/** Machines looked up per statement while reconciling a listing. */
export const RECONCILE_BATCH = 1000;

export async function reconcileResources(
  db: Db,
  provider: { id: string; name: string },
  listed: DriverMachine[],
  opts: { destroy: (ref: string) => Promise<void>; correlationId: string; mode?: "repair" | "report" },
): Promise<ReconcileOutcome> {
  const mode = opts.mode ?? reconcileMode();
  const installation = await installationId(db);
  const tagged = listed.filter((r) => r.machineId);
  const ids = [...new Set(tagged.map((r) => r.machineId!))];
  // Looked up in bounded batches: one statement with every tagged id of a 10,000-machine
  // provider made the worker's memory jump (issue 9: worker memory during the sync).
  const machines = new Map<string, { id: string; name: string; state: MachineState; version: number; providerId: string | null; externalRef: string | null; projectId: string }>();
  const pendingCleanups = new Set<string>();
  for (let i = 0; i < ids.length; i += RECONCILE_BATCH) {
    const batch = ids.slice(i, i + RECONCILE_BATCH);
    for (const m of await db.machine.findMany({
      where: { id: { in: batch } },
      select: { id: true, name: true, state: true, version: true, providerId: true, externalRef: true, projectId: true },
    }))
      machines.set(m.id, m);
    for (const o of await db.operation.findMany({
      where: { machineId: { in: batch }, kind: "CLEANUP", status: { in: ["QUEUED", "RUNNING"] } },
      select: { machineId: true, params: true },
    }))
      pendingCleanups.add(`${o.machineId}:${(o.params as { ref?: string }).ref ?? ""}`);
  }

  const findings: ReconcileFinding[] = [];
  const owned = new Set<string>();
  for (const r of tagged) {
    const m = machines.get(r.machineId!);
    // Ours: tagged with this installation, or (resources made before installation tags existed)
    // with the id of a machine this database knows on this provider.
    const ours = r.installationId ? r.installationId === installation : !!m && m.providerId === provider.id;
    if (!ours) continue;
    owned.add(r.ref);
    if (m && m.externalRef === r.ref && m.state !== "DELETED" && m.providerId === provider.id) continue;

    let action: ReconcileAction;
    let reason: string;
    if (!m) {
      action = "destroy";
      reason = "No machine has this id: a leftover of a machine that no longer exists";
    } else if (m.state === "DELETED") {
      action = "destroy";
      reason = `Machine ${m.name} was deleted; its resource was left behind`;
    } else if (m.providerId !== provider.id) {
      action = "cleanup";
      reason = `Machine ${m.name} lives on another provider; this copy is left over`;
    } else if (m.externalRef && m.externalRef !== r.ref) {
      action = "cleanup";
      reason = `Machine ${m.name} already has ${m.externalRef}; this is a duplicate`;
    } else if (m.state === "FAILED") {
      action = "cleanup";
      reason = `Machine ${m.name} failed to provision; the resource it created is left over`;
    } else {
      action = "adopt";
      reason = LIVE_PROVISION.has(m.state)
        ? `Machine ${m.name} is being provisioned; the resource it created is recorded now`
        : `Machine ${m.name} had lost its provider reference; it is recorded again`;
    }
    const finding: ReconcileFinding = { ref: r.ref, machineId: r.machineId, machineName: m?.name, action, reason, done: false };
    findings.push(finding);
    if (mode === "report") continue;

    try {
      if (action === "destroy") {
        await opts.destroy(r.ref);
        finding.done = true;
      } else if (action === "cleanup" && m) {
        if (pendingCleanups.has(`${m.id}:${r.ref}`)) continue;
        await db.$transaction(async (tx) => {
          const cur = await tx.machine.findUniqueOrThrow({ where: { id: m.id } });
          await createOperation(tx, cur, { kind: "CLEANUP", params: { ref: r.ref, providerId: provider.id, reason } });
        });
        finding.done = true;
      } else if (action === "adopt" && m) {
        const n = await db.machine.updateMany({ where: { id: m.id, externalRef: null, state: m.state }, data: { externalRef: r.ref, ipAddress: r.ipAddress ?? undefined } });
        finding.done = n.count === 1;
      }
    } catch (err) {
      // CONFLICT: the machine changed meanwhile; the next pass looks again.
      finding.error = err instanceof AppError ? err.message : err instanceof Error ? err.message.slice(0, 300) : String(err);
    }
  }

  const done = findings.filter((f) => f.done);
  if (done.length) {
    await db.$transaction(async (tx) => {
      await recordAudit(tx, { actor: null, correlationId: opts.correlationId }, {
        action: "provider.reconcile",
        targetType: "Provider",
        targetId: provider.id,
        after: { findings: done.map((f) => ({ ref: f.ref, machineId: f.machineId, action: f.action, reason: f.reason })) },
      });
    });
  }
  return { findings, owned };
}
