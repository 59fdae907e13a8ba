// Machine names: DNS labels (RFC 1123), so a name can become a host name as is. A request for
// several machines gives a prefix; the machines are named prefix-01 .. prefix-NN.

export const MAX_QUANTITY = 20;
export const MAX_NAME_LENGTH = 63;
/** A prefix leaves room for "-NN". */
export const MAX_PREFIX_LENGTH = MAX_NAME_LENGTH - 3;

const DNS_LABEL = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;

/** Lowercase a-z, 0-9 and '-', 1 to 63 characters, not starting or ending with '-'. */
export function isDnsLabel(value: string): boolean {
  return DNS_LABEL.test(value);
}

/** The machine names a request produces: the name itself for one, prefix-01.. for several. */
export function generateNames(nameOrPrefix: string, quantity: number): string[] {
  if (!Number.isInteger(quantity) || quantity < 1) return [];
  if (quantity === 1) return [nameOrPrefix];
  const width = Math.max(2, String(quantity).length);
  return Array.from({ length: quantity }, (_, i) => `${nameOrPrefix}-${String(i + 1).padStart(width, "0")}`);
}

/** Names that occur more than once, each listed once, in order of first repetition. */
export function duplicateNames(names: readonly string[]): string[] {
  const seen = new Set<string>();
  const dup = new Set<string>();
  for (const n of names) {
    if (seen.has(n)) dup.add(n);
    seen.add(n);
  }
  return [...dup];
}
