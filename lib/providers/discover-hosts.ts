import "server-only";
import type { Ctx } from "../context";
import { assertCan } from "../auth/permissions";
import { notFound } from "../errors";
import { recordAudit } from "../audit/record-audit";
import type { DriverHostCapacity } from "../drivers/types";
import type { DriverErrorCode } from "../drivers/types";
import { providerIdSchema } from "./schemas";
import { parseInput } from "./parse-input";
import { INVENTORY_TIMEOUT_MS, asDriverError, failureOf, withProviderDriver } from "./provider-driver";

export type DiscoverResult =
  | { ok: true; created: string[]; updated: string[]; unchanged: string[]; missing: string[] }
  | { ok: false; code: DriverErrorCode; message: string };

const nonNegativeInt = (n: number | undefined) => (n === undefined || !Number.isFinite(n) ? undefined : Math.max(0, Math.floor(n)));

/**
 * "Discover hosts": reads the provider's hosts and their physical capacity (getCapacity) and
 * upserts them into the hosts table, matched by the provider's ref first (a renamed host stays
 * the same row), then by name. Only totals and maintenance change: usage (used* columns) is
 * Orquestra's own bookkeeping and is never touched. Hosts the provider no longer reports are
 * left as they are and listed as missing. A successful answer makes the provider ACTIVE (unless
 * disabled); a failure makes it UNAVAILABLE with the reason.
 */
export async function discoverHosts(ctx: Ctx, input: { id: string }): Promise<DiscoverResult> {
  assertCan(ctx.actor, "provider.manage");
  const { id } = parseInput(providerIdSchema, input);
  const provider = await ctx.db.provider.findUnique({ where: { id } });
  if (!provider) throw notFound("Provider");

  let found: DriverHostCapacity[];
  try {
    found = await withProviderDriver(ctx.db, provider, INVENTORY_TIMEOUT_MS, (driver, signal) => driver.getCapacity({ signal }));
  } catch (err) {
    const failure = failureOf(asDriverError(err, id));
    await ctx.db.$transaction(async (tx) => {
      await tx.provider.updateMany({ where: { id, status: { not: "DISABLED" } }, data: { status: "UNAVAILABLE", statusReason: `${failure.code}: ${failure.message}` } });
      await recordAudit(tx, ctx, { action: "provider.discover", targetType: "Provider", targetId: id, after: { ok: false, ...failure } });
    });
    return { ok: false, ...failure };
  }

  return ctx.db.$transaction(async (tx) => {
    const hosts = await tx.host.findMany({ where: { providerId: id } });
    const byRef = new Map(hosts.filter((h) => h.externalRef).map((h) => [h.externalRef!, h]));
    const byName = new Map(hosts.map((h) => [h.name, h]));
    const seen = new Set<string>();
    const created: string[] = [];
    const updated: string[] = [];
    const unchanged: string[] = [];
    for (const c of found) {
      const name = (c.name || c.ref).slice(0, 200);
      const ref = (c.ref || c.name).slice(0, 500);
      if (!name) continue;
      const existing = byRef.get(ref) ?? byName.get(name);
      const vcpu = nonNegativeInt(c.vcpu) ?? 0;
      const memoryMb = nonNegativeInt(c.memoryMb) ?? 0;
      const ssd = nonNegativeInt(c.diskGb?.SSD);
      const hdd = nonNegativeInt(c.diskGb?.HDD);
      if (!existing) {
        if (seen.has(name)) continue; // a provider reporting one name twice
        await tx.host.create({
          data: {
            providerId: id,
            name,
            externalRef: ref,
            vcpuTotal: vcpu,
            memoryMbTotal: memoryMb,
            diskSsdGbTotal: ssd ?? 0,
            diskHddGbTotal: hdd ?? 0,
            state: c.maintenance ? "MAINTENANCE" : "ACTIVE",
          },
        });
        seen.add(name);
        created.push(name);
        continue;
      }
      seen.add(existing.name);
      // The provider putting a host into maintenance is followed; leaving maintenance is the
      // administrator's call (they may have put it there themselves), and a disabled host stays so.
      const state = c.maintenance && existing.state === "ACTIVE" ? "MAINTENANCE" : existing.state;
      const data = {
        // Keep an administrator's name when the host was matched by ref under another name.
        externalRef: ref,
        vcpuTotal: vcpu,
        memoryMbTotal: memoryMb,
        diskSsdGbTotal: ssd ?? existing.diskSsdGbTotal,
        diskHddGbTotal: hdd ?? existing.diskHddGbTotal,
        state,
      };
      const same =
        existing.externalRef === data.externalRef &&
        existing.vcpuTotal === data.vcpuTotal &&
        existing.memoryMbTotal === data.memoryMbTotal &&
        existing.diskSsdGbTotal === data.diskSsdGbTotal &&
        existing.diskHddGbTotal === data.diskHddGbTotal &&
        existing.state === data.state;
      if (same) {
        unchanged.push(existing.name);
        continue;
      }
      await tx.host.update({ where: { id: existing.id }, data });
      updated.push(existing.name);
    }
    const missing = hosts.filter((h) => !seen.has(h.name)).map((h) => h.name);
    await tx.provider.updateMany({ where: { id, status: { not: "DISABLED" } }, data: { status: "ACTIVE", statusReason: null } });
    await recordAudit(tx, ctx, {
      action: "provider.discover",
      targetType: "Provider",
      targetId: id,
      after: { ok: true, created, updated, unchanged: unchanged.length, missing },
    });
    return { ok: true as const, created, updated, unchanged, missing };
  });
}
