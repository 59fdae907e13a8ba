// The periodic inventory sync of one provider (and of all of them), run by the worker's cron
// task (lib/providers/sync-task.ts) and by the "Sync inventory now" button. It compares what
// the provider reports (listMachines) with the machines Orquestra manages there:
// - a managed machine missing on the provider, or RUNNING/STOPPED the other way round from
//   what Orquestra recorded, is marked drifted (audit machine.drift), and un-marked when the
//   two agree again (audit machine.drift_clear);
// - a machine on the provider that no Orquestra machine knows is stored as unmanaged, for an
//   administrator to import; rows of machines that disappeared are removed;
// - resources tagged with this installation's ownership tags are reconciled against their
//   machines (lib/orchestration/reconcile-resources.ts): adopted, cleaned up or destroyed, so
//   nothing the portal created outlives its machine. Each pass is a ReconcileRun row.
// Only machines at rest (RUNNING, STOPPED) are compared: a machine with an operation under way
// is the worker's, and every drift update is guarded by the machine's version, so an
// operation that finished meanwhile is never reported as drift.
// No "server-only" here: this runs inside the worker process.
import { randomUUID } from "node:crypto";
import type { Db } from "../db/client";
import type { MachineState } from "../generated/prisma/enums";
import { recordAudit } from "../audit/record-audit";
import type { DriverErrorCode, DriverMachine } from "../drivers/types";
import { INVENTORY_TIMEOUT_MS, asDriverError, failureOf, providerDriverRegistry, withProviderDriver } from "./provider-driver";
import { RECONCILE_BATCH, reconcileMode, reconcileResources, type ReconcileFinding } from "../orchestration/reconcile-resources";

export type SyncResult =
  | {
      providerId: string;
      ok: true;
      drifted: number;
      cleared: number;
      unmanaged: number;
      seen: number;
      reconcile: ReconcileFinding[];
    }
  | { providerId: string; ok: false; code: DriverErrorCode | "DISABLED" | "NOT_FOUND"; message: string };

const AT_REST = ["RUNNING", "STOPPED"] as const;
type AtRest = (typeof AT_REST)[number];
const isAtRest = (s: string): s is AtRest => (AT_REST as readonly string[]).includes(s);

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const MISSING_REASON = "Not found on the provider: it was deleted or moved outside Orquestra";
export const powerReason = (provider: string, recorded: string) =>
  `The provider reports it ${provider} but Orquestra recorded it ${recorded}: its power state was changed outside Orquestra`;

const system = (correlationId: string) => ({ actor: null, correlationId });

