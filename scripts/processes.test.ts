// The worker's V8 heap flags (issue 9: worker memory) apply to every way it is launched: the
// supervisor of `npm start`, `npm run worker`, the compose service and the Containerfile's note.
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { WORKER_NODE_FLAGS, workerCommand } from "./processes";

const root = path.resolve(__dirname, "..");
const read = (f: string) => fs.readFileSync(path.join(root, f), "utf8");

describe("worker launch flags", () => {
  it("the supervised worker runs node with the heap flags before the entry point", () => {
    const c = workerCommand(root);
    expect(c.command).toBe(process.execPath);
    const entry = c.args.indexOf(path.join(root, "scripts", "worker.ts"));
    for (const f of WORKER_NODE_FLAGS) {
      expect(c.args.indexOf(f)).toBeGreaterThanOrEqual(0);
      expect(c.args.indexOf(f)).toBeLessThan(entry);
    }
  });

  it("npm run worker, compose.yaml and the Containerfile carry the same flags", () => {
    const npmWorker = (JSON.parse(read("package.json")) as { scripts: Record<string, string> }).scripts.worker;
    expect(npmWorker.split(" ").slice(0, 1 + WORKER_NODE_FLAGS.length)).toEqual(["node", ...WORKER_NODE_FLAGS]);
    const compose = read("compose.yaml").split("\n").find((l) => l.includes("scripts/worker.ts"))!;
    const composeArgs = JSON.parse(compose.slice(compose.indexOf("["))) as string[];
    expect(composeArgs.slice(1, 1 + WORKER_NODE_FLAGS.length)).toEqual([...WORKER_NODE_FLAGS]);
    expect(read("Containerfile")).toContain(`node ${WORKER_NODE_FLAGS.join(" ")} --conditions=react-server --import tsx scripts/worker.ts`);
  });
});
