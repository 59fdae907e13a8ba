// Price lists an administrator uploads (offline: no price API is ever called), as CSV or JSON,
// parsed into the same items the form sends. Pure.
//
// CSV, one item a row, a header naming the columns (any order, case-insensitive):
//   kind,name,vcpu,memory_gib,unit,amount[,currency]
//   instance,t3.medium,2,4,hour,0.0456
//   ssd_gb,,,,month,0.088
// JSON: { "currency"?: "USD", "items": [{ "kind", "name"?, "vcpu"?, "memoryGib"?, "unit", "amount" }] }
// (or the array of items alone). kind: vcpu, memory_gib, ssd_gb, hdd_gb, machine, instance;
// unit: hour or month; amount in currency units, up to 5 decimals.
import type { PriceItemInput } from "./schemas";

/** A problem with the file: where (a line of CSV, an item of JSON; 0: the whole file), a message key under costs.file, and the value at fault. */
export interface PriceFileProblem {
  line: number;
  key: "notJson" | "noItems" | "notObject" | "emptyFile" | "missingColumn" | "unknownKind" | "unitInvalid" | "currencyMismatch" | "noPrices";
  value?: string;
}

export interface ParsedPriceFile {
  items: PriceItemInput[];
  /** Where each item came from (line or item number), for the errors of later checks. */
  lines: number[];
  errors: PriceFileProblem[];
}

/** The problem in plain English (API messages and logs; the UI translates the key). */
export function problemText(p: PriceFileProblem, currency: string): string {
  const at = p.line ? `line ${p.line}: ` : "";
  const v = p.value ?? "";
  const text: Record<PriceFileProblem["key"], string> = {
    notJson: "the file is not valid JSON",
    noItems: 'expected { "items": [...] } or an array of items',
    notObject: "not an object",
    emptyFile: "the file is empty",
    missingColumn: `the header has no "${v}" column`,
    unknownKind: `unknown kind "${v}" (vcpu, memory_gib, ssd_gb, hdd_gb, machine or instance)`,
    unitInvalid: `unit must be hour or month, not "${v}"`,
    currencyMismatch: `prices are in ${currency}, not ${v}`,
    noPrices: "the file has no prices",
  };
  return at + text[p.key];
}

const KINDS: Record<string, PriceItemInput["kind"]> = {
  vcpu: "VCPU",
  memory_gib: "MEMORY_GIB",
  memory: "MEMORY_GIB",
  ssd_gb: "SSD_GB",
  ssd: "SSD_GB",
  hdd_gb: "HDD_GB",
  hdd: "HDD_GB",
  machine: "MACHINE",
  instance: "INSTANCE",
};
const UNITS: Record<string, PriceItemInput["unit"]> = { hour: "HOUR", hourly: "HOUR", month: "MONTH", monthly: "MONTH" };

/** RFC 4180 fields: quotes, doubled quotes, commas and newlines inside quotes. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = "";
  let quoted = false;
  const s = text.replace(/^\uFEFF/, "");
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (quoted) {
      if (c === '"') {
        if (s[i + 1] === '"') {
          field += '"';
          i++;
        } else quoted = false;
      } else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ",") {
      row.push(field);
      field = "";
    } else if (c === "\n" || c === "\r") {
      if (c === "\r" && s[i + 1] === "\n") i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = "";
    } else field += c;
  }
  if (field !== "" || row.length) {
    row.push(field);
    rows.push(row);
  }
  return rows.filter((r) => r.some((f) => f.trim() !== ""));
}

function toItem(raw: Record<string, unknown>, line: number, currency: string, errors: PriceFileProblem[]): PriceItemInput | null {
  const str = (v: unknown) => (v === undefined || v === null ? "" : String(v).trim());
  const kind = KINDS[str(raw.kind).toLowerCase()];
  if (!kind) {
    errors.push({ line, key: "unknownKind", value: str(raw.kind) });
    return null;
  }
  const unit = UNITS[str(raw.unit).toLowerCase()];
  if (!unit) {
    errors.push({ line, key: "unitInvalid", value: str(raw.unit) });
    return null;
  }
  const cur = str(raw.currency);
  if (cur && cur.toUpperCase() !== currency) {
    errors.push({ line, key: "currencyMismatch", value: cur });
    return null;
  }
  const num = (v: unknown) => (str(v) === "" ? null : Number(str(v)));
  const item: PriceItemInput = { kind, unit, name: str(raw.name), amount: typeof raw.amount === "number" ? raw.amount : str(raw.amount) };
  if (kind === "INSTANCE") {
    item.vcpu = num(raw.vcpu);
    item.memoryGib = num(raw.memoryGib ?? raw.memory_gib);
  }
  return item;
}

export function parsePriceFile(format: "csv" | "json", content: string, currency: string): ParsedPriceFile {
  const errors: PriceFileProblem[] = [];
  const items: PriceItemInput[] = [];
  const lines: number[] = [];
  const add = (it: PriceItemInput | null, line: number) => {
    if (!it) return;
    items.push(it);
    lines.push(line);
  };
  if (format === "json") {
    let doc: unknown;
    try {
      doc = JSON.parse(content);
    } catch {
      return { items, lines, errors: [{ line: 0, key: "notJson" }] };
    }
    const obj = doc && typeof doc === "object" && !Array.isArray(doc) ? (doc as Record<string, unknown>) : null;
    const list = Array.isArray(doc) ? doc : obj?.items;
    if (!Array.isArray(list)) return { items, lines, errors: [{ line: 0, key: "noItems" }] };
    if (obj && typeof obj.currency === "string" && obj.currency.toUpperCase() !== currency) {
      return { items, lines, errors: [{ line: 0, key: "currencyMismatch", value: obj.currency }] };
    }
    list.forEach((x, i) => {
      if (!x || typeof x !== "object") errors.push({ line: i + 1, key: "notObject" });
      else add(toItem(x as Record<string, unknown>, i + 1, currency, errors), i + 1);
    });
  } else {
    const rows = parseCsv(content);
    if (!rows.length) return { items, lines, errors: [{ line: 0, key: "emptyFile" }] };
    const header = rows[0].map((h) => h.trim().toLowerCase().replace(/\s+/g, "_"));
    for (const col of ["kind", "unit", "amount"]) if (!header.includes(col)) errors.push({ line: 1, key: "missingColumn", value: col });
    if (errors.length) return { items, lines, errors };
    rows.slice(1).forEach((r, i) => add(toItem(Object.fromEntries(header.map((h, j) => [h, r[j] ?? ""])), i + 2, currency, errors), i + 2));
  }
  if (!items.length && !errors.length) errors.push({ line: 0, key: "noPrices" });
  return { items, lines, errors };
}
