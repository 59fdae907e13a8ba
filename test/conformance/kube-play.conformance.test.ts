// The Kubernetes driver's Deployment manifest, run FOR REAL by `podman kube play` (no
// kube-apiserver can run here; Podman runs Deployments as pods from the same YAML): the
// generated Deployment becomes N running pods, a replayed manifest with more replicas
// scales it, `podman kube down` removes everything. Uses the Docker backend's Podman storage
// (scripts/backends/up.sh docker) with an infra image from it (no catatonit binary here); when
// that backend is not up, the test starts it in a scratch directory and stops it afterwards.
// Skips only when podman is absent and CI is not set.
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Deployment } from "kubernetes-models/apps/v1";
import { deploymentManifest, LABEL_WORKLOAD } from "@/lib/drivers/kubernetes/manifests";
import { workloadResourceName, type WorkloadSpec } from "@/lib/drivers/workload-types";
import { backendEnv } from "./endpoints";

const REPO = path.resolve(__dirname, "../..");
const hasPodman = spawnSync("podman", ["--version"]).status === 0;
const ci = Boolean(process.env.CI);

describe("Deployment manifests played by podman kube play (real pods)", () => {
  let scratch: string;
  let ownBackends: string | null = null;
  let env: NodeJS.ProcessEnv;
  const workloadId = randomUUID();
  const spec: WorkloadSpec = {
    workloadId,
    installationId: randomUUID(),
    projectId: randomUUID(),
    name: workloadResourceName("kube-play", workloadId),
    image: "localhost/busybox:latest",
    command: ["sh", "-c", "trap 'exit 0' TERM; echo \"hello from $(hostname) $MODE\"; while true; do sleep 1 & wait $!; done"],
    replicas: 2,
    vcpu: 1,
    memoryMb: 64,
    ports: [],
    env: { MODE: "demo" },
    secretKeys: [],
    healthCheck: null,
    updateStrategy: "ROLLING",
    autoscaling: null,
  };
  const podman = (args: string[]) => execFileSync("podman", args, { env, encoding: "utf8", timeout: 120_000 });
  const pods = () =>
    (JSON.parse(podman(["pod", "ps", "--format", "json", "--filter", `label=${LABEL_WORKLOAD}=${workloadId}`]) || "[]") as { Name: string; Status: string }[]).sort((a, b) =>
      a.Name.localeCompare(b.Name),
    );
  const play = (replicas: number) => {
    const d = deploymentManifest({ ...spec, replicas });
    new Deployment(d as never).validate();
    const file = path.join(scratch, `deployment-${replicas}.json`);
    // JSON is YAML: the manifest as the driver sends it.
    writeFileSync(file, JSON.stringify(d));
    podman(["kube", "play", file]);
    return file;
  };

  beforeAll(() => {
    if (!hasPodman) return;
    scratch = mkdtempSync(path.join(os.tmpdir(), "orq-kube-play-"));
    let dir = backendEnv().ORQ_DOCKER_SOCKET ? path.dirname(backendEnv().ORQ_DOCKER_SOCKET) : "";
    if (!dir || !existsSync(path.join(dir, "containers.conf"))) {
      ownBackends = path.join(scratch, "backends");
      execFileSync("bash", [path.join(REPO, "scripts/backends/up.sh"), "docker"], { env: { ...process.env, ORQ_BACKENDS_DIR: ownBackends }, stdio: "ignore", timeout: 120_000 });
      dir = path.join(ownBackends, "podman");
    }
    // Pods need an infra container: the busybox image idling, instead of catatonit (absent here).
    const conf = readFileSync(path.join(dir, "containers.conf"), "utf8").replace(/^\[engine\]$/m, '[engine]\ninfra_image = "localhost/busybox:latest"\ninfra_command = "/bin/orquestra-idle"');
    writeFileSync(path.join(scratch, "containers.conf"), conf);
    env = { ...process.env, CONTAINERS_CONF: path.join(scratch, "containers.conf"), CONTAINERS_STORAGE_CONF: path.join(dir, "storage.conf") };
  }, 180_000);

  afterAll(() => {
    if (!hasPodman) return;
    for (const n of [2, 3]) {
      const f = path.join(scratch, `deployment-${n}.json`);
      if (existsSync(f)) spawnSync("podman", ["kube", "down", f], { env });
    }
    if (ownBackends) execFileSync("bash", [path.join(REPO, "scripts/backends/down.sh"), "docker"], { env: { ...process.env, ORQ_BACKENDS_DIR: ownBackends }, stdio: "ignore" });
    rmSync(scratch, { recursive: true, force: true });
  }, 120_000);

  it("runs the generated Deployment as pods, scales it when replayed with more replicas, and kube down removes it", { timeout: 180_000 }, (ctx) => {
    if (!hasPodman) {
      if (ci) throw new Error("podman is required in CI");
      ctx.skip();
    }
    const t0 = performance.now();
    play(2);
    const up = pods();
    const playMs = Math.round(performance.now() - t0);
    expect(up.map((p) => p.Name)).toEqual([`${spec.name}-pod-0`, `${spec.name}-pod-1`]);
    expect(up.every((p) => p.Status === "Running")).toBe(true);
    // The container got the manifest's env and limits.
    const inspect = JSON.parse(podman(["inspect", `${spec.name}-pod-0-app`]))[0] as { Config: { Env: string[] }; HostConfig: { Memory: number; NanoCpus?: number; CpuQuota?: number } };
    expect(inspect.Config.Env).toContain("MODE=demo");
    expect(inspect.HostConfig.Memory).toBe(64 * 1024 * 1024);
    expect(podman(["logs", `${spec.name}-pod-1-app`])).toContain("hello from");

    // Scaling: the manifest replayed with 3 replicas. Podman 4.3's `kube play --replace` fails on
    // Deployment pods ("pod already exists"), so the old one is taken down first (a recreate).
    const t1 = performance.now();
    podman(["kube", "down", path.join(scratch, "deployment-2.json")]);
    expect(pods()).toEqual([]);
    const file = play(3);
    expect(pods().map((p) => p.Name)).toEqual([0, 1, 2].map((i) => `${spec.name}-pod-${i}`));
    const scaleMs = Math.round(performance.now() - t1);

    const t2 = performance.now();
    podman(["kube", "down", file]);
    expect(pods()).toEqual([]);
    console.log(`[podman kube play] timings (ms): ${JSON.stringify({ play2: playMs, replay3: scaleMs, down: Math.round(performance.now() - t2) })}`);
  });
});
