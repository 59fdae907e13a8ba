// The audit action names the code writes, found by reading lib/ (used by the test that checks
// every action has a label in both languages, messages/<locale>/auditActions.json).
import fs from "node:fs";
import path from "node:path";

export interface ScanResult {
  /** Literal action names ("request.submit"). */
  names: Set<string>;
  /** Template literals ("machine.${...}_failed" as { prefix: "machine", suffix: "_failed" }) with where they are. */
  templates: { prefix: string; suffix: string; where: string }[];
  /** Calls whose action could not be read (neither a literal nor a template). */
  unreadable: string[];
}

const CALL = /\b(?:recordAudit\(|auditEvent\.create\()/g;
const LITERAL = /["']([a-z][A-Za-z_]*(?:\.[a-z][A-Za-z_]*)+)["']/g;
const TEMPLATE = /`([a-z][A-Za-z_]*)\.\$\{[^}]+\}([A-Za-z_]*)`/g;

function walk(dir: string, out: string[]) {
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) {
      if (e.name !== "generated" && e.name !== "node_modules") walk(p, out);
    } else if (/\.tsx?$/.test(e.name) && !/\.test\.tsx?$/.test(e.name)) out.push(p);
  }
}

export function scanAuditActions(root: string): ScanResult {
  const files: string[] = [];
  walk(root, files);
  const res: ScanResult = { names: new Set(), templates: [], unreadable: [] };
  for (const file of files) {
    const src = fs.readFileSync(file, "utf8");
    if (file.endsWith(path.join("audit", "record-audit.ts"))) continue;
    for (const m of src.matchAll(CALL)) {
      const rest = src.slice(m.index + m[0].length, m.index + m[0].length + 2000);
      const where = `${path.relative(root, file)}:${src.slice(0, m.index).split("\n").length}`;
      // The action is the value of the first `action:` property, up to the next property.
      const a = /\baction:\s*/.exec(rest);
      const end = a ? rest.slice(a.index).search(/\n\s*[A-Za-z]+:|,\s*targetType:/) : -1;
      if (!a || end < 0) {
        res.unreadable.push(where);
        continue;
      }
      const value = rest.slice(a.index, a.index + end);
      const literals = [...value.matchAll(LITERAL)].map((x) => x[1]);
      const templates = [...value.matchAll(TEMPLATE)].map((x) => ({ prefix: x[1], suffix: x[2], where }));
      if (literals.length === 0 && templates.length === 0) res.unreadable.push(where);
      for (const n of literals) res.names.add(n);
      res.templates.push(...templates);
    }
  }
  return res;
}
