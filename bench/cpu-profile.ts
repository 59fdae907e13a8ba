// Summarises V8 CPU profiles (`node --cpu-prof`, e.g. the web server's from
// `npm run bench -- --cpu-prof DIR`): self time by category (idle, GC, React server rendering,
// Next.js, Prisma, our code, ...) and the heaviest functions.
// Usage: node_modules/.bin/tsx bench/cpu-profile.ts DIR/*.cpuprofile [--top 25] [--from S --to S]
import fs from "node:fs";

type Node = { id: number; callFrame: { functionName: string; url: string; lineNumber: number }; children?: number[] };
type Profile = { nodes: Node[]; samples: number[]; timeDeltas: number[]; startTime: number; endTime: number };

/** The category of a frame, from its script's URL (our code, a package, Node's internals) or V8's pseudo-frames. */
export function category(fn: string, url: string): string {
  if (fn === "(idle)") return "idle (waiting for I/O)";
  if (fn === "(garbage collector)") return "garbage collection";
  if (fn === "(program)") return "V8/native (program)";
  if (!url) return "V8/native builtins";
  // engineType "client": Prisma compiles each query in its WebAssembly query compiler.
  if (url.startsWith("wasm://")) return "WebAssembly (Prisma query compiler)";
  if (url.startsWith("node:")) return "Node.js internals (" + (/node:((?:internal\/)?[\w]+)/.exec(url)?.[1] ?? "?") + ")";
  // Next bundles React's server renderer (HTML) and its Flight serialiser (RSC payload) into
  // these runtimes: their self time is React rendering plus Next's own request handling.
  if (/next-server\/app-page[^/]*\.runtime/.test(url)) return "Next app-page runtime (bundled React render + RSC serialisation)";
  if (/next-server\/app-route[^/]*\.runtime/.test(url)) return "Next app-route runtime (API routes)";
  if (/react-server-dom|server\.edge|flight|react-server/.test(url)) return "React server components (RSC payload)";
  if (/react-dom[^/]*\/.*server|react-dom-server|server\.node|server\.browser/.test(url)) return "React DOM server render (HTML)";
  if (/compiled\/react|\/react\//.test(url)) return "React (other)";
  if (/prisma|@prisma|generated\/prisma|query_engine|query_compiler/.test(url)) return "Prisma";
  if (/\/pg\/|pg-protocol|pg-pool/.test(url)) return "pg driver";
  if (/next-intl|use-intl|intl-messageformat/.test(url)) return "next-intl";
  if (/next-auth|@auth/.test(url)) return "Auth.js";
  if (/node_modules\/next\//.test(url)) return "Next.js server";
  if (/\.next\/server\/chunks|\.next\/server\/app/.test(url)) return "app code (.next/server bundles)";
  if (/node_modules\/([^/]+)/.test(url)) return "package " + /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url)![1];
  return "other: " + url.slice(-60);
}

/** `from`/`to`: only the samples between these seconds after the profile's start (e.g. one scenario). */
export function summarise(p: Profile, top = 25, from = 0, to = Infinity) {
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const self = new Map<number, number>();
  let at = 0;
  for (let i = 0; i < p.samples.length; i++) {
    at += p.timeDeltas[i] ?? 0;
    if (at < from * 1e6 || at > to * 1e6) continue;
    self.set(p.samples[i], (self.get(p.samples[i]) ?? 0) + (p.timeDeltas[i] ?? 0));
  }
  const cats = new Map<string, number>();
  const fns = new Map<string, number>();
  let total = 0;
  for (const [id, us] of self) {
    const n = byId.get(id)!;
    const c = category(n.callFrame.functionName, n.callFrame.url);
    cats.set(c, (cats.get(c) ?? 0) + us);
    const key = `${n.callFrame.functionName || "(anonymous)"} ${n.callFrame.url.replace(/^.*node_modules\//, "").replace(/^.*\.next\//, ".next/")}:${n.callFrame.lineNumber + 1}`;
    fns.set(key, (fns.get(key) ?? 0) + us);
    total += us;
  }
  const busy = total - (cats.get("idle (waiting for I/O)") ?? 0);
  const sorted = (m: Map<string, number>) => [...m].sort((a, b) => b[1] - a[1]);
  return {
    seconds: total / 1e6,
    busySeconds: busy / 1e6,
    categories: sorted(cats).map(([name, us]) => ({ name, ms: Math.round(us / 1000), ofTotal: us / total, ofBusy: name.startsWith("idle") ? undefined : us / busy })),
    functions: sorted(fns).slice(0, top).map(([name, us]) => ({ name, ms: Math.round(us / 1000), ofBusy: us / busy })),
  };
}

if (process.argv[1]?.endsWith("cpu-profile.ts")) {
  const files = process.argv.slice(2).filter((a) => a.endsWith(".cpuprofile"));
  const ti = process.argv.indexOf("--top");
  const top = ti >= 0 ? Number(process.argv[ti + 1]) : 25;
  const opt = (name: string, fallback: number) => (process.argv.includes(`--${name}`) ? Number(process.argv[process.argv.indexOf(`--${name}`) + 1]) : fallback);
  if (files.length === 0) {
    console.error("usage: tsx bench/cpu-profile.ts FILE.cpuprofile... [--top N]");
    process.exit(2);
  }
  const pct = (x?: number) => (x === undefined ? "" : (100 * x).toFixed(1) + " %");
  for (const f of files) {
    const s = summarise(JSON.parse(fs.readFileSync(f, "utf8")) as Profile, top, opt("from", 0), opt("to", Infinity));
    console.log(`\n${f}: ${s.seconds.toFixed(1)} s profiled, ${s.busySeconds.toFixed(1)} s busy\n`);
    console.log("| category | self ms | of busy |\n|---|---|---|");
    for (const c of s.categories) console.log(`| ${c.name} | ${c.ms} | ${pct(c.ofBusy)} |`);
    console.log("\n| function (self time) | ms | of busy |\n|---|---|---|");
    for (const fn of s.functions) console.log(`| ${fn.name.replace(/\|/g, "\\|")} | ${fn.ms} | ${pct(fn.ofBusy)} |`);
  }
}
