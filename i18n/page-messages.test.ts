// Every client component gets the namespaces it uses: the root layout gives the shell's
// (SHELL_NAMESPACES), each page adds its own with withMessages(...). A client component that
// calls useTranslations("x") on a page whose list lacks "x" would show raw keys in the
// browser; this walk of the import graph fails first.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { ALL, appFiles, clientNamespaces } from "./client-namespaces";
import { SHELL_NAMESPACES, pickMessages } from "./namespaces";
import { loadMessages } from "./messages";

const root = path.resolve(import.meta.dirname, "..");
const shell = new Set<string>(SHELL_NAMESPACES);
const catalogue = loadMessages("en");

/** The namespaces a page declares with withMessages: "all", a list, or none. */
function declared(file: string): "all" | string[] {
  const src = fs.readFileSync(path.join(root, file), "utf8");
  const m = /export default withMessages\(\s*("all"|\[[^\]]*\])\s*,/.exec(src);
  if (!m) return [];
  return m[1] === '"all"' ? "all" : [...m[1].matchAll(/"([\w-]+)"/g)].map((x) => x[1]);
}

describe("client namespaces", () => {
  it("the shell's namespaces cover the client components of layouts and error pages", () => {
    const files = appFiles(["layout.tsx", "template.tsx", "error.tsx", "global-error.tsx", "not-found.tsx", "forbidden.tsx", "unauthorized.tsx", "loading.tsx"]);
    expect(files).toContain("app/layout.tsx");
    const missing: string[] = [];
    for (const f of files) for (const [ns, by] of clientNamespaces(f)) if (!shell.has(ns)) missing.push(`${f}: "${ns}" (${by.join(", ")})`);
    expect(missing).toEqual([]);
  });

  it("each page declares the namespaces of its client components", () => {
    const pages = appFiles(["page.tsx"]);
    expect(pages.length).toBeGreaterThan(40);
    const missing: string[] = [];
    for (const f of pages) {
      const d = declared(f);
      if (d === "all") continue;
      for (const [ns, by] of clientNamespaces(f)) {
        if (ns === ALL) missing.push(`${f}: needs the whole catalogue ("all"): bare useTranslations() in ${by.join(", ")}`);
        else if (!shell.has(ns) && !d.includes(ns)) missing.push(`${f}: "${ns}" (${by.join(", ")})`);
      }
    }
    expect(missing).toEqual([]);
  });

  it("every declared namespace exists in the catalogue", () => {
    const names = [...SHELL_NAMESPACES, ...appFiles(["page.tsx"]).flatMap((f) => (declared(f) === "all" ? [] : (declared(f) as string[])))];
    expect(names.filter((n) => !(n in catalogue))).toEqual([]);
  });

  it("the target pages carry a fraction of the catalogue", () => {
    for (const f of ["app/(portal)/machines/page.tsx", "app/(portal)/admin/hosts/page.tsx", "app/(portal)/dashboard/page.tsx"]) {
      const d = declared(f);
      expect(d).not.toBe("all");
      const size = JSON.stringify(pickMessages(catalogue, [...SHELL_NAMESPACES, ...(d as string[])])).length;
      expect(size).toBeLessThan(JSON.stringify(catalogue).length / 3);
    }
  });
});

describe("the import-graph walk", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "orq-ns-"));
  const write = (name: string, src: string) => fs.writeFileSync(path.join(dir, name), src);
  write("page.tsx", `import { Form } from "./form";\nimport { serverOnly } from "./server";\nexport default function P() { return null; }\n`);
  write("server.ts", `import { useTranslations } from "next-intl";\nexport const serverOnly = () => useTranslations("serverSide");\n`);
  write("form.tsx", `"use client";\nimport { Field } from "./field";\nimport { useTranslations } from "next-intl";\nexport function Form() { const t = useTranslations("forms.create"); return Field; }\n`);
  write("field.tsx", `import { useTranslations } from "next-intl";\n// useTranslations("commented")\nexport function Field() { const t = useTranslations(); return null; }\n`);

  it("collects the namespaces of client files and what they import, not of server files", () => {
    const got = clientNamespaces(path.join(dir, "page.tsx"));
    expect([...got.keys()].sort()).toEqual([ALL, "forms"].sort());
    expect(got.get("forms")?.[0]).toMatch(/form\.tsx$/);
  });
});
