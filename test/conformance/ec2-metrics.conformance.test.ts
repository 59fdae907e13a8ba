// EC2 metrics through CloudWatch, against moto. moto's CloudWatch stores what it is sent and
// generates no EC2 figures, so the test does what an agent (or AWS) would: it puts datapoints
// for the instance through the CloudWatch API, and the driver reads them back; with none, the
// driver answers "no sample" (null), never zeros.
// A private moto (started here on a free loopback port, stopped at the end) rather than the
// shared one: the shared lab key is allowed ec2:* only (scripts/backends/moto-seed.py grants
// CloudWatch since this test, but a moto seeded before keeps the old policy).
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes, randomUUID } from "node:crypto";
import { existsSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CloudWatchClient, PutMetricDataCommand, type MetricDatum } from "@aws-sdk/client-cloudwatch";
import { AwsQueryProtocol } from "@aws-sdk/core/protocols";
import { DescribeImagesCommand, EC2Client } from "@aws-sdk/client-ec2";
// Provider credentials are sealed with this key.
process.env.ORQ_ENCRYPTION_KEY ??= randomBytes(32).toString("base64");

import { createTestDatabase } from "@/test/db";
import { ctxFor, makeOffering, makeProject, makeTemplate, makeUser, TEST_RESERVATION } from "@/test/factories";
import { createProvider } from "@/lib/providers/create-provider";
import { sampleMetrics } from "@/lib/monitoring/sample-metrics";
import { Ec2Driver } from "@/lib/drivers/ec2/ec2-driver";
import { DriverError } from "@/lib/drivers/types";
import { sampleFrom } from "@/lib/monitoring/delta";
import { freeLoopbackPort } from "./fake-servers";
import { waitFor } from "../wait";

const MOTO_DIR = process.env.ORQ_MOTO_DIR ?? "/opt/orquestra/moto";
const MOTO = path.join(MOTO_DIR, "root/usr/bin/moto_server");
const reason = existsSync(MOTO) ? undefined : `moto is not installed in ${MOTO_DIR} (scripts/backends/install.sh)`;
const REGION = "eu-west-1";
const credentials = { accessKeyId: "AKIAORQMETRICSTEST01", secretAccessKey: "metrics-test-secret" };
const INSTALLATION = "00000000-0000-4000-8000-00000000ec03";

let moto: ChildProcess | undefined;
let endpoint = "";
let ami = "";

beforeAll(async () => {
  if (reason) return;
  const port = await freeLoopbackPort();
  endpoint = `http://127.0.0.1:${port}`;
  moto = spawn("/usr/bin/python3", [MOTO, "-H", "127.0.0.1", "-p", String(port)], {
    env: { ...process.env, PYTHONPATH: path.join(MOTO_DIR, "root/usr/lib/python3/dist-packages") },
    stdio: "ignore",
  });
  await waitFor("the private moto to answer", async () => {
    try {
      await fetch(`${endpoint}/moto-api/data.json`, { signal: AbortSignal.timeout(2_000) });
      return true;
    } catch {
      return false;
    }
  }, { timeoutMs: 60_000, everyMs: 300 });
  const ec2 = new EC2Client({ region: REGION, endpoint, credentials });
  try {
    const images = (await ec2.send(new DescribeImagesCommand({ Owners: ["amazon"] }))).Images ?? [];
    ami = images.filter((i) => i.RootDeviceType === "ebs").sort((a, b) => (a.ImageId! < b.ImageId! ? -1 : 1))[0]?.ImageId ?? "";
  } finally {
    ec2.destroy();
  }
  if (!ami) throw new Error("moto has no stock EBS image");
}, 120_000);

afterAll(async () => {
  if (moto && moto.exitCode === null) {
    const exited = new Promise((r) => moto!.once("exit", r));
    moto.kill("SIGTERM");
    await exited;
  }
});

const live = (name: string, fn: () => Promise<void>) =>
  it(name, async (ctx) => {
    if (reason) {
      if (process.env.CI) throw new Error(`CI requires moto: ${reason}`);
      return ctx.skip(reason);
    }
    await fn();
  }, 120_000);

