// A real Prometheus (Debian's package, /usr/bin/prometheus) scrapes GET /metrics: the test
// serves serveMetrics() (the route's handler) from its own HTTP server on loopback, starts
// Prometheus with its own configuration and data directory on a free loopback port, waits until
// the target is up, queries a per-machine gauge through Prometheus's HTTP API, and stops
// Prometheus by its pid. Skips with the reason when the binary is absent (fails under CI).
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import http from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "@/test/db";
import { makeMonitoredEstate } from "@/test/monitoring-estate";
import { waitFor } from "@/test/wait";
import { serveMetrics } from "./metrics-endpoint";
import { sampleMetrics } from "./sample-metrics";

const PROMETHEUS = process.env.ORQ_PROMETHEUS_BIN ?? "/usr/bin/prometheus";
const TOKEN = "prometheus-test-token-0123456789";
const missing = existsSync(PROMETHEUS) ? null : `Prometheus is not installed (${PROMETHEUS}); apt-get install prometheus`;

let t: TestDatabase;
let server: http.Server | undefined;
let prom: ChildProcess | undefined;
let dir: string | undefined;
let promLog = "";

async function freePort(): Promise<number> {
  const s = http.createServer();
  await new Promise<void>((r) => s.listen(0, "127.0.0.1", r));
  const port = (s.address() as AddressInfo).port;
  await new Promise((r) => s.close(r));
  return port;
}

beforeAll(async () => {
  t = await createTestDatabase();
});

afterAll(async () => {
  if (prom?.pid && prom.exitCode === null) {
    const exited = new Promise((r) => prom!.once("exit", r));
    process.kill(prom.pid, "SIGTERM");
    await exited;
  }
  if (server) await new Promise((r) => server!.close(r));
  if (dir) await rm(dir, { recursive: true, force: true });
  await t?.drop();
});

describe.skipIf(missing !== null && !process.env.CI)("Prometheus scrapes /metrics", () => {
  it("the target comes up and a machine's CPU gauge is queryable through Prometheus's API", async () => {
    if (missing) throw new Error(`CI requires Prometheus: ${missing}`);
    const e = await makeMonitoredEstate(t.db, { machines: 1, config: { loadProfile: "constant", loadPercent: 42 } });
    await sampleMetrics(t.db, { now: new Date(), providerId: e.provider.id });

    // The route's handler behind a plain HTTP server on loopback.
    server = http.createServer((req, res) => {
      const request = new Request(`http://127.0.0.1${req.url}`, { headers: req.headers as Record<string, string> });
      void serveMetrics(request, t.db, TOKEN).then(async (r) => {
        res.writeHead(r.status, Object.fromEntries(r.headers));
        res.end(Buffer.from(await r.arrayBuffer()));
      });
    });
    await new Promise<void>((r) => server!.listen(0, "127.0.0.1", r));
    const appPort = (server.address() as AddressInfo).port;

    dir = await mkdtemp(path.join(os.tmpdir(), "orq-prometheus-"));
    await writeFile(path.join(dir, "token"), TOKEN, { mode: 0o600 });
    await writeFile(
      path.join(dir, "prometheus.yml"),
      [
        "global:",
        "  scrape_interval: 1s",
        "  evaluation_interval: 1s",
        "scrape_configs:",
        "  - job_name: orquestra",
        "    metrics_path: /metrics",
        "    authorization:",
        "      type: Bearer",
        `      credentials_file: ${path.join(dir, "token")}`,
        "    static_configs:",
        `      - targets: ["127.0.0.1:${appPort}"]`,
        "",
      ].join("\n"),
    );
    const promPort = await freePort();
    prom = spawn(
      PROMETHEUS,
      [
        `--config.file=${path.join(dir, "prometheus.yml")}`,
        `--storage.tsdb.path=${path.join(dir, "data")}`,
        `--web.listen-address=127.0.0.1:${promPort}`,
      ],
      { stdio: ["ignore", "ignore", "pipe"] },
    );
    prom.stderr!.on("data", (d: Buffer) => {
      promLog = (promLog + d.toString()).slice(-4000);
    });
    const api = (p: string) => fetch(`http://127.0.0.1:${promPort}${p}`).then((r) => r.json() as Promise<{ status: string; data: unknown }>);

    const target = await waitFor(
      "Prometheus to report the target up",
      async () => {
        if (prom!.exitCode !== null) throw new Error(`Prometheus exited (${prom!.exitCode}): ${promLog}`);
        const r = await api("/api/v1/targets").catch(() => null);
        const active = (r?.data as { activeTargets?: { health: string; lastError: string; scrapeUrl: string }[] } | undefined)?.activeTargets ?? [];
        return active.find((a) => a.health === "up") ?? false;
      },
      { timeoutMs: 45_000, everyMs: 250 },
    );
    expect(target.scrapeUrl).toBe(`http://127.0.0.1:${appPort}/metrics`);

    const q = encodeURIComponent(`orq_machine_cpu_percent{machine_id="${e.machineIds[0]}"}`);
    const value = await waitFor(
      "the gauge in Prometheus",
      async () => {
        const r = await api(`/api/v1/query?query=${q}`);
        const result = (r.data as { result: { metric: Record<string, string>; value: [number, string] }[] }).result;
        return result.length ? result[0] : false;
      },
      { timeoutMs: 30_000, everyMs: 250 },
    );
    expect(value.metric).toMatchObject({ job: "orquestra", machine: "mon-0", project: e.project.slug });
    expect(Number(value.value[1])).toBe(42);

    // Without the token Prometheus's scrape would fail: the endpoint refuses it.
    const anon = await fetch(`http://127.0.0.1:${appPort}/metrics`);
    expect(anon.status).toBe(401);
  }, 90_000);
});
