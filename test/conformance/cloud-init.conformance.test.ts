// Cloud-init injection against the real local backends (issue 16): each driver with the
// "cloudInit" capability boots the machine with the merged #cloud-config, read back through the
// backend's own API; Docker, which runs no cloud-init, gets the SSH keys in its environment.
// A backend that is not running skips its test with the reason (fails under CI).
import { randomUUID } from "node:crypto";
import { existsSync } from "node:fs";
import { afterAll, describe, expect, it } from "vitest";
import { Agent, request } from "undici";
import Docker from "dockerode";
import { DescribeInstanceAttributeCommand, EC2Client } from "@aws-sdk/client-ec2";
import { parse } from "yaml";
import { mergeCloudConfig } from "@/lib/access/cloud-config";
import { LxdDriver } from "@/lib/drivers/lxd/lxd-driver";
import { Ec2Driver, ec2UserData } from "@/lib/drivers/ec2/ec2-driver";
import { VsphereDriver } from "@/lib/drivers/vsphere/vsphere-driver";
import { VimClient } from "@/lib/drivers/vsphere/client";
import { vimSessions } from "@/lib/drivers/vsphere/session-pool";
import { optionValues } from "@/lib/drivers/vsphere/soap";
import { DockerDriver, SSH_KEYS_ENV, SSH_KEYS_LABEL } from "@/lib/drivers/docker/docker-driver";
import type { Driver, MachineSpec } from "@/lib/drivers/types";
import { requireEndpoints } from "./endpoints";

const KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIPwRTcJQ3PM7srR3iaH6sgEqygr59vSTDSDO9VFXyCAZ alice@laptop";
const INSTALLATION = "00000000-0000-4000-8000-00000000c1c1";

function specFor(templateRef: string, extra: Partial<MachineSpec> = {}): MachineSpec {
  const machineId = randomUUID();
  const userData = mergeCloudConfig({ userData: "#cloud-config\npackages: [nginx]\nruncmd:\n  - echo orquestra > /etc/motd\n", hostname: "ci-web", sshKeys: [KEY] });
  return { machineId, installationId: INSTALLATION, name: "ci-web", vcpu: 1, memoryMb: 128, diskGb: 1, diskTier: "SSD", templateRef, userData, sshKeys: [KEY], ...extra };
}

/** A test that needs a backend: skipped with the reason without it, failed when CI is set. */
function live(name: string, need: () => Promise<string | null>, fn: () => Promise<void>) {
  it(name, async (ctx) => {
    const reason = await need();
    if (reason) {
      if (process.env.CI) throw new Error(`CI requires the backend: ${reason}`);
      return ctx.skip(reason);
    }
    await fn();
  });
}

async function withMachine(d: Driver, spec: MachineSpec, fn: (ref: string) => Promise<void>) {
  let ref: string | undefined;
  try {
    ref = (await d.provision(spec, `k-${spec.machineId}`)).ref;
    await fn(ref);
  } finally {
    if (ref) await d.destroy(ref).catch(() => {});
    await d.close();
  }
}

