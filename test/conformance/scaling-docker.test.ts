// A scaling group on a REAL container engine (Podman's Docker API, scripts/backends/up.sh) driven
// by real CPU load: its machines are containers of an image whose command burns CPU (busybox sh,
// `while [ ! -e /tmp/idle ]; do :; done`, then the image's idle command), built here by
// committing a container of the lab image with another CMD. Each round is what the worker does
// after a metrics run, with a controllable clock (one minute per round) and the real functions:
// sampleMetrics reads the containers' stats through the Docker driver, evaluateScalingGroup
// decides, and the machines' operations run in process (drainMachine) against the engine.
// The group (min 1, max 3, target 5 % average CPU: see the group's settings) grows to 3 under the burners and holds at its maximum;
// once the burners are switched off (exec `touch /tmp/idle` in every member, as an operator
// would) it shrinks one step per scale-in cooldown down to 1. The engine never runs more than 3
// members, the project's quota holds exactly the one machine left, and every container (and the
// burner image) is removed at the end.
//
// Without the backend the test skips with the reason; with CI set that is a failure.
import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import http from "node:http";
import Docker from "dockerode";
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

// Provider credentials are sealed with this key.
process.env.ORQ_ENCRYPTION_KEY ??= randomBytes(32).toString("base64");

import { createTestDatabase, type TestDatabase } from "@/test/db";
import { addMember, ctxFor, makeOffering, makeProject, makeTemplate, makeUser } from "@/test/factories";
import { createProvider } from "@/lib/providers/create-provider";
import { testProviderConnection } from "@/lib/providers/test-provider-connection";
import { discoverHosts } from "@/lib/providers/discover-hosts";
import { setTemplateProviderRefs } from "@/lib/templates/set-template-provider-refs";
import { drainMachine } from "@/lib/orchestration/run-operation";
import { DEFAULT_RETRY_POLICY } from "@/lib/orchestration/backoff";
import { sampleMetrics } from "@/lib/monitoring/sample-metrics";
import { evaluateScalingGroup, type ScalingDecisionView } from "@/lib/scaling/evaluate-scaling";
import { createScalingGroup, deleteScalingGroup } from "@/lib/scaling/manage-groups";
import { createScalingGroupSchema } from "@/lib/scaling/schemas";
import { MACHINE_ID_LABEL } from "@/lib/drivers/docker/docker-driver";
import { requireEndpoints } from "./endpoints";

const CI = Boolean(process.env.CI);
const found = requireEndpoints("docker (Podman)", ["ORQ_DOCKER_SOCKET", "ORQ_DOCKER_IMAGE"]);
const reason = "reason" in found ? found.reason : existsSync(found.values.ORQ_DOCKER_SOCKET) ? undefined : `Docker (Podman) socket ${found.values.ORQ_DOCKER_SOCKET} is missing; run npm run backends:up`;
const env = "values" in found ? found.values : ({} as Record<string, string>);
const engine = () => new Docker({ socketPath: env.ORQ_DOCKER_SOCKET });

const BURNER_REPO = "localhost/orq-cpu-burner";
const BURNER_TAG = `t${randomBytes(4).toString("hex")}`;
const BURNER = `${BURNER_REPO}:${BURNER_TAG}`;
const TARGET = 5;
const BURN_CMD = ["sh", "-c", "while [ ! -e /tmp/idle ]; do :; done; exec /bin/orquestra-idle"];

/** One Docker API call over the engine's socket (commit needs a JSON body dockerode does not send). */
function api(method: string, path: string, body?: unknown): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request({ socketPath: env.ORQ_DOCKER_SOCKET, method, path, headers: { "content-type": "application/json" } }, (res) => {
      let data = "";
      res.on("data", (c: Buffer) => (data += c.toString("utf8")));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body: data }));
    });
    req.on("error", reject);
    req.end(body === undefined ? undefined : JSON.stringify(body));
  });
}

/** The burner image: a container of the lab image committed with the burning command. */
async function buildBurner() {
  const c = await engine().createContainer({ Image: env.ORQ_DOCKER_IMAGE });
  try {
    const changes = encodeURIComponent(`CMD ${JSON.stringify(BURN_CMD)}`);
    const r = await api("POST", `/commit?container=${c.id}&repo=${encodeURIComponent(BURNER_REPO)}&tag=${BURNER_TAG}&changes=${changes}`, {});
    if (r.status !== 201 && r.status !== 200) throw new Error(`commit failed: HTTP ${r.status} ${r.body}`);
  } finally {
    await c.remove({ force: true });
  }
  const info = await engine().getImage(BURNER).inspect();
  expect(info.Config.Cmd).toEqual(BURN_CMD);
}

