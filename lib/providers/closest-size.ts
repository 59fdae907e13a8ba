// Suggests the provider size (an EC2 instance type, an Azure VM size) closest to an offering:
// the smallest size that holds the offering's vCPU and memory, so a machine never gets less
// than its offering promises. Pure: the offering sizes page shows it next to each offering.
import type { DriverSize } from "../drivers/types";

export function closestSize(offering: { vcpu: number; memoryMb: number }, sizes: readonly DriverSize[]): DriverSize | null {
  const fits = sizes.filter((s) => s.vcpu >= offering.vcpu && s.memoryMb >= offering.memoryMb);
  if (!fits.length) return null;
  // Least waste first: extra vCPUs weigh like the relative extra memory, then the name.
  const waste = (s: DriverSize) => (s.vcpu - offering.vcpu) / Math.max(1, offering.vcpu) + (s.memoryMb - offering.memoryMb) / Math.max(1, offering.memoryMb);
  return [...fits].sort((a, b) => waste(a) - waste(b) || a.vcpu - b.vcpu || a.memoryMb - b.memoryMb || a.ref.localeCompare(b.ref))[0];
}

/** What a mapped size lacks against its offering (empty: it holds the offering). */
export function sizeShortfall(offering: { vcpu: number; memoryMb: number }, size: DriverSize | undefined): ("vcpu" | "memory")[] {
  if (!size) return [];
  const out: ("vcpu" | "memory")[] = [];
  if (size.vcpu < offering.vcpu) out.push("vcpu");
  if (size.memoryMb < offering.memoryMb) out.push("memory");
  return out;
}
