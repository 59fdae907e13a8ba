import { describe, expect, it } from "vitest";
import { csvCell, csvResponse, csvRow } from "./csv";

describe("csv", () => {
  it("quotes separators, quotes and line breaks", () => {
    expect(csvRow(["a", 'say "hi"', "x,y", "l1\nl2", null, 3])).toBe('a,"say ""hi""","x,y","l1\nl2",,3\r\n');
  });
  it("defuses spreadsheet formulas in text", () => {
    expect(csvCell("=HYPERLINK(1)")).toBe("'=HYPERLINK(1)");
    expect(csvCell("@sum")).toBe("'@sum");
    expect(csvCell("-1+2")).toBe("'-1+2");
    expect(csvCell(-5)).toBe("-5");
  });
  it("writes dates as ISO instants", () => {
    expect(csvCell(new Date("2026-01-02T03:04:05Z"))).toBe("2026-01-02T03:04:05.000Z");
  });
  it("streams the header then each row", async () => {
    async function* rows() {
      yield ["1", "a"];
      yield ["2", "b"];
    }
    const res = csvResponse("x y.csv", ["id", "name"], rows);
    expect(res.headers.get("content-disposition")).toBe('attachment; filename="x_y.csv"');
    const bytes = new Uint8Array(await res.arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]); // BOM: spreadsheets read UTF-8
    expect(new TextDecoder().decode(bytes.slice(3))).toBe("id,name\r\n1,a\r\n2,b\r\n");
  });
  it("fails the stream when reading fails", async () => {
    async function* rows(): AsyncGenerator<string[]> {
      yield ["1"];
      throw new Error("db down");
    }
    await expect(csvResponse("x.csv", ["id"], rows).text()).rejects.toThrow();
  });
});
