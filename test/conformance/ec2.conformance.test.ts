// EC2 against moto (a third-party implementation of the AWS APIs, Debian's python3-moto) with
// authentication on: the same conformance suite as every hypervisor, then what is EC2's own
// (the revert swaps the root volume, an AMI that does not exist, an unmapped offering).
import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { DescribeVolumesCommand, EC2Client } from "@aws-sdk/client-ec2";
import { Ec2Driver } from "@/lib/drivers/ec2/ec2-driver";
import { DriverError, type MachineSpec } from "@/lib/drivers/types";
import { describeConformance } from "./driver-conformance";
import { requireEndpoints } from "./endpoints";
import { freeLoopbackPort } from "./fake-servers";

const found = requireEndpoints("EC2 (moto)", [
  "ORQ_EC2_URL",
  "ORQ_EC2_REGION",
  "ORQ_EC2_ACCESS_KEY_ID",
  "ORQ_EC2_SECRET_ACCESS_KEY",
  "ORQ_EC2_AMI",
  "ORQ_EC2_SUBNET",
  "ORQ_EC2_SECURITY_GROUP",
  "ORQ_EC2_KEY_NAME",
]);
const env = "values" in found ? found.values : {};
const config = () => ({
  region: env.ORQ_EC2_REGION ?? "eu-west-1",
  subnetId: env.ORQ_EC2_SUBNET,
  securityGroupIds: env.ORQ_EC2_SECURITY_GROUP,
  keyName: env.ORQ_EC2_KEY_NAME,
  vcpuQuota: 64,
});
const make = (endpoint: string, secret = env.ORQ_EC2_SECRET_ACCESS_KEY ?? "unused") =>
  new Ec2Driver({
    providerId: "conformance-ec2",
    endpoint,
    credentials: { accessKeyId: env.ORQ_EC2_ACCESS_KEY_ID ?? "AKIAEXAMPLE", secretAccessKey: secret },
    config: config(),
  });

let checked: Promise<{ reason: string } | { ok: true }> | undefined;
function backend(): Promise<{ reason: string } | { ok: true }> {
  checked ??= (async () => {
    if ("reason" in found) return { reason: found.reason };
    try {
      await fetch(`${env.ORQ_EC2_URL}/moto-api/`, { signal: AbortSignal.timeout(3_000) });
    } catch {
      return { reason: `moto at ${env.ORQ_EC2_URL} is not answering; run npm run backends:up` };
    }
    return { ok: true as const };
  })();
  return checked;
}

const live = (name: string, fn: () => Promise<void>) =>
  it(name, async (ctx) => {
    const b = await backend();
    if ("reason" in b) {
      if (process.env.CI) throw new Error(`CI requires the ec2 backend: ${b.reason}`);
      return ctx.skip(b.reason);
    }
    await fn();
  }, 120_000);

const spec = (machineId: string, sizeRef = "t3.micro"): Omit<MachineSpec, "installationId"> => ({
  machineId,
  name: "conformance ec2",
  vcpu: 2,
  memoryMb: 1024,
  diskGb: 8,
  diskTier: "SSD",
  templateRef: env.ORQ_EC2_AMI,
  sizeRef,
});

describeConformance({
  name: "ec2",
  setup: backend,
  driver: () => make(env.ORQ_EC2_URL),
  spec: (machineId) => spec(machineId),
  // t3.micro (2 vCPU, 1 GiB) to t3.medium (2 vCPU, 4 GiB), as an offering mapped to it would.
  resizeTo: { vcpu: 2, memoryMb: 4096, diskGb: 10, sizeRef: "t3.medium" },
  wrongCredentials: () => make(env.ORQ_EC2_URL, "not-the-secret-access-key"),
  unreachable: async () => make(`http://127.0.0.1:${await freeLoopbackPort()}`),
  malformed: { kind: "http-tcp", driver: (address) => make(address) },
  hung: { kind: "tcp", driver: (address) => make(address) },
  metricsElsewhere: "moto's CloudWatch generates no EC2 figures (a fresh instance has no sample): ec2-metrics.conformance.test.ts puts datapoints and reads them back",
});

