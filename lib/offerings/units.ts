// Unit conversions between what administrators type and what the database stores:
// memory in GiB (steps of 0.5) <-> integer MiB, money in currency units <-> integer cents.
// Pure functions, shared by forms (client) and services (server).

export const MIB_PER_GIB = 1024;

/** GiB (a multiple of 0.5) to integer MiB. */
export function gibToMib(gib: number): number {
  return Math.round(gib * MIB_PER_GIB);
}

/** Integer MiB to GiB, for display and form defaults. */
export function mibToGib(mib: number): number {
  return mib / MIB_PER_GIB;
}

/** Largest amount accepted anywhere (cents must fit a PostgreSQL integer). */
export const MAX_MONEY_CENTS = 2_000_000_000;

const MONEY = /^(\d{1,10})(?:[.,](\d{1,2}))?$/;

/**
 * Parses an amount typed in currency units ("12", "12.5", "12.50", "12,50": either decimal
 * separator, at most two decimals, no thousands separators, no sign) into integer cents.
 * Returns null for anything else, including negative amounts and amounts above the maximum.
 */
export function parseMoneyToCents(input: string): number | null {
  const m = MONEY.exec(input.trim());
  if (!m) return null;
  const cents = Number(m[1]) * 100 + Number((m[2] ?? "0").padEnd(2, "0"));
  return cents <= MAX_MONEY_CENTS ? cents : null;
}

/** Integer cents to the plain string a form field shows ("1250" -> "12.50"). */
export function centsToMoneyInput(cents: number | null | undefined): string {
  if (cents === null || cents === undefined) return "";
  const whole = Math.trunc(cents / 100);
  const frac = Math.abs(cents % 100);
  return `${whole}.${String(frac).padStart(2, "0")}`;
}

/** Integer cents to currency units for Intl formatting. */
export const centsToUnits = (cents: number) => cents / 100;
