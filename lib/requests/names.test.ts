import { describe, expect, it } from "vitest";
import { duplicateNames, generateNames, isDnsLabel } from "./names";

describe("isDnsLabel", () => {
  it.each(["a", "web", "web-01", "0", "a1-b2-c3", "a".repeat(63), "x--y"])("accepts %s", (s) => expect(isDnsLabel(s)).toBe(true));
  it.each(["", "-web", "web-", "Web", "web_01", "web.01", "wéb", " web", "web ", "a".repeat(64), "-"])("refuses %j", (s) =>
    expect(isDnsLabel(s)).toBe(false),
  );
});

describe("generateNames", () => {
  it("keeps a single machine's name as given", () => expect(generateNames("db", 1)).toEqual(["db"]));
  it("numbers several machines prefix-01..NN", () => expect(generateNames("web", 3)).toEqual(["web-01", "web-02", "web-03"]));
  it("pads to two digits up to 20", () => {
    const names = generateNames("n", 20);
    expect(names).toHaveLength(20);
    expect(names[0]).toBe("n-01");
    expect(names[19]).toBe("n-20");
  });
  it("generated names of a valid prefix of up to 60 characters are valid labels", () => {
    for (const n of generateNames("a".repeat(60), 20)) expect(isDnsLabel(n)).toBe(true);
  });
  it("gives nothing for a quantity below 1 or not whole", () => {
    expect(generateNames("x", 0)).toEqual([]);
    expect(generateNames("x", 1.5)).toEqual([]);
  });
});

describe("duplicateNames", () => {
  it("lists each repeated name once", () => expect(duplicateNames(["a", "b", "a", "c", "b", "a"])).toEqual(["a", "b"]));
  it("is empty for unique names", () => expect(duplicateNames(["a", "b"])).toEqual([]));
});
