// The image's build stage, after `next build`: removes from node_modules what only building
// and testing need, like `npm prune --omit=dev` (the base image has no npm): every package
// package-lock.json marks "dev" (only reachable from devDependencies: ESLint, vitest,
// Tailwind's compiler...) or "devOptional" (a devDependency that the runtime's packages only
// name as optional peers: TypeScript, Playwright; npm keeps those unless optional ones are
// omitted too, which would also drop the platform binaries the runtime loads), and Next.js's SWC compiler binaries (@next/swc-*:
// `next start` with a JavaScript next.config never loads them; the worker runs on tsx, which
// uses esbuild). Then the links in node_modules/.bin left pointing nowhere.
//   node scripts/container/prune-runtime.mjs        (in the app directory)
import fs from "node:fs";
import path from "node:path";

const lock = JSON.parse(fs.readFileSync("package-lock.json", "utf8"));
const doomed = Object.entries(lock.packages)
  .filter(([dir, p]) => dir.startsWith("node_modules/") && (p.dev === true || p.devOptional === true))
  .map(([dir]) => dir);
for (const name of fs.existsSync("node_modules/@next") ? fs.readdirSync("node_modules/@next") : []) {
  if (name.startsWith("swc-")) doomed.push(`node_modules/@next/${name}`);
}

let removed = 0;
for (const dir of doomed) {
  if (!fs.existsSync(dir)) continue;
  fs.rmSync(dir, { recursive: true, force: true });
  removed++;
  // An emptied @scope directory goes too.
  const parent = path.dirname(dir);
  if (path.basename(parent).startsWith("@") && fs.readdirSync(parent).length === 0) fs.rmdirSync(parent);
}
let links = 0;
for (const bin of fs.existsSync("node_modules/.bin") ? fs.readdirSync("node_modules/.bin") : []) {
  const p = path.join("node_modules/.bin", bin);
  if (!fs.existsSync(p)) {
    fs.rmSync(p, { force: true });
    links++;
  }
}
console.log(`prune-runtime: removed ${removed} build and test packages, ${links} dangling links`);