export async function syncProviderInventory(db: Db, providerId: string, now: Date, opts: { correlationId?: string; trigger?: string } = {}): Promise<SyncResult> {
  const correlationId = opts.correlationId ?? randomUUID();
  const provider = await db.provider.findUnique({ where: { id: providerId } });
  if (!provider) return { providerId, ok: false, code: "NOT_FOUND", message: "The provider no longer exists" };
  if (provider.status === "DISABLED") return { providerId, ok: false, code: "DISABLED", message: "The provider is disabled" };

  // Read what Orquestra believes BEFORE asking the provider: each drift update below is
  // conditional on the machine still being at this version.
  // In keyset pages of RECONCILE_BATCH: one result of every machine of a 10,000-machine
  // provider grew the worker's memory for good (the query engine's memory does not shrink back).
  type Managed = { id: string; name: string; projectId: string; state: MachineState; version: number; externalRef: string | null; drifted: boolean; driftReason: string | null };
  const managed: Managed[] = [];
  for (let after: string | null = null; ; ) {
    const page: Managed[] = await db.machine.findMany({
      where: { providerId, state: { in: [...AT_REST] }, externalRef: { not: null }, ...(after ? { id: { gt: after } } : {}) },
      select: { id: true, name: true, projectId: true, state: true, version: true, externalRef: true, drifted: true, driftReason: true },
      orderBy: { id: "asc" },
      take: RECONCILE_BATCH,
    });
    managed.push(...page);
    if (page.length < RECONCILE_BATCH) break;
    after = page[page.length - 1].id;
  }

  let listed: DriverMachine[];
  try {
    listed = await withProviderDriver(db, provider, INVENTORY_TIMEOUT_MS, (driver, signal) => driver.listMachines({ signal }));
  } catch (err) {
    const failure = failureOf(asDriverError(err, providerId));
    const statusReason = `${failure.code}: ${failure.message}`;
    await db.$transaction(async (tx) => {
      const n = await tx.provider.updateMany({ where: { id: providerId, status: "ACTIVE" }, data: { status: "UNAVAILABLE", statusReason } });
      await tx.provider.updateMany({ where: { id: providerId, status: "UNAVAILABLE" }, data: { statusReason } });
      if (n.count) {
        await recordAudit(tx, system(correlationId), {
          action: "provider.unavailable",
          targetType: "Provider",
          targetId: providerId,
          before: { status: "ACTIVE" },
          after: { status: "UNAVAILABLE", statusReason },
        });
      }
    });
    return { providerId, ok: false, ...failure };
  }

  const byRef = new Map(listed.map((m) => [m.ref, m]));
  const byMachineId = new Map(listed.filter((m) => m.machineId).map((m) => [m.machineId!, m]));

  let drifted = 0;
  let cleared = 0;
  for (const m of managed) {
    const found = byRef.get(m.externalRef!) ?? byMachineId.get(m.id);
    let reason: string | null = null;
    if (!found) reason = MISSING_REASON;
    else if (isAtRest(found.state) && found.state !== m.state) reason = powerReason(found.state, m.state);
    if (reason === null && !m.drifted) continue;
    if (reason !== null && m.drifted && m.driftReason === reason) continue;
    await db.$transaction(async (tx) => {
      const n = await tx.machine.updateMany({
        where: { id: m.id, version: m.version, state: m.state },
        data: { drifted: reason !== null, driftReason: reason },
      });
      if (n.count !== 1) return; // an operation moved it meanwhile: the next sync looks again
      await recordAudit(tx, system(correlationId), {
        action: reason ? "machine.drift" : "machine.drift_clear",
        targetType: "Machine",
        targetId: m.id,
        projectId: m.projectId,
        before: { drifted: m.drifted, driftReason: m.driftReason, state: m.state },
        after: { drifted: reason !== null, driftReason: reason, providerState: found?.state ?? null },
      });
      if (reason) drifted++;
      else cleared++;
    });
  }

  // Ownership: leftovers removed, lost references adopted (a ReconcileRun row records the pass).
  const run = await db.reconcileRun.create({ data: { kind: "PROVIDER", providerId, trigger: opts.trigger ?? "schedule", startedAt: now } });
  let reconciled: { findings: ReconcileFinding[]; owned: Set<string> } = { findings: [], owned: new Set() };
  try {
    reconciled = await reconcileResources(db, provider, listed, {
      correlationId,
      mode: reconcileMode(),
      destroy: (ref) => withProviderDriver(db, provider, INVENTORY_TIMEOUT_MS, (driver, signal) => driver.destroy(ref, { signal })),
    });
    const repaired = reconciled.findings.filter((f) => f.done).length;
    await db.reconcileRun.update({
      where: { id: run.id },
      data: {
        finishedAt: new Date(),
        outcome: reconciled.findings.length === 0 ? "ok" : reconciled.findings.some((f) => f.error) ? "error" : "drift",
        findings: reconciled.findings as unknown as object[],
        repaired,
      },
    });
  } catch (err) {
    await db.reconcileRun.update({ where: { id: run.id }, data: { finishedAt: new Date(), outcome: "error", error: err instanceof Error ? err.message.slice(0, 500) : String(err) } });
  }
  await db.provider.updateMany({ where: { id: providerId }, data: { lastReconcileAt: now } });

  // Unmanaged: read the known machines AFTER listing, so one created meanwhile (its row exists
  // before the provider is asked to create it) is never taken for a stranger.
  // Only the listed refs and ids are looked up, in bounded batches (not every machine of the
  // provider in one array: issue 9, worker memory during the sync).
  const knownRefs = new Set<string>();
  const knownIds = new Set<string>();
  for (let i = 0; i < listed.length; i += RECONCILE_BATCH) {
    const batch = listed.slice(i, i + RECONCILE_BATCH);
    const ids = batch.map((m) => m.machineId).filter((id): id is string => !!id && UUID.test(id));
    const rows = await db.machine.findMany({
      where: { providerId, state: { not: "DELETED" }, OR: [{ externalRef: { in: batch.map((m) => m.ref) } }, ...(ids.length ? [{ id: { in: ids } }] : [])] },
      select: { id: true, externalRef: true },
    });
    for (const m of rows) {
      if (m.externalRef) knownRefs.add(m.externalRef);
      knownIds.add(m.id);
    }
  }
  // Machines of other providers or in other states can carry a machine id too (a leftover of a
  // deleted machine): only an id of a live machine of THIS provider makes it managed.
  const strangers = listed.filter((m) => !knownRefs.has(m.ref) && !(m.machineId && knownIds.has(m.machineId)) && !reconciled.owned.has(m.ref));

  await db.$transaction(async (tx) => {
    for (const s of strangers) {
      const data = {
        name: (s.name || s.ref).slice(0, 200),
        state: s.state,
        vcpu: s.vcpu ?? null,
        memoryMb: s.memoryMb ?? null,
        diskGb: s.diskGb ?? null,
        hostRef: s.hostRef ?? null,
        seenAt: now,
      };
      await tx.unmanagedMachine.upsert({
        where: { providerId_ref: { providerId, ref: s.ref } },
        create: { providerId, ref: s.ref, ...data },
        update: data,
      });
    }
    await tx.unmanagedMachine.deleteMany({ where: { providerId, ref: { notIn: strangers.map((s) => s.ref) } } });
    await tx.provider.updateMany({ where: { id: providerId, status: { not: "DISABLED" } }, data: { lastSyncAt: now } });
    // It answered: an unavailable provider is usable again.
    const back = await tx.provider.updateMany({ where: { id: providerId, status: "UNAVAILABLE" }, data: { status: "ACTIVE", statusReason: null } });
    if (back.count) {
      await recordAudit(tx, system(correlationId), {
        action: "provider.available",
        targetType: "Provider",
        targetId: providerId,
        before: { status: "UNAVAILABLE", statusReason: provider.statusReason },
        after: { status: "ACTIVE" },
      });
    }
  });

  return { providerId, ok: true, drifted, cleared, unmanaged: strangers.length, seen: listed.length, reconcile: reconciled.findings };
}

/** Syncs every provider that is not disabled and has a driver, one after the other. */
export async function syncAllProviders(db: Db, now: Date): Promise<SyncResult[]> {
  const registry = providerDriverRegistry();
  const providers = await db.provider.findMany({ where: { status: { not: "DISABLED" } }, select: { id: true, kind: true }, orderBy: { name: "asc" } });
  const results: SyncResult[] = [];
  for (const p of providers) {
    if (!registry[p.kind].create) continue;
    try {
      results.push(await syncProviderInventory(db, p.id, now));
    } catch (err) {
      // One provider's trouble (e.g. its database rows changing under it) must not stop the others.
      results.push({ providerId: p.id, ok: false, code: "PROVIDER", message: err instanceof Error ? err.message.slice(0, 300) : String(err) });
    }
  }
  return results;
}
