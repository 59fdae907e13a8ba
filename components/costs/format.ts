// Cost amounts for display: millicents (1/1000 of a cent) in currency units; amounts under one
// unit keep up to four decimals, so a machine's first minutes do not read as zero.
interface NumberFormatter {
  number(value: number, options?: Intl.NumberFormatOptions): string;
}

export function formatCost(f: NumberFormatter, millicents: number, currency: string): string {
  const units = millicents / 100_000;
  const small = units !== 0 && Math.abs(units) < 1;
  return f.number(units, { style: "currency", currency, ...(small ? { minimumFractionDigits: 2, maximumFractionDigits: 4 } : {}) });
}
