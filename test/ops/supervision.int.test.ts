// `npm start`'s supervision, with the real worker (scripts/worker.ts, run exactly as start.ts
// runs it) against a real database: a worker killed with SIGKILL is restarted with backoff and
// works again, while the web process next to it keeps answering and is never restarted.
import fs from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../db";
import { checkHealth } from "../../lib/health/check-health";
import { enqueueJob } from "../../lib/orchestration/enqueue";
import { freePort } from "../../lib/db/embedded";
import { workerCommand } from "../../scripts/processes";
import { superviseProcess, type SupervisedProcess } from "../../scripts/supervisor";
import { waitFor } from "../wait";

const root = path.resolve(__dirname, "..", "..");
let t: TestDatabase;
const started: SupervisedProcess[] = [];

beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(async () => {
  await Promise.all(started.map((p) => p.stop()));
  await t?.drop();
});

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

function get(url: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = http.get(url, { timeout: 2000 }, (res) => {
      let body = "";
      res.on("data", (d: Buffer) => (body += d.toString()));
      res.on("end", () => (res.statusCode === 200 ? resolve(body) : reject(new Error(`HTTP ${res.statusCode}`))));
    });
    req.on("timeout", () => req.destroy(new Error("timeout")));
    req.on("error", reject);
  });
}

describe("npm start's supervision", () => {
  // Three real worker starts: each loads the worker's modules through tsx, 16-30 s on a loaded
  // two-core machine. The test's timeout covers all of them; every wait below polls until the
  // condition holds or that timeout is near (test/wait.ts), never a shorter fixed budget.
  it("restarts a SIGKILLed worker with backoff while the web process keeps answering", { timeout: 300_000 }, async () => {
    const lines: string[] = [];
    const log = (m: string) => lines.push(m);
    // resetAfterMs far above a worker's slowest start: a run that lasted long enough to reset
    // the backoff would make the second restart's delay 200 ms, not the 400 ms asserted below.
    const backoff = { initialMs: 200, maxMs: 5000, resetAfterMs: 600_000 };

    // The web side: a process that answers HTTP with its pid (the supervisor treats it as
    // start.ts treats `next start` once it has served).
    const port = await freePort();
    const web = superviseProcess({
      name: "web server",
      command: process.execPath,
      args: ["-e", `require("node:http").createServer((q, s) => s.end(String(process.pid))).listen(${port}, "127.0.0.1")`],
      stdio: "ignore",
      log,
      backoff,
    });
    started.push(web);
    const url = `http://127.0.0.1:${port}/`;
    const webPid = Number(await waitFor("the web process to answer", () => get(url)));

    const logFile = path.join(os.tmpdir(), `orq-supervised-worker-${randomUUID().slice(0, 8)}.log`);
    const out = fs.openSync(logFile, "a");
    const worker = superviseProcess({
      name: "worker",
      ...workerCommand(root),
      env: { ...process.env, DATABASE_URL: t.url, ORQ_PROCESS: "worker", ORQ_WORKER_HEARTBEAT_MS: "500", ORQ_LOG_LEVEL: "info" },
      stdio: ["ignore", out, out],
      log,
      backoff,
    });
    started.push(worker);

    // Polls the web process all along: it must answer every time, always the same process.
    const webAnswers: string[] = [];
    const webFailures: string[] = [];
    let polling = true;
    const poller = (async () => {
      while (polling) {
        await get(url).then(
          (b) => webAnswers.push(b),
          (e: Error) => webFailures.push(e.message),
        );
        await new Promise((r) => setTimeout(r, 100));
      }
    })();

    /** The worker's heartbeat row for `pid`, once it is live. */
    const liveWorker = (pid: number | undefined) =>
      waitFor(
        `a live worker with pid ${pid} (log: ${logFile})`,
        async () => {
          if (!pid) return null;
          const row = await t.db.workerProcess.findFirst({ where: { pid } });
          const h = await checkHealth(t.db, { heartbeatMs: 500 });
          return row && h.worker!.live >= 1 && h.worker!.lastHeartbeatAgeSeconds! < 1.5 ? row : null;
        },
      );

    // One node process: the pid the supervisor watches is the worker's own.
    const first = worker.pid()!;
    await liveWorker(first);

    for (const [n, delay] of [
      [1, "200 ms"],
      [2, "400 ms"],
    ] as const) {
      const victim = worker.pid()!;
      process.kill(victim, "SIGKILL");
      const next = await waitFor("a new worker process", () => (worker.pid() && worker.pid() !== victim ? worker.pid() : null));
      expect(alive(victim)).toBe(false);
      expect(lines).toContainEqual(expect.stringMatching(new RegExp(`^worker was killed by SIGKILL after \\d+(\\.\\d)? s; restarting in ${delay} \\(restart ${n}\\)$`)));
      await liveWorker(next);
    }
    expect(worker.restarts()).toBe(2);

    // The restarted worker runs jobs: a lease sweep enqueued now is done.
    await t.db.$transaction((tx) => enqueueJob(tx, "orq-lease-sweep", { now: new Date().toISOString() }, { jobKey: "supervision-test-sweep" }));
    await waitFor(
      "the sweep job to run",
      async () => (await t.db.$queryRaw<{ n: number }[]>`select count(*)::int as n from graphile_worker._private_jobs where key = 'supervision-test-sweep'`)[0].n === 0,
    );

    polling = false;
    await poller;
    expect(webFailures).toEqual([]);
    expect(webAnswers.length).toBeGreaterThan(5);
    expect(new Set(webAnswers)).toEqual(new Set([String(webPid)]));
    expect(web.restarts()).toBe(0);
    expect(web.pid()).toBe(webPid);

    // A clean stop: SIGTERM, the worker finishes and exits 0; nothing is restarted after it.
    const last = worker.pid()!;
    const exit = await worker.stop();
    expect(exit).toMatchObject({ code: 0, signal: null });
    expect(alive(last)).toBe(false);
    expect(worker.pid()).toBeUndefined();
    await web.stop();
    expect(alive(webPid)).toBe(false);
    expect(lines.filter((l) => l.startsWith("worker started"))).toHaveLength(3);
  });
});
