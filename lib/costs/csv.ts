// CSV writing for exports, pure: RFC 4180 quoting, and text cells that a spreadsheet would
// read as a formula (=, +, -, @, tab, carriage return first) are prefixed with an apostrophe,
// since project, offering and user names are typed by people.
const FORMULA = /^[=+\-@\t\r]/;

export function csvCell(v: string | number | null | undefined, opts: { text?: boolean } = {}): string {
  if (v === null || v === undefined) return "";
  let s = String(v);
  if (opts.text !== false && typeof v === "string" && FORMULA.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export const csvLine = (cells: readonly (string | number | null | undefined)[]) => cells.map((c) => csvCell(c)).join(",");

/** Millicents as an exact decimal amount in currency units ("123456" -> "1.23456"). */
export function millicentsToDecimal(m: number): string {
  const sign = m < 0 ? "-" : "";
  const a = Math.abs(Math.round(m));
  return `${sign}${Math.floor(a / 100_000)}.${String(a % 100_000).padStart(5, "0")}`;
}