describe("cloud-init injection", () => {
  const lxd = requireEndpoints("LXD", ["ORQ_LXD_SOCKET", "ORQ_LXD_IMAGE"]);
  live(
    "LXD: the instance carries cloud-init.user-data, read back through the LXD API",
    async () => ("reason" in lxd ? lxd.reason : existsSync(lxd.values.ORQ_LXD_SOCKET) ? null : `LXD socket ${lxd.values.ORQ_LXD_SOCKET} is missing`),
    async () => {
      const env = "values" in lxd ? lxd.values : {};
      const d = new LxdDriver({ providerId: "ci-lxd", endpoint: `unix://${env.ORQ_LXD_SOCKET}`, credentials: {}, config: { stopTimeoutSeconds: 5 } });
      const spec = specFor(env.ORQ_LXD_IMAGE, { memoryMb: 64 });
      await withMachine(d, spec, async (ref) => {
        const agent = new Agent({ connect: { socketPath: env.ORQ_LXD_SOCKET } });
        try {
          const res = await request(`http://lxd/1.0/instances/${encodeURIComponent(ref)}`, { dispatcher: agent });
          const body = (await res.body.json()) as { metadata: { config: Record<string, string> } };
          const config = body.metadata.config;
          const value = config["cloud-init.user-data"] ?? config["user.user-data"];
          expect(value).toBe(spec.userData);
          expect(parse(value)).toMatchObject({ hostname: "ci-web", packages: ["nginx"], ssh_authorized_keys: [KEY] });
        } finally {
          await agent.close();
        }
      });
    },
  );

  live(
    "LXD: no user data, no cloud-init key",
    async () => ("reason" in lxd ? lxd.reason : existsSync(lxd.values.ORQ_LXD_SOCKET) ? null : "LXD socket missing"),
    async () => {
      const env = "values" in lxd ? lxd.values : {};
      const d = new LxdDriver({ providerId: "ci-lxd", endpoint: `unix://${env.ORQ_LXD_SOCKET}`, credentials: {}, config: { stopTimeoutSeconds: 5 } });
      await withMachine(d, specFor(env.ORQ_LXD_IMAGE, { memoryMb: 64, userData: null }), async (ref) => {
        const agent = new Agent({ connect: { socketPath: env.ORQ_LXD_SOCKET } });
        try {
          const res = await request(`http://lxd/1.0/instances/${encodeURIComponent(ref)}`, { dispatcher: agent });
          const config = ((await res.body.json()) as { metadata: { config: Record<string, string> } }).metadata.config;
          expect(Object.keys(config).filter((k) => k.endsWith("user-data"))).toEqual([]);
        } finally {
          await agent.close();
        }
      });
    },
  );

  const ec2 = requireEndpoints("EC2 (moto)", ["ORQ_EC2_URL", "ORQ_EC2_REGION", "ORQ_EC2_ACCESS_KEY_ID", "ORQ_EC2_SECRET_ACCESS_KEY", "ORQ_EC2_AMI", "ORQ_EC2_SUBNET"]);
  const ec2Up = async () => {
    if ("reason" in ec2) return ec2.reason;
    try {
      await fetch(ec2.values.ORQ_EC2_URL, { signal: AbortSignal.timeout(3_000) });
      return null;
    } catch {
      return `moto at ${ec2.values.ORQ_EC2_URL} is not answering`;
    }
  };
  live("EC2: DescribeInstanceAttribute userData decodes to the cloud-config", ec2Up, async () => {
    const env = "values" in ec2 ? ec2.values : {};
    const d = new Ec2Driver({
      providerId: "ci-ec2",
      endpoint: env.ORQ_EC2_URL,
      credentials: { accessKeyId: env.ORQ_EC2_ACCESS_KEY_ID, secretAccessKey: env.ORQ_EC2_SECRET_ACCESS_KEY },
      config: { region: env.ORQ_EC2_REGION, subnetId: env.ORQ_EC2_SUBNET },
    });
    const spec = specFor(env.ORQ_EC2_AMI, { sizeRef: "t3.micro", diskGb: 8 });
    await withMachine(d, spec, async (ref) => {
      const client = new EC2Client({
        region: env.ORQ_EC2_REGION,
        endpoint: env.ORQ_EC2_URL,
        credentials: { accessKeyId: env.ORQ_EC2_ACCESS_KEY_ID, secretAccessKey: env.ORQ_EC2_SECRET_ACCESS_KEY },
      });
      try {
        const out = await client.send(new DescribeInstanceAttributeCommand({ InstanceId: ref, Attribute: "userData" }));
        const decoded = Buffer.from(out.UserData?.Value ?? "", "base64").toString("utf8");
        expect(decoded).toBe(spec.userData);
        expect(parse(decoded)).toMatchObject({ hostname: "ci-web", ssh_authorized_keys: [KEY] });
      } finally {
        client.destroy();
      }
    });
  });

  it("EC2: user data over 16 KB is gzipped, and refused when even that is too big", () => {
    expect(ec2UserData(null)).toBeUndefined();
    const big = `#cloud-config\nwrite_files:\n  - path: /x\n    content: ${"a".repeat(20_000)}\n`;
    const encoded = Buffer.from(ec2UserData(big)!, "base64");
    expect(encoded.subarray(0, 2)).toEqual(Buffer.from([0x1f, 0x8b]));
    const random = `#cloud-config\nwrite_files:\n  - content: ${randomUUID().repeat(1200)}${Array.from({ length: 2000 }, () => Math.random().toString(36)).join("")}\n`;
    expect(() => ec2UserData(random)).toThrow(/16 KB/);
  });

  const vs = requireEndpoints("vSphere (vcsim)", ["ORQ_VSPHERE_URL", "ORQ_VSPHERE_USERNAME", "ORQ_VSPHERE_PASSWORD", "ORQ_VSPHERE_TEMPLATE"]);
  afterAll(() => vimSessions.closeAll());
  const vsUp = async () => {
    if ("reason" in vs) return vs.reason;
    try {
      await fetch(vs.values.ORQ_VSPHERE_URL, { signal: AbortSignal.timeout(3_000) });
      return null;
    } catch {
      return `vcsim at ${vs.values.ORQ_VSPHERE_URL} is not answering`;
    }
  };
  live("vSphere: the clone's extraConfig has guestinfo.userdata (base64) and its metadata", vsUp, async () => {
    const env = "values" in vs ? vs.values : {};
    const d = new VsphereDriver({
      providerId: "ci-vsphere",
      endpoint: env.ORQ_VSPHERE_URL,
      credentials: { username: env.ORQ_VSPHERE_USERNAME, password: env.ORQ_VSPHERE_PASSWORD },
      config: { stopTimeoutSeconds: 10, keepAliveSeconds: 60, sessionIdleSeconds: 1 },
    });
    const spec = specFor(env.ORQ_VSPHERE_TEMPLATE, { diskGb: 1 });
    await withMachine(d, spec, async (ref) => {
      const observer = new VimClient({ url: env.ORQ_VSPHERE_URL, username: env.ORQ_VSPHERE_USERNAME, password: env.ORQ_VSPHERE_PASSWORD, insecure: false, apiVersion: "6.5", keepAliveMs: 0 });
      try {
        const signal = AbortSignal.timeout(20_000);
        const o = await observer.properties({ type: "VirtualMachine", value: ref }, ["config.extraConfig"], signal, "read extraConfig");
        const extra = optionValues(o.props["config.extraConfig"]);
        expect(extra["guestinfo.userdata.encoding"]).toBe("base64");
        expect(Buffer.from(extra["guestinfo.userdata"], "base64").toString("utf8")).toBe(spec.userData);
        expect(extra["guestinfo.metadata.encoding"]).toBe("base64");
        expect(Buffer.from(extra["guestinfo.metadata"], "base64").toString("utf8")).toBe(`instance-id: ${spec.machineId}\nlocal-hostname: ci-web\n`);
      } finally {
        await observer.close();
      }
    });
  });

  const dk = requireEndpoints("Docker (Podman)", ["ORQ_DOCKER_SOCKET", "ORQ_DOCKER_IMAGE"]);
  live(
    "Docker: no cloud-init; the keys are in ORQ_SSH_AUTHORIZED_KEYS and counted in a label",
    async () => ("reason" in dk ? dk.reason : existsSync(dk.values.ORQ_DOCKER_SOCKET) ? null : `socket ${dk.values.ORQ_DOCKER_SOCKET} is missing`),
    async () => {
      const env = "values" in dk ? dk.values : {};
      const d = new DockerDriver({ providerId: "ci-docker", endpoint: `unix://${env.ORQ_DOCKER_SOCKET}`, credentials: {}, config: { stopTimeoutSeconds: 2 } });
      expect(d.capabilities.has("cloudInit")).toBe(false);
      const second = "ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQCjeG3pHmLX bob";
      await withMachine(d, specFor(env.ORQ_DOCKER_IMAGE, { memoryMb: 64, sshKeys: [KEY, second] }), async (ref) => {
        const info = await new Docker({ socketPath: env.ORQ_DOCKER_SOCKET }).getContainer(ref).inspect();
        const value = (info.Config.Env ?? []).find((e) => e.startsWith(`${SSH_KEYS_ENV}=`));
        expect(value).toBe(`${SSH_KEYS_ENV}=${KEY}\n${second}`);
        expect(info.Config.Labels[SSH_KEYS_LABEL]).toBe("2");
        // The user data itself goes nowhere on Docker.
        expect(JSON.stringify(info.Config)).not.toContain("#cloud-config");
      });
    },
  );
});
