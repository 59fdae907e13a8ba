// Test data for costs: price books, and machines with their operations written as the engine
// leaves them (SUCCEEDED, finishedAt on a clock the test controls).
import type { Db } from "../lib/db/client";
import type { PriceItemKind, PriceUnit, ProviderKind } from "../lib/generated/prisma/enums";
import type { Reservation } from "../lib/machines/reservation";

export interface ItemSpec {
  kind: PriceItemKind;
  millicents: number;
  unit?: PriceUnit;
  name?: string;
  vcpu?: number;
  memoryMb?: number;
}

/** A price version for a provider (or every provider of a kind), creating the book if needed. */
export async function priceVersion(db: Db, target: { providerId: string } | { providerKind: ProviderKind }, effectiveFrom: Date, items: ItemSpec[]) {
  const where = "providerId" in target ? { providerId: target.providerId } : { providerKind: target.providerKind };
  const book = (await db.priceBook.findFirst({ where })) ?? (await db.priceBook.create({ data: where }));
  return db.priceVersion.create({
    data: {
      priceBookId: book.id,
      effectiveFrom,
      source: "test",
      items: { create: items.map((i) => ({ kind: i.kind, millicents: i.millicents, unit: i.unit ?? "HOUR", name: i.name ?? "", vcpu: i.vcpu ?? null, memoryMb: i.memoryMb ?? null })) },
    },
  });
}

/** Hourly cost model: `vcpu` millicents a vCPU-hour, `ssd` a GB-hour. */
export const hourlyModel = (vcpu: number, ssd: number, extra: ItemSpec[] = []): ItemSpec[] => [
  { kind: "VCPU", millicents: vcpu },
  { kind: "SSD_GB", millicents: ssd },
  ...extra,
];

/** A succeeded operation as the engine records it. */
export async function succeeded(
  db: Db,
  machineId: string,
  kind: "PROVISION" | "START" | "STOP" | "RESIZE" | "DELETE",
  finishedAt: Date,
  result: Record<string, unknown> = {},
  fromState = "RUNNING",
) {
  return db.operation.create({
    data: { machineId, kind, status: "SUCCEEDED", params: { fromState }, result: result as object, attempts: 1, progress: 100, createdAt: finishedAt, startedAt: finishedAt, finishedAt },
  });
}

/** The result a resize leaves (operation-handlers.ts): its plan with the reservation after it. */
export function resizeResult(from: Reservation & { offeringId: string; hostId: string }, to: Reservation, toOfferingId: string) {
  const ssd = (r: Reservation) => (r.diskTier === "SSD" ? r.diskGb : 0);
  const hdd = (r: Reservation) => (r.diskTier === "HDD" ? r.diskGb : 0);
  return {
    resize: {
      fromHostId: from.hostId,
      toHostId: from.hostId,
      toHostRef: "h",
      quotaDelta: {
        vcpu: to.vcpu - from.vcpu,
        memoryMb: to.memoryMb - from.memoryMb,
        diskSsdGb: ssd(to) - ssd(from),
        diskHddGb: hdd(to) - hdd(from),
        machines: 0,
        monthlyCents: to.monthlyCents - from.monthlyCents,
      },
      hostDelta: { vcpu: 0, memoryMb: 0, diskSsdGb: 0, diskHddGb: 0 },
      fromOfferingId: from.offeringId,
      toOfferingId,
      to,
    },
    moved: false,
  };
}

export async function accrualRows(db: Db, machineId: string) {
  const rows = await db.costAccrual.findMany({ where: { machineId }, orderBy: { hour: "asc" } });
  return rows.map((r) => ({
    hour: r.hour.toISOString().slice(11, 16),
    compute: Number(r.computeMillicents),
    storage: Number(r.storageMillicents),
    powered: r.poweredSeconds,
    live: r.liveSeconds,
    offeringId: r.offeringId,
  }));
}
