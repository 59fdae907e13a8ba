import { describe, expect, it } from "vitest";
import { centsToMoneyInput, gibToMib, mibToGib, parseMoneyToCents, MAX_MONEY_CENTS } from "./units";

describe("GiB <-> MiB", () => {
  it("converts whole and half GiB to integer MiB", () => {
    expect(gibToMib(0.5)).toBe(512);
    expect(gibToMib(1)).toBe(1024);
    expect(gibToMib(2.5)).toBe(2560);
    expect(gibToMib(4096)).toBe(4194304);
  });
  it("round-trips", () => {
    for (const g of [0.5, 1, 7.5, 64, 4096]) expect(mibToGib(gibToMib(g))).toBe(g);
    expect(mibToGib(1536)).toBe(1.5);
  });
});

describe("parseMoneyToCents", () => {
  it("accepts units with up to two decimals and either separator", () => {
    expect(parseMoneyToCents("0")).toBe(0);
    expect(parseMoneyToCents("12")).toBe(1200);
    expect(parseMoneyToCents("12.5")).toBe(1250);
    expect(parseMoneyToCents("12.05")).toBe(1205);
    expect(parseMoneyToCents("12,50")).toBe(1250);
    expect(parseMoneyToCents(" 7.99 ")).toBe(799);
    expect(parseMoneyToCents("0.01")).toBe(1);
  });
  it("avoids floating point drift", () => {
    expect(parseMoneyToCents("0.29")).toBe(29);
    expect(parseMoneyToCents("1.15")).toBe(115);
    expect(parseMoneyToCents("4.35")).toBe(435);
  });
  it("refuses negatives, three decimals, thousands separators, signs and garbage", () => {
    for (const bad of ["-1", "-0.01", "1.234", "1,234.56", "1.234,56", "+5", "", " ", "abc", "1e3", "12.", ".5", "NaN"]) {
      expect(parseMoneyToCents(bad), bad).toBeNull();
    }
  });
  it("refuses amounts above the maximum", () => {
    expect(parseMoneyToCents(String(MAX_MONEY_CENTS / 100))).toBe(MAX_MONEY_CENTS);
    expect(parseMoneyToCents(String(MAX_MONEY_CENTS / 100) + ".01")).toBeNull();
  });
});

describe("centsToMoneyInput", () => {
  it("formats cents for a form field", () => {
    expect(centsToMoneyInput(1250)).toBe("12.50");
    expect(centsToMoneyInput(5)).toBe("0.05");
    expect(centsToMoneyInput(0)).toBe("0.00");
    expect(centsToMoneyInput(null)).toBe("");
  });
  it("round-trips through the parser", () => {
    for (const c of [0, 1, 99, 100, 123456, MAX_MONEY_CENTS]) expect(parseMoneyToCents(centsToMoneyInput(c))).toBe(c);
  });
});
