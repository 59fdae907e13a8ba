// Prometheus metrics of the platform (prom-client, served by GET /metrics in OpenMetrics):
// read from PostgreSQL at scrape time (operations by kind and status, job queue depth and age,
// machines by state, host capacity and allocation, each running machine's latest sample), plus
// driver call durations observed in this process. No "server-only": the worker records driver
// calls too.
import client from "prom-client";
import type { Db } from "../db/client";

/** Driver call durations in THIS process (the web server's and the worker's are separate). */
const driverCalls = new client.Histogram({
  name: "orq_driver_call_duration_seconds",
  help: "Duration of driver calls, by provider kind, call and result",
  labelNames: ["kind", "call", "result"] as const,
  buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
  registers: [],
});

export function observeDriverCall(kind: string, call: string, result: "ok" | "error", seconds: number): void {
  driverCalls.observe({ kind, call, result }, seconds);
}

type GaugeSetter = (g: client.Gauge<string>) => Promise<void>;

function dbGauge(registry: client.Registry, name: string, help: string, labelNames: string[], fill: GaugeSetter) {
  new client.Gauge({
    name,
    help,
    labelNames,
    registers: [registry],
    async collect() {
      this.reset();
      await fill(this);
    },
  });
}

/** A fresh registry bound to `db` (one per process is enough: the route keeps it). */
export function platformRegistry(db: Db): client.Registry {
  const registry = new client.Registry();
  registry.setContentType(client.openMetricsContentType as never);
  registry.registerMetric(driverCalls);

  dbGauge(registry, "orq_operations", "Operations by kind and status (rows in the operations table)", ["kind", "status"], async (g) => {
    const rows = await db.operation.groupBy({ by: ["kind", "status"], _count: { _all: true } });
    for (const r of rows) g.set({ kind: r.kind, status: r.status }, r._count._all);
  });
  dbGauge(registry, "orq_queue_jobs", "Worker jobs: ready to run now, and running", ["state"], async (g) => {
    const [q] = await db.$queryRaw<{ ready: number; running: number; oldest: number | null }[]>`
      select count(*) filter (where j.is_available and j.run_at <= now() and (q.id is null or q.is_available))::int as ready,
             count(*) filter (where j.locked_at is not null)::int as running,
             (extract(epoch from now() - min(j.run_at) filter (where j.is_available and j.run_at <= now())))::float8 as oldest
        from graphile_worker._private_jobs j
        left join graphile_worker._private_job_queues q on q.id = j.job_queue_id`;
    g.set({ state: "ready" }, q?.ready ?? 0);
    g.set({ state: "running" }, q?.running ?? 0);
  });
  dbGauge(registry, "orq_queue_oldest_ready_seconds", "Age of the oldest job waiting to run (queue latency)", [], async (g) => {
    const [q] = await db.$queryRaw<{ oldest: number | null }[]>`
      select (extract(epoch from now() - min(run_at)))::float8 as oldest
        from graphile_worker._private_jobs where is_available and run_at <= now()`;
    g.set(q?.oldest ?? 0);
  });
  dbGauge(registry, "orq_machines", "Machines by state", ["state"], async (g) => {
    const rows = await db.machine.groupBy({ by: ["state"], _count: { _all: true } });
    for (const r of rows) g.set({ state: r.state }, r._count._all);
  });
  const hosts = async () =>
    db.host.findMany({ select: { name: true, vcpuTotal: true, vcpuUsed: true, memoryMbTotal: true, memoryMbUsed: true, provider: { select: { name: true } } } });
  dbGauge(registry, "orq_host_vcpu", "Host vCPUs: total and allocated to machines", ["provider", "host", "kind"], async (g) => {
    for (const h of await hosts()) {
      g.set({ provider: h.provider.name, host: h.name, kind: "total" }, h.vcpuTotal);
      g.set({ provider: h.provider.name, host: h.name, kind: "allocated" }, h.vcpuUsed);
    }
  });
  dbGauge(registry, "orq_host_memory_bytes", "Host memory: total and allocated to machines", ["provider", "host", "kind"], async (g) => {
    for (const h of await hosts()) {
      g.set({ provider: h.provider.name, host: h.name, kind: "total" }, h.memoryMbTotal * 1048576);
      g.set({ provider: h.provider.name, host: h.name, kind: "allocated" }, h.memoryMbUsed * 1048576);
    }
  });

  // Per machine: the newest raw sample of each running machine (at most 10 minutes old).
  const latest = async () =>
    db.$queryRaw<{ machineId: string; name: string; project: string; cpuPercent: number | null; memoryUsedBytes: number; diskReadBytes: number; diskWriteBytes: number; netInBytes: number; netOutBytes: number }[]>`
      select distinct on (s."machineId") s."machineId", m.name, p.slug as project, s."cpuPercent", s."memoryUsedBytes",
             s."diskReadBytes", s."diskWriteBytes", s."netInBytes", s."netOutBytes"
        from "MetricSample" s join "Machine" m on m.id = s."machineId" join "Project" p on p.id = m."projectId"
       where s.resolution = 'RAW' and m.state = 'RUNNING' and s.at > (now() at time zone 'utc') - interval '10 minutes'
       order by s."machineId", s.at desc`;
  let cache: { at: number; rows: Awaited<ReturnType<typeof latest>> } | null = null;
  const rows = async () => {
    // One query per scrape for all the per-machine gauges.
    if (!cache || Date.now() - cache.at > 1000) cache = { at: Date.now(), rows: await latest() };
    return cache.rows;
  };
  const perMachine: [string, string, (r: Awaited<ReturnType<typeof latest>>[number]) => number | null][] = [
    ["orq_machine_cpu_percent", "CPU utilisation of the machine at its latest sample (0-100)", (r) => r.cpuPercent],
    ["orq_machine_memory_used_bytes", "Memory in use at the latest sample", (r) => r.memoryUsedBytes],
    ["orq_machine_disk_read_bytes", "Bytes read from disk in the latest sampling interval", (r) => r.diskReadBytes],
    ["orq_machine_disk_write_bytes", "Bytes written to disk in the latest sampling interval", (r) => r.diskWriteBytes],
    ["orq_machine_network_in_bytes", "Bytes received in the latest sampling interval", (r) => r.netInBytes],
    ["orq_machine_network_out_bytes", "Bytes sent in the latest sampling interval", (r) => r.netOutBytes],
  ];
  for (const [name, help, pick] of perMachine) {
    dbGauge(registry, name, help, ["machine_id", "machine", "project"], async (g) => {
      for (const r of await rows()) {
        const v = pick(r);
        if (v !== null) g.set({ machine_id: r.machineId, machine: r.name, project: r.project }, v);
      }
    });
  }
  return registry;
}