describe("ec2 driver specifics (moto)", () => {
  const INSTALLATION = "00000000-0000-4000-8000-00000000ec02";
  const full = (machineId: string, sizeRef?: string): MachineSpec => ({ ...spec(machineId, sizeRef), installationId: INSTALLATION });

  live("a revert replaces the root volume with one made from the snapshot, and the machine runs again", async () => {
    const d = make(env.ORQ_EC2_URL);
    const machineId = randomUUID();
    let ref: string | undefined;
    const sdk = new EC2Client({
      region: env.ORQ_EC2_REGION,
      endpoint: env.ORQ_EC2_URL,
      credentials: { accessKeyId: env.ORQ_EC2_ACCESS_KEY_ID, secretAccessKey: env.ORQ_EC2_SECRET_ACCESS_KEY },
    });
    const rootOf = async (instanceId: string) =>
      (await sdk.send(new DescribeVolumesCommand({ Filters: [{ Name: "attachment.instance-id", Values: [instanceId] }] }))).Volumes ?? [];
    try {
      ref = (await d.provision(full(machineId), machineId)).ref;
      const before = await rootOf(ref);
      expect(before).toHaveLength(1);
      expect(before[0].Tags).toEqual(expect.arrayContaining([{ Key: "orquestra:machine-id", Value: machineId }]));
      const snap = await d.snapshot(ref, "before-upgrade", { idempotencyKey: "op-snap" });
      await d.revertSnapshot(ref, snap.ref, { idempotencyKey: "op-revert" });
      const after = await rootOf(ref);
      expect(after).toHaveLength(1);
      expect(after[0].VolumeId).not.toBe(before[0].VolumeId);
      expect(after[0].SnapshotId).toBe(snap.ref);
      // The replaced volume is gone, not left behind.
      const old = await sdk.send(new DescribeVolumesCommand({ Filters: [{ Name: "volume-id", Values: [before[0].VolumeId!] }] }));
      expect(old.Volumes ?? []).toEqual([]);
      expect((await d.getMachine(ref)).state).toBe("RUNNING");
      // A re-run of the same revert operation does nothing more.
      await d.revertSnapshot(ref, snap.ref, { idempotencyKey: "op-revert" });
      expect((await rootOf(ref))[0].VolumeId).toBe(after[0].VolumeId);
      // Destroying the machine removes its snapshots too.
      await d.destroy(ref);
      ref = undefined;
      expect(await d.listSnapshots(snap.ref.replace("snap-", "i-"))).toEqual([]);
    } finally {
      if (ref) await d.destroy(ref).catch(() => {});
      sdk.destroy();
      await d.close();
    }
  });

  live("an AMI that does not exist is NOT_FOUND, an unmapped offering a plain PROVIDER error", async () => {
    const d = make(env.ORQ_EC2_URL);
    try {
      const noAmi = await d.provision({ ...full(randomUUID()), templateRef: "ami-00000000000000000" }, "k-1").catch((e: unknown) => e);
      expect(noAmi).toBeInstanceOf(DriverError);
      expect(noAmi).toMatchObject({ code: "NOT_FOUND", message: expect.stringContaining("ami-00000000000000000") });
      const unmapped = await d.provision(full(randomUUID(), ""), "k-2").catch((e: unknown) => e);
      expect(unmapped).toMatchObject({ code: "PROVIDER", message: expect.stringContaining("instance type") });
    } finally {
      await d.close();
    }
  });

  live("lists the region's instance types with their vCPU and memory, and reports the region as its host", async () => {
    const d = make(env.ORQ_EC2_URL);
    try {
      const sizes = await d.listSizes();
      expect(sizes.find((s) => s.ref === "t3.micro")).toEqual({ ref: "t3.micro", vcpu: 2, memoryMb: 1024 });
      expect(sizes.find((s) => s.ref === "m5.large")).toEqual({ ref: "m5.large", vcpu: 2, memoryMb: 8192 });
      const [host] = await d.getCapacity();
      expect(host).toMatchObject({ ref: env.ORQ_EC2_REGION, vcpu: 64, memoryMb: 64 * 8 * 1024 });
    } finally {
      await d.close();
    }
  });

  live("Test connection names a subnet that does not exist, in plain words", async () => {
    const d = new Ec2Driver({
      providerId: "conformance-ec2",
      endpoint: env.ORQ_EC2_URL,
      credentials: { accessKeyId: env.ORQ_EC2_ACCESS_KEY_ID, secretAccessKey: env.ORQ_EC2_SECRET_ACCESS_KEY },
      config: { ...config(), subnetId: "subnet-0123456789abcdef0" },
    });
    try {
      await expect(d.testConnection()).rejects.toMatchObject({ code: "PROVIDER", message: `Subnet subnet-0123456789abcdef0 does not exist in EC2 region ${env.ORQ_EC2_REGION}` });
    } finally {
      await d.close();
    }
  });
});
