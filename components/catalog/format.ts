// Number formatting shared by server pages (getFormatter) and client components
// (useFormatter): quantities are stored in MiB and cents, shown in GiB and currency.
interface NumberFormatter {
  number(value: number, options?: Intl.NumberFormatOptions): string;
}

export const formatMoney = (f: NumberFormatter, cents: number, currency: string) =>
  f.number(cents / 100, { style: "currency", currency });

/** MiB as a GiB figure (without unit; messages add it). */
export const formatGib = (f: NumberFormatter, mib: number) => f.number(mib / 1024, { maximumFractionDigits: 1 });

export const formatCount = (f: NumberFormatter, n: number) => f.number(n, { maximumFractionDigits: 0 });
