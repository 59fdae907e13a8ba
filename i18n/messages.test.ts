import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { ProviderKind } from "@/lib/generated/prisma/enums";

// Every namespace exists in both languages with the same keys, and no value is empty.
function keys(obj: unknown, prefix = ""): string[] {
  if (obj && typeof obj === "object") {
    return Object.entries(obj as Record<string, unknown>).flatMap(([k, v]) => keys(v, prefix ? `${prefix}.${k}` : k));
  }
  return [prefix];
}
const dir = (l: string) => path.join(process.cwd(), "messages", l);
const load = (l: string, f: string) => JSON.parse(fs.readFileSync(path.join(dir(l), f), "utf8"));

describe("messages", () => {
  const en = fs.readdirSync(dir("en")).filter((f) => f.endsWith(".json")).sort();
  const pt = fs.readdirSync(dir("pt-BR")).filter((f) => f.endsWith(".json")).sort();
  it("have the same namespaces in en and pt-BR", () => expect(pt).toEqual(en));
  for (const f of en) {
    it(`${f}: same keys, no empty strings`, () => {
      const a = load("en", f);
      const b = load("pt-BR", f);
      expect(keys(b).sort()).toEqual(keys(a).sort());
      for (const m of [a, b]) {
        const flat = JSON.stringify(m);
        expect(flat).not.toMatch(/:""/);
      }
    });
  }
});

// Provider kinds are shown by their label, never as the raw enum code: every kind has one in
// each map the UI reads (the shared one in common, the provider form's, the cost comparison's).
describe("provider kind labels", () => {
  for (const lang of ["en", "pt-BR"]) {
    for (const [file, at] of [
      ["common.json", ["providerKinds"]],
      ["providers.json", ["kinds"]],
      ["costs.json", ["comparison", "kinds"]],
    ] as const) {
      it(`${lang}/${file} ${at.join(".")} labels every ProviderKind`, () => {
        let map: unknown = load(lang, file);
        for (const k of at) map = (map as Record<string, unknown>)[k];
        for (const kind of Object.values(ProviderKind)) expect(map, `${kind}`).toHaveProperty(kind);
      });
    }
  }
});
