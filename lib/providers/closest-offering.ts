// Suggests the offering closest in size to a machine found on a provider: the smallest offering
// that holds its vCPU and memory (and disk when known); failing that, the nearest by relative
// distance. Pure: used by the import dialog as its default choice.
export interface Size {
  vcpu: number | null;
  memoryMb: number | null;
  diskGb: number | null;
}
export interface OfferingLike {
  id: string;
  vcpu: number;
  memoryMb: number;
  diskGb: number;
}

export function closestOffering<O extends OfferingLike>(m: Size, offerings: readonly O[]): O | undefined {
  if (offerings.length === 0) return undefined;
  const rel = (want: number | null, have: number) => (want && want > 0 ? Math.abs(have - want) / want : 0);
  const distance = (o: O) => rel(m.vcpu, o.vcpu) + rel(m.memoryMb, o.memoryMb) + 0.25 * rel(m.diskGb, o.diskGb);
  const fits = (o: O) => o.vcpu >= (m.vcpu ?? 0) && o.memoryMb >= (m.memoryMb ?? 0) && o.diskGb >= (m.diskGb ?? 0);
  const pool = offerings.filter(fits);
  const candidates = pool.length ? pool : offerings;
  // Ties (e.g. an unknown size) go to the smaller offering.
  return [...candidates].sort((a, b) => distance(a) - distance(b) || a.vcpu - b.vcpu || a.memoryMb - b.memoryMb || a.diskGb - b.diskGb || a.id.localeCompare(b.id))[0];
}
