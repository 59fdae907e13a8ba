// Every schema shared by forms, server actions and the API must answer garbage with a
// validation failure, never an exception (an action called with no argument used to end
// in an internal error: a refinement read a property of undefined).
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { z } from "zod";

const root = path.join(import.meta.dirname);
const files = fs
  .readdirSync(root, { recursive: true, encoding: "utf8" })
  .filter((f) => /(^|\/)schemas\.ts$/.test(f) && !f.startsWith("generated"));

const GARBAGE: unknown[] = [undefined, null, "", "x", 0, -1, 1e309, NaN, true, [], [1, 2], {}, { __proto__: { a: 1 } }, { constructor: "x" }, new Date(0)];

describe("schemas never throw on garbage", () => {
  it("finds the schema modules", () => expect(files.length).toBeGreaterThan(10));
  it.each(files)("%s", async (file) => {
    const mod = (await import(/* @vite-ignore */ path.join(root, file))) as Record<string, unknown>;
    const schemas = Object.entries(mod).filter(([, v]) => v instanceof z.ZodType) as [string, z.ZodType][];
    for (const [name, schema] of schemas) {
      for (const g of GARBAGE) {
        expect(() => schema.safeParse(g), `${file} ${name} with ${String(g)}`).not.toThrow();
      }
    }
  });
});
