// Which message namespaces the client components reachable from a file need: a static walk of
// the local import graph (`@/…` and relative imports). From a "use client" file on, every
// imported file runs in the browser too; each `useTranslations("ns…")` there needs `ns` in the
// NextIntlClientProvider above it. A bare `useTranslations()` (the field-error and error-text
// hooks, which translate keys the server sends from any namespace) needs the whole catalogue.
// Node only: used by the page-messages test, never by the app.
import fs from "node:fs";
import path from "node:path";

export const ALL = "*";

interface FileInfo {
  client: boolean;
  imports: string[];
  namespaces: string[];
}

const root = path.resolve(import.meta.dirname, "..");
const cache = new Map<string, FileInfo>();

function resolveImport(from: string, spec: string): string | null {
  let base: string;
  if (spec.startsWith("@/")) base = path.join(root, spec.slice(2));
  else if (spec.startsWith(".")) base = path.resolve(path.dirname(from), spec);
  else return null;
  for (const c of [base, `${base}.tsx`, `${base}.ts`, path.join(base, "index.tsx"), path.join(base, "index.ts")]) {
    if (/\.(tsx?|mjs|js)$/.test(c) && fs.existsSync(c) && fs.statSync(c).isFile()) return c;
  }
  return null;
}

function info(file: string): FileInfo {
  const hit = cache.get(file);
  if (hit) return hit;
  const src = fs.readFileSync(file, "utf8");
  // Comments out, so a directive or a call in a comment counts for nothing.
  const code = src.replace(/\/\*[\s\S]*?\*\//g, "").replace(/^\s*\/\/.*$/gm, "");
  const client = /^\s*["']use client["']/.test(code);
  const imports: string[] = [];
  for (const m of code.matchAll(/(?:\bfrom\s*|\bimport\s*\(?\s*)["']([^"']+)["']/g)) {
    const r = resolveImport(file, m[1]);
    if (r) imports.push(r);
  }
  const namespaces = new Set<string>();
  for (const m of code.matchAll(/\buseTranslations\s*\(\s*([^)]*?)\s*\)/g)) {
    const arg = m[1];
    const lit = /^["'`]([\w.-]+)["'`]$/.exec(arg);
    namespaces.add(lit ? lit[1].split(".")[0] : ALL);
  }
  const i: FileInfo = { client, imports, namespaces: [...namespaces] };
  cache.set(file, i);
  return i;
}

/** The namespaces (or ALL) the client components reachable from `entry` need, with the files that need each. */
export function clientNamespaces(entry: string): Map<string, string[]> {
  const out = new Map<string, string[]>();
  const seen = new Set<string>();
  const walk = (file: string, inClient: boolean) => {
    const i = info(file);
    const client = inClient || i.client;
    const key = `${client ? "c" : "s"}:${file}`;
    if (seen.has(key)) return;
    seen.add(key);
    if (client) for (const ns of i.namespaces) out.set(ns, [...(out.get(ns) ?? []), path.relative(root, file)]);
    for (const f of i.imports) walk(f, client);
  };
  walk(path.resolve(root, entry), false);
  return out;
}

/** Every file under app/ with the given base names (page.tsx, layout.tsx, …). */
export function appFiles(names: string[]): string[] {
  const res: string[] = [];
  const walk = (dir: string) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (names.includes(e.name)) res.push(path.relative(root, p));
    }
  };
  walk(path.join(root, "app"));
  return res.sort();
}