let t: TestDatabase | undefined;
const machineIds = new Set<string>();

beforeAll(async () => {
  if (reason) return;
  t = await createTestDatabase();
  await buildBurner();
}, 180_000);

afterAll(async () => {
  if (reason) return;
  // Whatever a failed run left: the members' containers (by their machine id label), the image.
  const left = await engine().listContainers({ all: true, filters: { label: [MACHINE_ID_LABEL] } });
  for (const c of left) if (machineIds.has(c.Labels[MACHINE_ID_LABEL])) await engine().getContainer(c.Id).remove({ force: true }).catch(() => {});
  await engine().getImage(BURNER).remove({ force: true }).catch(() => {});
  await t?.drop();
}, 120_000);

describe("a scaling group on real Docker with a CPU burner", () => {
  it("grows to max under the burners, never above, and shrinks after the cooldowns when they stop", async (ctx) => {
    if (reason) {
      if (CI) throw new Error(`CI requires the docker backend: ${reason}`);
      return ctx.skip(reason);
    }
    const db = t!.db;
    const deps = () => ({ db, now: () => new Date(), retry: { ...DEFAULT_RETRY_POLICY, baseMs: 10, maxMs: 50 }, log: pino({ level: "silent" }) });

    const admin = await makeUser(db, { role: "ADMIN" });
    const adminCtx = await ctxFor(db, admin.id);
    const { id: providerId } = await createProvider(adminCtx, {
      name: `podman-scaling-${randomBytes(3).toString("hex")}`,
      kind: "DOCKER",
      endpoint: `unix://${env.ORQ_DOCKER_SOCKET}`,
      credentials: {},
      config: { stopTimeoutSeconds: 2 },
      cpuOvercommit: 8,
      memoryOvercommit: 1,
      diskOvercommit: 1,
      placementPolicy: "SPREAD",
    });
    expect(await testProviderConnection(adminCtx, { id: providerId })).toMatchObject({ ok: true, status: "ACTIVE" });
    expect(await discoverHosts(adminCtx, { id: providerId })).toMatchObject({ ok: true });
    const template = await makeTemplate(db, { minDiskGb: 1 });
    await setTemplateProviderRefs(adminCtx, { templateId: template.id, refs: [{ providerId, ref: BURNER }] });
    const offering = await makeOffering(db, { vcpu: 1, memoryMb: 64, diskGb: 1, diskTier: "SSD", monthlyPriceCents: 500 });
    const project = await makeProject(db, { quotaVcpu: 8, quotaMemoryMb: 2048, quotaDiskSsdGb: 20, quotaDiskHddGb: 0, quotaMachines: 6 });
    const approver = await makeUser(db);
    await addMember(db, project.id, approver.id, "APPROVER");
    const g = await createScalingGroup(
      await ctxFor(db, approver.id),
      createScalingGroupSchema.parse({
        projectId: project.id,
        name: `burn${randomBytes(2).toString("hex")}`,
        offeringId: offering.id,
        templateId: template.id,
        placement: "PROVIDER",
        providerId,
        minSize: 1,
        maxSize: 3,
        desired: 1,
        // Low on purpose: the burners share the machine's cores with everything else running (on
        // this 2-core machine at load 15, one burner measured about 30 % of its vCPU and three
        // about 10 % each), while an idle member measures 0 %.
        targetCpuPercent: TARGET,
        scaleOutCooldownSeconds: 60,
        scaleInCooldownSeconds: 120,
        windowSeconds: 60,
      }),
    );

    const members = () => db.machine.findMany({ where: { scalingGroupId: g.id, deletedAt: null, state: { not: "DELETED" } }, orderBy: { createdAt: "asc" } });
    /** The group's containers as the engine itself lists them. */
    const containers = async () => {
      const ids = (await db.machine.findMany({ where: { scalingGroupId: g.id }, select: { id: true } })).map((m) => m.id);
      for (const id of ids) machineIds.add(id);
      const all = await engine().listContainers({ all: true, filters: { label: [MACHINE_ID_LABEL] } });
      return all.filter((c) => ids.includes(c.Labels[MACHINE_ID_LABEL]));
    };
    const settle = async () => {
      for (const m of await db.machine.findMany({ where: { scalingGroupId: g.id }, select: { id: true } })) await drainMachine(deps(), m.id);
    };
    const T = Date.now();
    let k = 0;
    const decisions: ScalingDecisionView[] = [];
    let mostContainers = 0;
    /** One round as the worker runs it (metrics, then the group), one minute of the clock apart. */
    const round = async () => {
      const at = new Date(T + k++ * 60_000);
      const sampled = await sampleMetrics(db, { now: at, providerId });
      expect(sampled.failed).toBe(0);
      const d = await evaluateScalingGroup(db, g.id, at);
      await settle();
      const running = (await containers()).filter((c) => c.State === "running");
      mostContainers = Math.max(mostContainers, (await containers()).length);
      expect(running.length).toBeLessThanOrEqual(3);
      if (d) decisions.push(d);
      return d;
    };

    // ---- Burning: the group grows one step per round to its maximum, then holds there (the
    // round after it reached 3: "at its maximum" when the burners' average is above the target,
    // which a very busy machine may not grant them; the scale-in cooldown holds it either way).
    let reached = false;
    for (let i = 0; i < 10; i++) {
      const d = await round();
      if (reached || d?.outcome === "SCALED_IN") break;
      reached = d?.desiredAfter === 3;
    }
    const grew = decisions.filter((d) => d.outcome === "SCALED_OUT");
    expect(grew.map((d) => d.desiredAfter), JSON.stringify(decisions)).toEqual([1, 2, 3]);
    expect(grew.slice(1).every((d) => d.metricValue! > TARGET)).toBe(true);
    const atMax = decisions.at(-1)!;
    expect(atMax).toMatchObject({ outcome: "HOLD", desiredAfter: 3 });
    // Still burning (an idle member measures 0 %).
    expect(atMax.metricValue!).toBeGreaterThan(0);
    const hot = await members();
    expect(hot.map((m) => m.state)).toEqual(["RUNNING", "RUNNING", "RUNNING"]);
    expect((await containers()).map((c) => c.State)).toEqual(["running", "running", "running"]);

    // ---- The burners stop (in every member, through the engine's exec).
    for (const m of hot) {
      const exec = await engine().getContainer(m.externalRef!).exec({ Cmd: ["touch", "/tmp/idle"], AttachStdout: true, AttachStderr: true });
      const stream = await exec.start({});
      stream.resume();
      await new Promise((resolve) => stream.once("end", resolve));
      expect((await exec.inspect()).ExitCode).toBe(0);
    }
    const cooling = decisions.length;
    for (let i = 0; i < 12; i++) {
      const d = await round();
      if (d?.outcome === "HOLD" && d.reason.includes("minimum")) break;
    }
    const after = decisions.slice(cooling);
    const shrank = after.filter((d) => d.outcome === "SCALED_IN");
    expect(shrank.map((d) => d.desiredAfter), JSON.stringify(after)).toEqual([2, 1]);
    expect(shrank.every((d) => d.metricValue! < TARGET)).toBe(true);
    // Scale-in waits for its cooldown (120 s) after the last scaling: between the two steps a
    // round holds for it.
    const firstIn = after.indexOf(shrank[0]!);
    const secondIn = after.indexOf(shrank[1]!);
    expect(secondIn - firstIn).toBeGreaterThanOrEqual(2);
    expect(after.slice(firstIn + 1, secondIn).some((d) => d.outcome === "HOLD" && d.reason.includes("cooldown"))).toBe(true);
    // The first step in comes a full cooldown after the last step out (on the test's clock).
    expect(shrank[0]!.windowEnd.getTime() - grew[2]!.windowEnd.getTime()).toBeGreaterThanOrEqual(120_000);
    expect(after.at(-1)).toMatchObject({ outcome: "HOLD", desiredAfter: 1 });

    // Never above max, on the engine either; the quota holds exactly the one member left.
    expect(decisions.every((d) => d.desiredAfter >= 1 && d.desiredAfter <= 3)).toBe(true);
    expect(mostContainers).toBeLessThanOrEqual(3);
    const left = await members();
    expect(left.map((m) => m.state)).toEqual(["RUNNING"]);
    expect(await containers()).toHaveLength(1);
    expect(await db.project.findUniqueOrThrow({ where: { id: project.id } })).toMatchObject({ usedMachines: 1, usedVcpu: 1, usedMemoryMb: 64 });
    console.log(`[scaling-docker] ${decisions.map((d) => `${d.outcome}→${d.desiredAfter}${d.metricValue === null ? "" : ` (${d.metricValue} %)`}`).join(", ")}`);
    const rows = await db.scalingDecision.findMany({ where: { groupId: g.id } });
    expect(rows).toHaveLength(decisions.length);

    // ---- Deleting the group takes its machine; the engine keeps no container of it.
    const del = await deleteScalingGroup(await ctxFor(db, approver.id), { groupId: g.id, confirmName: g.name });
    expect(del.deletedMachines).toBe(1);
    await settle();
    expect(await containers()).toHaveLength(0);
    expect(await db.project.findUniqueOrThrow({ where: { id: project.id } })).toMatchObject({ usedMachines: 0, usedVcpu: 0 });
  }, 300_000);
});