const driver = () => new Ec2Driver({ providerId: "conformance-ec2-metrics", endpoint, credentials, config: { region: REGION, vcpuQuota: 16 } });

/** What an agent (or AWS itself) publishes for the instance. */
async function put(instanceId: string, data: { namespace?: string; name: string; value: number; unit: MetricDatum["Unit"]; at: Date }[]) {
  const cw = new CloudWatchClient({ region: REGION, endpoint, credentials, protocol: AwsQueryProtocol });
  try {
    for (const ns of new Set(data.map((d) => d.namespace ?? "AWS/EC2"))) {
      await cw.send(
        new PutMetricDataCommand({
          Namespace: ns,
          MetricData: data
            .filter((d) => (d.namespace ?? "AWS/EC2") === ns)
            .map((d) => ({ MetricName: d.name, Dimensions: [{ Name: "InstanceId", Value: instanceId }], Timestamp: d.at, Value: d.value, Unit: d.unit })),
        }),
      );
    }
  } finally {
    cw.destroy();
  }
}

describe("ec2 metrics through CloudWatch (moto)", () => {
  live("no datapoints: no sample; put datapoints: read back as CPU %, memory and rates; stopped: no sample", async () => {
    const d = driver();
    const machineId = randomUUID();
    let ref: string | undefined;
    try {
      const m = await d.provision({ machineId, installationId: INSTALLATION, name: "metrics ec2", vcpu: 2, memoryMb: 1024, diskGb: 8, diskTier: "SSD", templateRef: ami, sizeRef: "t3.micro" }, `k-${machineId}`);
      ref = m.ref;
      expect(m.state).toBe("RUNNING");
      // A fresh instance: CloudWatch has nothing for it. Not zeros: no sample.
      expect(await d.metrics(ref)).toBeNull();

      // An older period and the latest one: the latest is the reading.
      const now = Date.now();
      await put(ref, [
        { name: "CPUUtilization", value: 12, unit: "Percent", at: new Date(now - 11 * 60_000) },
        { name: "CPUUtilization", value: 64, unit: "Percent", at: new Date(now - 30_000) },
        { name: "CPUUtilization", value: 70, unit: "Percent", at: new Date(now - 20_000) },
        { name: "NetworkIn", value: 3_000_000, unit: "Bytes", at: new Date(now - 30_000) },
        { name: "NetworkOut", value: 600_000, unit: "Bytes", at: new Date(now - 30_000) },
        { name: "EBSReadBytes", value: 1_200_000, unit: "Bytes", at: new Date(now - 30_000) },
        { name: "EBSWriteBytes", value: 300_000, unit: "Bytes", at: new Date(now - 30_000) },
        { namespace: "CWAgent", name: "mem_used_percent", value: 40, unit: "Percent", at: new Date(now - 30_000) },
      ]);
      const r = await d.metrics(ref);
      expect(r).not.toBeNull();
      // Average of the period's two CPU datapoints.
      expect(r!.cpuPercent).toBeCloseTo(67, 5);
      // moto's instances run without detailed monitoring: 5-minute periods.
      const p = r!.rates!.seconds;
      expect(p).toBe(300);
      expect(r!.rates).toEqual({ seconds: p, netInBps: 3_000_000 / p, netOutBps: 600_000 / p, diskReadBps: 1_200_000 / p, diskWriteBps: 300_000 / p });
      // t3.micro has 1 GiB: 40 % of it.
      expect(r!.memoryTotalBytes).toBe(1024 * 1024 * 1024);
      expect(r!.memoryUsedBytes).toBeCloseTo(0.4 * 1024 * 1024 * 1024, 0);
      // The sampler spreads the rates over the time since its previous sample.
      const s = sampleFrom({ at: new Date(r!.at.getTime() - 60_000).toISOString(), diskReadBytes: 0, diskWriteBytes: 0, netInBytes: 0, netOutBytes: 0 }, r!, 2);
      expect(s.netInBytes).toBeCloseTo(600_000, 3);

      // Stopped: no sample, whatever CloudWatch holds.
      await d.stop(ref);
      await waitFor("the instance to stop", async () => (await d.getMachine(ref!)).state === "STOPPED", { timeoutMs: 30_000, everyMs: 300 });
      expect(await d.metrics(ref)).toBeNull();
    } finally {
      if (ref) await d.destroy(ref).catch(() => {});
      await d.close();
    }
  });

  live("an instance that does not exist is NOT_FOUND; a dead endpoint is UNAVAILABLE, not a sample", async () => {
    const d = driver();
    try {
      const gone = await d.metrics("i-0000000000000dead").catch((e: unknown) => e);
      expect(gone).toBeInstanceOf(DriverError);
      expect((gone as DriverError).code).toBe("NOT_FOUND");
      const notAnId = await d.metrics("vm-42").catch((e: unknown) => e);
      expect((notAnId as DriverError).code).toBe("NOT_FOUND");
    } finally {
      await d.close();
    }
    const dead = new Ec2Driver({ providerId: "conformance-ec2-metrics", endpoint: `http://127.0.0.1:${await freeLoopbackPort()}`, credentials, config: { region: REGION, vcpuQuota: 16 } });
    try {
      const err = await dead.metrics("i-0123456789abcdef0", { signal: AbortSignal.timeout(5_000) }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(DriverError);
      expect((err as DriverError).code).toBe("UNAVAILABLE");
    } finally {
      await dead.close();
    }
  });

  live("the sampler stores nothing for an instance without datapoints, and a sample once there are some", async () => {
    const t = await createTestDatabase();
    const d = driver();
    const machineId = randomUUID();
    let ref: string | undefined;
    try {
      const db = t.db;
      const admin = await makeUser(db, { role: "ADMIN" });
      const { id: providerId } = await createProvider(await ctxFor(db, admin.id), {
        name: `moto-metrics-${randomBytes(3).toString("hex")}`,
        kind: "EC2",
        endpoint,
        // A fresh object: the AWS SDK marks the credentials objects it is given.
        credentials: { accessKeyId: credentials.accessKeyId, secretAccessKey: credentials.secretAccessKey },
        config: { region: REGION, vcpuQuota: 16 },
        cpuOvercommit: 1,
        memoryOvercommit: 1,
        diskOvercommit: 1,
        placementPolicy: "SPREAD",
      });
      await db.provider.update({ where: { id: providerId }, data: { status: "ACTIVE" } });
      const m = await d.provision({ machineId, installationId: INSTALLATION, name: "metrics sampler", vcpu: 2, memoryMb: 1024, diskGb: 8, diskTier: "SSD", templateRef: ami, sizeRef: "t3.micro" }, `k-${machineId}`);
      ref = m.ref;
      const owner = await makeUser(db);
      const project = await makeProject(db);
      const [offering, template] = await Promise.all([makeOffering(db), makeTemplate(db)]);
      await db.machine.create({
        data: { id: machineId, projectId: project.id, ownerId: owner.id, offeringId: offering.id, templateId: template.id, name: "metrics-sampler", ...TEST_RESERVATION, state: "RUNNING", providerId, externalRef: ref },
      });
      const T = Date.now();
      // No datapoints: "no sample", nothing stored (a gap, not a zero).
      expect(await sampleMetrics(db, { now: new Date(T), providerId })).toMatchObject({ providers: 1, sampled: 0, failed: 0, noSample: 1 });
      expect(await db.metricSample.count({ where: { machineId } })).toBe(0);
      await put(ref, [
        { name: "CPUUtilization", value: 88, unit: "Percent", at: new Date(Date.now() - 30_000) },
        { name: "NetworkIn", value: 900_000, unit: "Bytes", at: new Date(Date.now() - 30_000) },
      ]);
      expect(await sampleMetrics(db, { now: new Date(T + 60_000), providerId })).toMatchObject({ sampled: 1, failed: 0, noSample: 0 });
      const rows = await db.metricSample.findMany({ where: { machineId } });
      expect(rows).toHaveLength(1);
      // The first sample covers the provider's period (300 s): the period's whole sum.
      expect(rows[0]).toMatchObject({ resolution: "RAW", cpuPercent: 88, netInBytes: 900_000, netOutBytes: 0 });
    } finally {
      if (ref) await d.destroy(ref).catch(() => {});
      await d.close();
      await t.drop();
    }
  });
});
