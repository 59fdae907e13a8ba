// YAML text -> a checked stack document, or problems with line and column (1-based) for the
// editor, the API and the command line. Pure: safe in client bundles.
import { isNode, LineCounter, parseDocument, stringify } from "yaml";
import { stackDocumentSchema, type StackDocument } from "./document";

export interface StackProblem {
  line: number;
  column: number;
  /** The document path (machines.1.count), empty for syntax errors. */
  path: string;
  message: string;
}

export type ParseResult = { ok: true; document: StackDocument } | { ok: false; problems: StackProblem[] };

export const MAX_STACK_YAML = 256 * 1024;

export function parseStackYaml(text: string): ParseResult {
  if (text.length > MAX_STACK_YAML) return { ok: false, problems: [{ line: 1, column: 1, path: "", message: `the document is larger than ${MAX_STACK_YAML} bytes` }] };
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length) {
    return {
      ok: false,
      problems: doc.errors.map((e) => {
        const pos = e.linePos?.[0] ?? lineCounter.linePos(e.pos[0]);
        return { line: pos.line, column: pos.col, path: "", message: e.message.split("\n")[0]! };
      }),
    };
  }
  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: 50 });
  } catch (e) {
    return { ok: false, problems: [{ line: 1, column: 1, path: "", message: e instanceof Error ? e.message : "invalid YAML" }] };
  }
  const parsed = stackDocumentSchema.safeParse(value);
  if (parsed.success) return { ok: true, document: parsed.data };
  const problems = parsed.error.issues.map((issue) => {
    const path = issue.path.map((p) => (typeof p === "symbol" ? String(p) : p));
    // The deepest node that exists on the path (a missing key points at its parent).
    let offset = 0;
    for (let n = path.length; n >= 0; n--) {
      const node = n === 0 ? doc.contents : doc.getIn(path.slice(0, n), true);
      if (isNode(node) && node.range) {
        offset = node.range[0];
        break;
      }
    }
    // An unknown key: point at the key itself.
    if (issue.code === "unrecognized_keys" && issue.keys.length) {
      const parent = path.length ? doc.getIn(path, true) : doc.contents;
      const pair = parent && typeof parent === "object" && "items" in parent ? (parent.items as { key?: unknown }[]).find((it) => isNode(it.key) && String((it.key as { value?: unknown }).value) === issue.keys[0]) : undefined;
      if (pair && isNode(pair.key) && pair.key.range) offset = pair.key.range[0];
    }
    const pos = lineCounter.linePos(offset);
    return { line: pos.line, column: pos.col, path: path.join("."), message: issue.message };
  });
  problems.sort((a, b) => a.line - b.line || a.column - b.column);
  return { ok: false, problems };
}

/** A document as YAML text (export, adoption). */
export function stackToYaml(document: unknown): string {
  return stringify(document, { lineWidth: 0 });
}
