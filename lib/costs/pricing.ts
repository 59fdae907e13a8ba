// The cost model, pure (no database; safe in client bundles): what a machine of a given size
// costs on a provider under one price list, per hour and per month.
//
// - Amounts are millicents (1/1000 of a cent of ORQ_CURRENCY). Prices are stored as integer
//   millicents per unit per HOUR or per MONTH; a month is 730 hours (the convention public
//   clouds use: 8,760 hours a year / 12), so monthly and hourly prices convert exactly.
// - Compute (while powered on): the list price of an instance type when the price list has
//   instance types (public clouds: the cheapest type with at least the vCPUs and memory the
//   machine reserves), else per vCPU plus per GiB of memory (private cost models); plus the
//   fixed per-machine fee.
// - Storage (while the machine exists, powered on or not): per GB of its disk tier.
import type { DiskTier, PriceItemKind, PriceUnit } from "../generated/prisma/enums";

export const HOURS_PER_MONTH = 730;
export const MILLICENTS_PER_CENT = 1000;

export interface PriceItemLike {
  kind: PriceItemKind;
  name: string;
  vcpu: number | null;
  memoryMb: number | null;
  unit: PriceUnit;
  millicents: number;
}

export interface PriceList {
  versionId: string;
  effectiveFrom: Date;
  items: readonly PriceItemLike[];
}

export interface MachineSize {
  vcpu: number;
  memoryMb: number;
  diskGb: number;
  diskTier: DiskTier;
}

/** A price per month, in millicents (exact for MONTH items, x730 for HOUR items). */
const perMonth = (i: PriceItemLike) => (i.unit === "HOUR" ? i.millicents * HOURS_PER_MONTH : i.millicents);

export interface InstanceFit {
  name: string;
  vcpu: number;
  memoryMb: number;
  /** Millicents per month. */
  monthly: number;
}

/** Whether the list prices compute by instance type (a public cloud's price list). */
export const hasInstanceTypes = (list: Pick<PriceList, "items">) => list.items.some((i) => i.kind === "INSTANCE");

/**
 * The instance type a machine of this size runs as: the cheapest with at least its vCPUs and
 * memory (ties: fewer vCPUs, less memory, then name). Null when none is big enough.
 */
export function instanceFor(list: Pick<PriceList, "items">, size: Pick<MachineSize, "vcpu" | "memoryMb">): InstanceFit | null {
  let best: InstanceFit | null = null;
  for (const i of list.items) {
    if (i.kind !== "INSTANCE" || i.vcpu === null || i.memoryMb === null) continue;
    if (i.vcpu < size.vcpu || i.memoryMb < size.memoryMb) continue;
    const c: InstanceFit = { name: i.name, vcpu: i.vcpu, memoryMb: i.memoryMb, monthly: perMonth(i) };
    if (
      !best ||
      c.monthly < best.monthly ||
      (c.monthly === best.monthly && (c.vcpu - best.vcpu || c.memoryMb - best.memoryMb || (c.name < best.name ? -1 : 1)) < 0)
    ) {
      best = c;
    }
  }
  return best;
}

export interface MonthlyCost {
  /** Millicents per month while powered on (compute and the per-machine fee). */
  compute: number;
  /** Millicents per month while the machine exists (its disk). */
  storage: number;
  /** The instance type priced (public clouds), else null. */
  instanceType: string | null;
}

/**
 * What a machine of `size` costs per month of 730 hours under `list`; null when the list
 * cannot price it (instance types, none big enough). Fractions of a millicent are kept.
 */
export function monthlyCostOf(list: Pick<PriceList, "items">, size: MachineSize): MonthlyCost | null {
  let compute = 0;
  let storage = 0;
  let instanceType: string | null = null;
  if (hasInstanceTypes(list)) {
    const fit = instanceFor(list, size);
    if (!fit) return null;
    compute += fit.monthly;
    instanceType = fit.name;
  }
  const tierKind: PriceItemKind = size.diskTier === "SSD" ? "SSD_GB" : "HDD_GB";
  for (const i of list.items) {
    switch (i.kind) {
      case "VCPU":
        if (!instanceType) compute += perMonth(i) * size.vcpu;
        break;
      case "MEMORY_GIB":
        if (!instanceType) compute += (perMonth(i) * size.memoryMb) / 1024;
        break;
      case "MACHINE":
        compute += perMonth(i);
        break;
      case "SSD_GB":
      case "HDD_GB":
        if (i.kind === tierKind) storage += perMonth(i) * size.diskGb;
        break;
      case "INSTANCE":
        break;
    }
  }
  return { compute, storage, instanceType };
}

/** Whole cents, half away from zero (how every displayed amount is rounded). */
export const millicentsToCents = (m: number) => Math.sign(m) * Math.round(Math.abs(m) / MILLICENTS_PER_CENT);

/** The monthly total in whole cents (both parts: a machine that runs all month). */
export const monthlyCents = (c: MonthlyCost) => millicentsToCents(c.compute + c.storage);

/** Per hour, in millicents (fractional). */
export const hourly = (c: MonthlyCost) => ({ compute: c.compute / HOURS_PER_MONTH, storage: c.storage / HOURS_PER_MONTH });

/** The list in force at `at` among lists sorted by effectiveFrom ascending (null: none yet). */
export function listAt<L extends Pick<PriceList, "effectiveFrom">>(lists: readonly L[], at: Date): L | null {
  let found: L | null = null;
  for (const l of lists) {
    if (l.effectiveFrom.getTime() <= at.getTime()) found = l;
    else break;
  }
  return found;
}
