// A PowerShell parser for tests: tree-sitter's PowerShell grammar (npm tree-sitter-powershell,
// its WebAssembly build) through web-tree-sitter. Finds syntax errors in generated scripts and
// reads string literals back, with no PowerShell installed (none exists in Debian).
import path from "node:path";
import { Language, Parser, type Node } from "web-tree-sitter";

let parser: Promise<Parser> | undefined;

export function powershellParser(): Promise<Parser> {
  parser ??= (async () => {
    await Parser.init();
    const language = await Language.load(path.resolve(process.cwd(), "node_modules/tree-sitter-powershell/tree-sitter-powershell.wasm"));
    const p = new Parser();
    p.setLanguage(language);
    return p;
  })();
  return parser;
}

/** The first syntax error of `script` ("" when it parses), with a little context. */
export async function syntaxError(script: string): Promise<string> {
  const tree = (await powershellParser()).parse(script);
  if (!tree) return "the parser returned nothing";
  const find = (n: Node): Node | null => {
    if (n.type === "ERROR" || n.isMissing) return n;
    for (const c of n.children) {
      if (!c) continue;
      const r = find(c);
      if (r) return r;
    }
    return null;
  };
  const bad = find(tree.rootNode);
  tree.delete();
  if (!bad) return "";
  const line = script.slice(0, bad.startIndex).split("\n").length;
  return `${bad.isMissing ? "missing" : "error"} at line ${line}: ${script.slice(Math.max(0, bad.startIndex - 40), bad.endIndex + 20)}`;
}

/** The values of every single-quoted string literal, as PowerShell reads them. */
export async function singleQuotedStrings(script: string): Promise<string[]> {
  const tree = (await powershellParser()).parse(script);
  if (!tree) return [];
  const out: string[] = [];
  const walk = (n: Node) => {
    if (n.type === "verbatim_string_characters") out.push(n.text.slice(1, -1).replace(/(['\u2018\u2019\u201a\u201b])\1/g, "$1"));
    for (const c of n.children) if (c) walk(c);
  };
  walk(tree.rootNode);
  tree.delete();
  return out;
}
