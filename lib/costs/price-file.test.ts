import { describe, expect, it } from "vitest";
import { parseCsv, parsePriceFile, problemText } from "./price-file";
import { priceItemsSchema, parseAmountToMillicents, millicentsToAmountInput } from "./schemas";
import { csvCell, millicentsToDecimal } from "./csv";

describe("price files", () => {
  it("reads a CSV price list (any column order, quoted fields, BOM, CRLF)", () => {
    const csv = '\uFEFFKind,Unit,Amount,Name,vCPU,Memory GiB\r\ninstance,hour,0.0456,"t3.medium",2,4\r\nssd_gb,month,0.088,,,\r\n\r\nMACHINE,Month,"1,5",,,\r\n';
    const r = parsePriceFile("csv", csv, "USD");
    expect(r.errors).toEqual([]);
    expect(r.items).toEqual([
      { kind: "INSTANCE", unit: "HOUR", name: "t3.medium", amount: "0.0456", vcpu: 2, memoryGib: 4 },
      { kind: "SSD_GB", unit: "MONTH", name: "", amount: "0.088" },
      { kind: "MACHINE", unit: "MONTH", name: "", amount: "1,5" },
    ]);
    expect(priceItemsSchema.safeParse(r.items).success).toBe(true);
  });

  it("reads a JSON price list and refuses another currency", () => {
    const ok = parsePriceFile("json", JSON.stringify({ currency: "usd", items: [{ kind: "vcpu", unit: "month", amount: 5.5 }] }), "USD");
    expect(ok.items).toEqual([{ kind: "VCPU", unit: "MONTH", name: "", amount: 5.5 }]);
    const eur = parsePriceFile("json", JSON.stringify({ currency: "EUR", items: [] }), "USD");
    expect(eur.errors.map((p) => problemText(p, "USD"))).toEqual(["prices are in USD, not EUR"]);
  });

  it("says what is wrong, line by line", () => {
    const r = parsePriceFile("csv", "kind,unit,amount\ncpu,hour,1\nvcpu,week,1\nvcpu,hour,1,EUR\n", "USD");
    expect(r.errors.map((p) => problemText(p, "USD"))).toEqual([
      'line 2: unknown kind "cpu" (vcpu, memory_gib, ssd_gb, hdd_gb, machine or instance)',
      'line 3: unit must be hour or month, not "week"',
    ]);
    expect(parsePriceFile("csv", "kind,amount\nvcpu,1\n", "USD").errors).toEqual([{ line: 1, key: "missingColumn", value: "unit" }]);
    expect(parsePriceFile("json", "{", "USD").errors).toEqual([{ line: 0, key: "notJson" }]);
    expect(parsePriceFile("csv", "", "USD").errors).toEqual([{ line: 0, key: "emptyFile" }]);
  });

  it("parses CSV like RFC 4180", () => {
    expect(parseCsv('a,"b ""c""","d\ne"\n1,2,3')).toEqual([["a", 'b "c"', "d\ne"], ["1", "2", "3"]]);
  });
});

describe("amounts", () => {
  it("turns currency units with up to 5 decimals into millicents, exactly", () => {
    expect(parseAmountToMillicents("0.0104")).toBe(1040);
    expect(parseAmountToMillicents("12,5")).toBe(1_250_000);
    expect(parseAmountToMillicents(0.088)).toBe(8800);
    expect(parseAmountToMillicents("0.000001")).toBeNull();
    expect(parseAmountToMillicents("-1")).toBeNull();
    expect(parseAmountToMillicents("21474.83648")).toBeNull();
    expect(millicentsToAmountInput(1040)).toBe("0.0104");
    expect(millicentsToAmountInput(550_000)).toBe("5.50");
  });

  it("rejects duplicate items and instance types without a size", () => {
    const dup = priceItemsSchema.safeParse([
      { kind: "VCPU", unit: "HOUR", amount: "1" },
      { kind: "VCPU", unit: "MONTH", amount: "2" },
    ]);
    expect(dup.success).toBe(false);
    const noSize = priceItemsSchema.safeParse([{ kind: "INSTANCE", name: "m5.large", unit: "HOUR", amount: "0.1" }]);
    expect(noSize.error?.issues.map((i) => i.message).sort()).toEqual(["instanceMemoryInvalid", "instanceVcpuInvalid"]);
  });
});

describe("CSV cells", () => {
  it("quotes and defuses formulas", () => {
    expect(csvCell('a,"b"')).toBe('"a,""b"""');
    expect(csvCell("=HYPERLINK(1)")).toBe("'=HYPERLINK(1)");
    expect(csvCell("-5")).toBe("'-5");
    expect(millicentsToDecimal(123_456)).toBe("1.23456");
    expect(millicentsToDecimal(-5)).toBe("-0.00005");
  });
});
