// Amazon EC2 driver (@aws-sdk/client-ec2): one provider = one region of one account. A template
// is an AMI, an offering is an instance type (OfferingProviderRef, mapped by the administrator),
// the machine's disk is the root EBS volume (sized to the offering, gp3 or the configured SSD
// type; "standard" magnetic for HDD, the one HDD type that boots). Every instance, its root
// volume and its snapshots carry the ownership tags orquestra:machine-id and
// orquestra:installation-id. Provisioning is idempotent twice over: RunInstances gets the
// operation's idempotency key as ClientToken (AWS returns the first instance for a repeated
// token), and before it the driver looks the machine up by its tag (what survives a token that
// AWS forgot, or an endpoint that ignores ClientToken, as moto does).
// Clouds have no hosts: the provider's one "host" is the region, whose capacity is what the
// administrator lets the portal use there (settings vcpuQuota, memoryQuotaGb, ...).
import { createHash, randomUUID } from "node:crypto";
import https from "node:https";
import http from "node:http";
import { gzipSync } from "node:zlib";
import {
  EC2Client,
  EC2ServiceException,
  AttachVolumeCommand,
  CreateSnapshotCommand,
  CreateVolumeCommand,
  DeleteSnapshotCommand,
  DeleteVolumeCommand,
  DescribeAvailabilityZonesCommand,
  DescribeImagesCommand,
  DescribeInstanceTypeOfferingsCommand,
  DescribeInstanceTypesCommand,
  DescribeInstancesCommand,
  DescribeKeyPairsCommand,
  DescribeSecurityGroupsCommand,
  DescribeSnapshotsCommand,
  DescribeSubnetsCommand,
  DescribeVolumesCommand,
  DetachVolumeCommand,
  ModifyInstanceAttributeCommand,
  ModifyVolumeCommand,
  RebootInstancesCommand,
  RunInstancesCommand,
  StartInstancesCommand,
  StopInstancesCommand,
  TerminateInstancesCommand,
  type Filter,
  type Instance,
  type Snapshot,
  type Tag,
  type Volume,
} from "@aws-sdk/client-ec2";
import { CloudWatchClient, GetMetricDataCommand, type MetricDataResult } from "@aws-sdk/client-cloudwatch";
import { AwsQueryProtocol } from "@aws-sdk/core/protocols";
import { deadline, toDriverError, transportError } from "../call";
import {
  DriverError,
  type CallOptions,
  type Capability,
  type Driver,
  type DriverConfig,
  type DriverHostCapacity,
  type DriverMachine,
  type DriverMachineState,
  type DriverSize,
  type DriverSnapshot,
  type MachineMetricsReading,
  type MachineSpec,
  type ResizeTarget,
} from "../types";
import { metricDataInput, readingFromMetricData } from "./cloudwatch";
import { ec2Profile } from "./profile";

export const MACHINE_ID_TAG = "orquestra:machine-id";
export const INSTALLATION_ID_TAG = "orquestra:installation-id";
/** On snapshots and restored volumes: the instance they belong to. */
export const INSTANCE_ID_TAG = "orquestra:instance-id";
export const SNAPSHOT_NAME_TAG = "orquestra:snapshot-name";
/** On a volume restored from a snapshot: the revert operation that made it (its retry finds it). */
export const RESTORE_KEY_TAG = "orquestra:restore-key";

/** Instances that exist for Orquestra's purposes (terminated ones are gone, shutting-down ones going). */
const LIVE_STATES = ["pending", "running", "stopping", "stopped"];

/** EC2 error codes, by what they mean for the engine. */
const AUTH_CODES = new Set([
  "AuthFailure",
  "UnauthorizedOperation",
  "InvalidClientTokenId",
  "SignatureDoesNotMatch",
  "IncompleteSignature",
  "MissingAuthenticationToken",
  "OptInRequired",
  "Blocked",
  "AccessDenied",
  "AccessDeniedException",
  "ExpiredToken",
  "RequestExpired",
]);
const CAPACITY_CODES = new Set(["InsufficientInstanceCapacity", "InstanceLimitExceeded", "VcpuLimitExceeded", "InsufficientCapacity", "VolumeLimitExceeded", "MaxSpotInstanceCountExceeded"]);
const RETRY_CODES = new Set(["RequestLimitExceeded", "Throttling", "ThrottlingException", "ServiceUnavailable", "Unavailable", "InternalError", "InternalFailure"]);

export interface Ec2Options {
  region: string | null;
  subnetId?: string;
  securityGroupIds: string[];
  keyName?: string;
  ssdVolumeType: "gp3" | "gp2" | "io1" | "io2";
  /** The processor architecture of the AMIs used here: the instance types offered are those that run it. */
  architecture: "x86_64" | "arm64";
  vcpuQuota: number;
  memoryQuotaGb?: number;
  ssdQuotaGb: number;
  hddQuotaGb: number;
  callTimeoutMs: number;
}

const num = (v: unknown, fallback: number) => (typeof v === "number" && Number.isFinite(v) ? v : fallback);
const str = (v: unknown) => (typeof v === "string" && v.trim() ? v.trim() : undefined);

export function ec2Options(c: Record<string, unknown>): Ec2Options {
  return {
    region: str(c.region) ?? null,
    subnetId: str(c.subnetId),
    securityGroupIds: (str(c.securityGroupIds) ?? "")
      .split(",")
      .map((s) => s.trim())
      .filter(Boolean),
    keyName: str(c.keyName),
    ssdVolumeType: c.ssdVolumeType === "gp2" || c.ssdVolumeType === "io1" || c.ssdVolumeType === "io2" ? c.ssdVolumeType : "gp3",
    architecture: c.architecture === "arm64" ? "arm64" : "x86_64",
    vcpuQuota: num(c.vcpuQuota, 0),
    memoryQuotaGb: typeof c.memoryQuotaGb === "number" ? c.memoryQuotaGb : undefined,
    // AWS's default regional quota of gp3 storage is 50 TiB; magnetic volumes are opt-in.
    ssdQuotaGb: num(c.ssdQuotaGb, 51_200),
    hddQuotaGb: num(c.hddQuotaGb, 0),
    callTimeoutMs: num(c.callTimeoutMs, 30_000),
  };
}

/** EC2 states into Orquestra's. */
export function mapEc2State(name: string | undefined): DriverMachineState {
  switch (name) {
    case "running":
      return "RUNNING";
    case "stopped":
      return "STOPPED";
    case "pending":
    case "stopping":
      return "PENDING";
    default:
      return "UNKNOWN";
  }
}

/**
 * RunInstances' ClientToken: at most 64 ASCII characters. The key itself when it fits (the
 * machine id does), else a digest of it, so one key is always one token.
 */
export function clientToken(idempotencyKey: string): string {
  return /^[\x21-\x7e]{1,64}$/.test(idempotencyKey) ? idempotencyKey : `orq-${createHash("sha256").update(idempotencyKey).digest("hex").slice(0, 56)}`;
}

export const ownershipTags = (spec: Pick<MachineSpec, "machineId" | "installationId" | "name">): Tag[] => [
  { Key: "Name", Value: spec.name },
  { Key: MACHINE_ID_TAG, Value: spec.machineId },
  { Key: INSTALLATION_ID_TAG, Value: spec.installationId },
];

const tagOf = (tags: Tag[] | undefined, key: string): string | null => tags?.find((t) => t.Key === key)?.Value || null;

/** A ref that can be an instance id (anything else is NOT_FOUND without asking AWS). */
const INSTANCE_ID = /^i-[0-9a-f]{8,17}$/;
const SNAPSHOT_ID = /^snap-[0-9a-f]{8,17}$/;

type Ec2Error = Error & { $metadata?: { httpStatusCode?: number; requestId?: string }; Code?: string; $fault?: string };

/** The error code of an EC2 answer (the exception's name), or undefined for transport failures. */
function awsCode(err: unknown): string | undefined {
  if (!(err instanceof Error)) return undefined;
  const e = err as Ec2Error;
  if (err instanceof EC2ServiceException || e.$metadata?.httpStatusCode) return e.Code ?? err.name;
  return undefined;
}

/** EC2's UserData: base64 of the document, gzipped when over the 16 KB AWS accepts (cloud-init reads both). */
export function ec2UserData(userData: string | null | undefined): string | undefined {
  if (!userData) return undefined;
  const raw = Buffer.from(userData, "utf8");
  const body = raw.length <= EC2_USER_DATA_MAX ? raw : gzipSync(raw, { level: 9 });
  if (body.length > EC2_USER_DATA_MAX) throw new DriverError("PROVIDER", `the cloud-init user data is ${body.length} bytes gzipped: EC2 accepts at most 16 KB`, false);
  return body.toString("base64");
}
const EC2_USER_DATA_MAX = 16_384;

export class Ec2Driver implements Driver {
  readonly kind = "EC2" as const;
  readonly capabilities: ReadonlySet<Capability> = new Set<Capability>(ec2Profile.capabilities);
  private readonly options: Ec2Options;
  private readonly endpoint: string | undefined;
  private readonly credentials: { accessKeyId: string; secretAccessKey: string };
  private client: EC2Client | undefined;
  private cloudwatch: CloudWatchClient | undefined;
  private agent: http.Agent | undefined;
  /** vCPU and memory of the instance types seen, so a listing asks for each type once. */
  private readonly types = new Map<string, DriverSize & { architectures: string[] }>();

  constructor(config: DriverConfig) {
    this.options = ec2Options(config.config);
    this.endpoint = config.endpoint.trim() || undefined;
    this.credentials = { accessKeyId: config.credentials.accessKeyId ?? "", secretAccessKey: config.credentials.secretAccessKey ?? "" };
  }

  /** The region of this provider ("region eu-west-1"), for messages. */
  private get where(): string {
    return `EC2 region ${this.options.region ?? "(none)"}`;
  }

  private ec2(): EC2Client {
    if (this.client) return this.client;
    const region = this.options.region;
    if (!region) throw new DriverError("PROVIDER", "The provider has no AWS region set (edit the provider: Region)", false);
    if (!this.credentials.accessKeyId || !this.credentials.secretAccessKey) throw new DriverError("AUTH", "The provider has no AWS access key set", false);
    // Our own keep-alive agent: its sockets are ours to close (close()).
    const plain = this.endpoint?.startsWith("http://");
    this.agent = plain ? new http.Agent({ keepAlive: true, maxSockets: 16 }) : new https.Agent({ keepAlive: true, maxSockets: 16 });
    this.client = new EC2Client({
      region,
      endpoint: this.endpoint,
      credentials: this.credentials,
      // The engine retries with its own backoff; the SDK retries throttling and dropped
      // connections once more within one call.
      maxAttempts: 2,
      requestHandler: plain ? { httpAgent: this.agent, connectionTimeout: 5_000 } : { httpsAgent: this.agent as https.Agent, connectionTimeout: 5_000 },
    });
    return this.client;
  }

  /**
   * CloudWatch of the same region and account, over the same sockets. A custom endpoint is used
   * for CloudWatch too only when it is a local AWS-compatible API (plain http on loopback, which
   * serves every service); an https endpoint is EC2's own (a VPC endpoint), so CloudWatch is
   * reached at the region's public endpoint.
   */
  private cw(): CloudWatchClient {
    if (this.cloudwatch) return this.cloudwatch;
    this.ec2();
    const plain = this.endpoint?.startsWith("http://");
    this.cloudwatch = new CloudWatchClient({
      region: this.options.region!,
      endpoint: plain ? this.endpoint : undefined,
      credentials: this.credentials,
      maxAttempts: 2,
      // CloudWatch's query protocol (XML answers), which it has always spoken and still does
      // beside the JSON one this SDK defaults to: the one AWS-compatible APIs such as moto answer.
      protocol: AwsQueryProtocol,
      requestHandler: plain ? { httpAgent: this.agent, connectionTimeout: 5_000 } : { httpsAgent: this.agent as https.Agent, connectionTimeout: 5_000 },
    });
    return this.cloudwatch;
  }

  async close(): Promise<void> {
    this.cloudwatch?.destroy();
    this.cloudwatch = undefined;
    this.client?.destroy();
    this.agent?.destroy();
    this.client = undefined;
    this.agent = undefined;
  }

  /** One EC2 call under a deadline, its failure mapped into a DriverError. */
  private async send<T>(what: string, opts: CallOptions | undefined, command: object): Promise<T> {
    const client = this.ec2();
    const signal = deadline(opts, this.options.callTimeoutMs);
    try {
      // Commands of every type go through here; the SDK's overloads cannot express that.
      const out = (await client.send(command as never, { abortSignal: signal })) as T & { $metadata?: { requestId?: string } };
      // Every EC2 answer names its request; a body without one is not an EC2 answer (a proxy's
      // page, a wrong endpoint) even when the XML parser made something of it.
      if (!out?.$metadata?.requestId) throw new DriverError("PROVIDER", `${this.where} answered ${what} with something that is not an EC2 response`, false);
      return out;
    } catch (err) {
      throw this.mapError(err, what, signal);
    }
  }

  private mapError(err: unknown, what: string, signal: AbortSignal): DriverError {
    if (err instanceof DriverError) return err;
    const code = awsCode(err);
    const message = err instanceof Error ? err.message : String(err);
    // The SDK's deserialisers throw (with the HTTP metadata attached) on bodies that are not EC2 XML.
    if (/Deserialization error|XML parse error/i.test(message)) {
      return new DriverError("PROVIDER", `${this.where} answered ${what} with something that is not an EC2 response`, false);
    }
    if (code) {
      if (AUTH_CODES.has(code)) return new DriverError("AUTH", `${this.where} refused the credentials for ${what} (${code}): ${message}`, false);
      if (code.endsWith(".NotFound") || code.endsWith(".Malformed")) return new DriverError("NOT_FOUND", `${what}: ${message}`, false);
      if (CAPACITY_CODES.has(code)) return new DriverError("CAPACITY", `${this.where} has no capacity for ${what} (${code}): ${message}`, false);
      if (RETRY_CODES.has(code)) return new DriverError("UNAVAILABLE", `${this.where} is busy or unavailable (${code}); ${what} will be retried`);
      const status = (err as Ec2Error).$metadata?.httpStatusCode ?? 0;
      // A proper EC2 error has a code; a 5xx without a known one is the service failing.
      if (status >= 500 && code !== "Unknown" && code !== "UnknownError") return new DriverError("UNAVAILABLE", `${this.where} failed ${what} (${code})`);
      return new DriverError("PROVIDER", `${what} (${code}): ${message.slice(0, 400)}`, false);
    }
    const transport = transportError(err, this.where, signal);
    if (transport) return transport;
    // The SDK's deserialisers throw plain errors for bodies that are not EC2 XML.
    return toDriverError(err, `${this.where} answered ${what} with something that is not an EC2 response`, signal);
  }

  // ----------------------------------------------------------------------------- reading

  private async instances(what: string, input: { InstanceIds?: string[]; Filters?: Filter[] }, opts?: CallOptions): Promise<Instance[]> {
    const out: Instance[] = [];
    let NextToken: string | undefined;
    do {
      const page = await this.send<{ Reservations?: { Instances?: Instance[] }[]; NextToken?: string }>(
        what,
        opts,
        new DescribeInstancesCommand({ ...input, NextToken, ...(input.InstanceIds ? {} : { MaxResults: 500 }) }),
      );
      for (const r of page.Reservations ?? []) out.push(...(r.Instances ?? []));
      NextToken = page.NextToken;
    } while (NextToken);
    return out;
  }

  /** The instance, or NOT_FOUND when it does not exist or is terminated / being terminated. */
  private async instance(ref: string, opts?: CallOptions): Promise<Instance> {
    if (!INSTANCE_ID.test(ref)) throw new DriverError("NOT_FOUND", `no EC2 instance ${ref} (not an instance id)`, false);
    const found = (await this.instances(`describe instance ${ref}`, { InstanceIds: [ref] }, opts))[0];
    if (!found || !LIVE_STATES.includes(found.State?.Name ?? "")) throw new DriverError("NOT_FOUND", `no EC2 instance ${ref} in ${this.where}`, false);
    return found;
  }

  /** vCPU and memory of instance types (DescribeInstanceTypes, cached). */
  private async typeSizes(names: string[], opts?: CallOptions): Promise<Map<string, DriverSize & { architectures: string[] }>> {
    const missing = [...new Set(names)].filter((n) => n && !this.types.has(n));
    for (let i = 0; i < missing.length; i += 100) {
      const page = await this.send<{
        InstanceTypes?: { InstanceType?: string; VCpuInfo?: { DefaultVCpus?: number }; MemoryInfo?: { SizeInMiB?: number }; ProcessorInfo?: { SupportedArchitectures?: string[] } }[];
      }>(
        "describe instance types",
        opts,
        new DescribeInstanceTypesCommand({ InstanceTypes: missing.slice(i, i + 100) as never }),
      );
      for (const t of page.InstanceTypes ?? []) {
        if (t.InstanceType) {
          this.types.set(t.InstanceType, {
            ref: t.InstanceType,
            vcpu: t.VCpuInfo?.DefaultVCpus ?? 0,
            memoryMb: t.MemoryInfo?.SizeInMiB ?? 0,
            architectures: t.ProcessorInfo?.SupportedArchitectures ?? [],
          });
        }
      }
    }
    return this.types;
  }

  private rootVolumeId(i: Instance): string | undefined {
    const root = i.RootDeviceName;
    return i.BlockDeviceMappings?.find((b) => b.DeviceName === root)?.Ebs?.VolumeId;
  }

  private async volumes(ids: string[], opts?: CallOptions): Promise<Map<string, Volume>> {
    const out = new Map<string, Volume>();
    for (let i = 0; i < ids.length; i += 200) {
      const chunk = ids.slice(i, i + 200);
      if (!chunk.length) continue;
      const page = await this.send<{ Volumes?: Volume[] }>("describe volumes", opts, new DescribeVolumesCommand({ Filters: [{ Name: "volume-id", Values: chunk }] }));
      for (const v of page.Volumes ?? []) if (v.VolumeId) out.set(v.VolumeId, v);
    }
    return out;
  }

  /** Instances as DriverMachines, with vCPU/memory from their type and disk from their root volume. */
  private async toMachines(list: Instance[], opts?: CallOptions): Promise<DriverMachine[]> {
    if (!list.length) return [];
    const sizes = await this.typeSizes(list.map((i) => i.InstanceType ?? ""), opts);
    const roots = await this.volumes(list.map((i) => this.rootVolumeId(i)).filter((v): v is string => Boolean(v)), opts);
    return list.map((i) => {
      const size = sizes.get(i.InstanceType ?? "");
      const root = roots.get(this.rootVolumeId(i) ?? "");
      return {
        ref: i.InstanceId!,
        machineId: tagOf(i.Tags, MACHINE_ID_TAG),
        installationId: tagOf(i.Tags, INSTALLATION_ID_TAG),
        name: tagOf(i.Tags, "Name") ?? i.InstanceId!,
        state: mapEc2State(i.State?.Name),
        vcpu: size?.vcpu || undefined,
        memoryMb: size?.memoryMb || undefined,
        diskGb: root?.Size,
        hostRef: this.options.region,
        ipAddress: i.PrivateIpAddress ?? null,
      };
    });
  }

  async getMachine(ref: string, opts?: CallOptions): Promise<DriverMachine> {
    return (await this.toMachines([await this.instance(ref, opts)], opts))[0];
  }

  async listMachines(opts?: CallOptions): Promise<DriverMachine[]> {
    const list = await this.instances("list instances", { Filters: [{ Name: "instance-state-name", Values: LIVE_STATES }] }, opts);
    return this.toMachines(list, opts);
  }

  async findByMachineId(machineId: string, opts?: CallOptions): Promise<DriverMachine | null> {
    const list = await this.instances(
      "find instance by machine id",
      {
        Filters: [
          { Name: `tag:${MACHINE_ID_TAG}`, Values: [machineId] },
          { Name: "instance-state-name", Values: LIVE_STATES },
        ],
      },
      opts,
    );
    if (!list.length) return null;
    // Two live instances for one machine should never happen (ClientToken and the tag lookup
    // stand in the way); the oldest is the machine, reconcile removes the other.
    list.sort((a, b) => (a.LaunchTime?.getTime() ?? 0) - (b.LaunchTime?.getTime() ?? 0));
    return (await this.toMachines([list[0]], opts))[0];
  }

  /**
   * The instance's latest CloudWatch figures (cloudwatch.ts): NOT_FOUND for an instance that does
   * not exist; null (no sample) for one that is not running or has no datapoints yet. Needs
   * cloudwatch:GetMetricData besides ec2:*.
   */
  async metrics(ref: string, opts?: CallOptions): Promise<MachineMetricsReading | null> {
    const i = await this.instance(ref, opts);
    if (i.State?.Name !== "running") return null;
    const period = i.Monitoring?.State === "enabled" ? 60 : 300;
    const now = new Date();
    const what = `CloudWatch metrics of ${ref}`;
    const signal = deadline(opts, this.options.callTimeoutMs);
    const results: MetricDataResult[] = [];
    try {
      let NextToken: string | undefined;
      do {
        const page = await this.cw().send(new GetMetricDataCommand({ ...metricDataInput(ref, period, now), NextToken }), { abortSignal: signal });
        results.push(...(page.MetricDataResults ?? []));
        NextToken = page.NextToken;
      } while (NextToken);
    } catch (err) {
      const status = (err as Ec2Error).$metadata?.httpStatusCode;
      if (status === 401 || status === 403) {
        throw new DriverError("AUTH", `${this.where} refused ${what}: the access key needs cloudwatch:GetMetricData (HTTP ${status})`, false);
      }
      throw this.mapError(err, what, signal);
    }
    const type = i.InstanceType ? (await this.typeSizes([i.InstanceType], opts)).get(i.InstanceType) : undefined;
    return readingFromMetricData(results, period, type?.memoryMb || undefined, now);
  }

  async getCapacity(opts?: CallOptions): Promise<DriverHostCapacity[]> {
    // Asking for the zones checks the region and the credentials.
    await this.send("describe availability zones", opts, new DescribeAvailabilityZonesCommand({}));
    const o = this.options;
    if (o.vcpuQuota <= 0) throw new DriverError("PROVIDER", "Set the provider's vCPU quota (what the portal may use in this region) before discovering hosts", false);
    return [
      {
        ref: o.region!,
        name: `${o.region} (EC2)`,
        vcpu: o.vcpuQuota,
        // EC2 limits vCPUs, not memory: unless told otherwise, 8 GiB per vCPU of the quota
        // (what the memory-optimised r-families offer) bounds what placement counts.
        memoryMb: Math.round((o.memoryQuotaGb ?? o.vcpuQuota * 8) * 1024),
        diskGb: { SSD: o.ssdQuotaGb, HDD: o.hddQuotaGb },
      },
    ];
  }

  async testConnection(opts?: CallOptions): Promise<{ version?: string }> {
    const zones = await this.send<{ AvailabilityZones?: { ZoneName?: string }[] }>("describe availability zones", opts, new DescribeAvailabilityZonesCommand({}));
    const o = this.options;
    // The network settings are checked too: a typo there would fail every provision.
    if (o.subnetId) {
      const s = await this.send<{ Subnets?: unknown[] }>("check the subnet", opts, new DescribeSubnetsCommand({ Filters: [{ Name: "subnet-id", Values: [o.subnetId] }] }));
      if (!s.Subnets?.length) throw new DriverError("PROVIDER", `Subnet ${o.subnetId} does not exist in ${this.where}`, false);
    }
    if (o.securityGroupIds.length) {
      const g = await this.send<{ SecurityGroups?: { GroupId?: string }[] }>(
        "check the security groups",
        opts,
        new DescribeSecurityGroupsCommand({ Filters: [{ Name: "group-id", Values: o.securityGroupIds }] }),
      );
      const found = new Set((g.SecurityGroups ?? []).map((x) => x.GroupId));
      const missing = o.securityGroupIds.filter((id) => !found.has(id));
      if (missing.length) throw new DriverError("PROVIDER", `Security group ${missing.join(", ")} does not exist in ${this.where}`, false);
    }
    if (o.keyName) {
      const k = await this.send<{ KeyPairs?: unknown[] }>("check the key pair", opts, new DescribeKeyPairsCommand({ Filters: [{ Name: "key-name", Values: [o.keyName] }] }));
      if (!k.KeyPairs?.length) throw new DriverError("PROVIDER", `Key pair ${o.keyName} does not exist in ${this.where}`, false);
    }
    return { version: `EC2 ${o.region}, ${zones.AvailabilityZones?.length ?? 0} availability zones` };
  }

  async listSizes(opts?: CallOptions): Promise<DriverSize[]> {
    // The types offered in this region, with their vCPU and memory.
    const offered = new Set<string>();
    let NextToken: string | undefined;
    do {
      const page = await this.send<{ InstanceTypeOfferings?: { InstanceType?: string }[]; NextToken?: string }>(
        "list instance type offerings",
        opts,
        new DescribeInstanceTypeOfferingsCommand({ LocationType: "region", NextToken, MaxResults: 1000 }),
      );
      for (const o of page.InstanceTypeOfferings ?? []) if (o.InstanceType) offered.add(o.InstanceType);
      NextToken = page.NextToken;
    } while (NextToken);
    await this.typeSizes([...offered], opts);
    const arch = this.options.architecture;
    return [...offered]
      .map((t) => this.types.get(t))
      .filter((s) => s !== undefined && s.vcpu > 0 && s.memoryMb > 0 && s.architectures.includes(arch))
      .map((s) => ({ ref: s!.ref, vcpu: s!.vcpu, memoryMb: s!.memoryMb }))
      .sort((a, b) => a.vcpu - b.vcpu || a.memoryMb - b.memoryMb || a.ref.localeCompare(b.ref));
  }

  // ----------------------------------------------------------------------------- waiting

  /** Polls the instance until `done` says so, within the call's deadline. */
  private async waitFor(ref: string, what: string, done: (i: Instance) => boolean, opts?: CallOptions): Promise<Instance> {
    const signal = deadline(opts, Math.max(this.options.callTimeoutMs, 300_000));
    let delay = 250;
    for (;;) {
      const i = await this.instance(ref, { signal });
      if (done(i)) return i;
      if (signal.aborted) throw new DriverError("TIMEOUT", `EC2 instance ${ref} did not become ${what} in time (state ${i.State?.Name})`);
      await new Promise((r) => setTimeout(r, delay));
      delay = Math.min(delay * 2, 5_000);
    }
  }

  private async waitForVolume(volumeId: string, want: string, opts?: CallOptions): Promise<Volume> {
    const signal = deadline(opts, Math.max(this.options.callTimeoutMs, 300_000));
    let delay = 250;
    for (;;) {
      const v = (await this.volumes([volumeId], { signal })).get(volumeId);
      if (!v) throw new DriverError("NOT_FOUND", `EBS volume ${volumeId} disappeared`, false);
      if (v.State === want) return v;
      if (v.State === "error") throw new DriverError("PROVIDER", `EBS volume ${volumeId} is in error`, false);
      if (signal.aborted) throw new DriverError("TIMEOUT", `EBS volume ${volumeId} did not become ${want} in time`);
      await new Promise((r) => setTimeout(r, delay));
      delay = Math.min(delay * 2, 5_000);
    }
  }

  private async waitForSnapshot(snapshotId: string, opts?: CallOptions): Promise<Snapshot> {
    const signal = deadline(opts, Math.max(this.options.callTimeoutMs, 600_000));
    let delay = 500;
    for (;;) {
      const s = (await this.snapshots([{ Name: "snapshot-id", Values: [snapshotId] }], { signal }))[0];
      if (!s) throw new DriverError("NOT_FOUND", `EBS snapshot ${snapshotId} does not exist`, false);
      if (s.State === "completed") return s;
      if (s.State === "error") throw new DriverError("PROVIDER", `EBS snapshot ${snapshotId} failed: ${s.StateMessage ?? "error"}`, false);
      if (signal.aborted) throw new DriverError("TIMEOUT", `EBS snapshot ${snapshotId} is still ${s.Progress ?? "in progress"}`);
      await new Promise((r) => setTimeout(r, delay));
      delay = Math.min(delay * 2, 10_000);
    }
  }

  // ----------------------------------------------------------------------------- lifecycle

  async provision(spec: MachineSpec, idempotencyKey: string, opts?: CallOptions): Promise<DriverMachine> {
    const existing = await this.findByMachineId(spec.machineId, opts);
    if (existing) {
      if (existing.state === "RUNNING") return existing;
      return this.getMachineWhen(existing.ref, "running", opts);
    }
    if (!spec.sizeRef) {
      throw new DriverError("PROVIDER", "No EC2 instance type is mapped to this offering on the provider (set it under Offering sizes on the provider page)", false);
    }
    const image = await this.send<{ Images?: { RootDeviceName?: string; State?: string }[] }>(
      `look up AMI ${spec.templateRef}`,
      opts,
      new DescribeImagesCommand({ ImageIds: [spec.templateRef] }),
    ).catch((err: unknown) => {
      if (err instanceof DriverError && err.code === "NOT_FOUND") throw new DriverError("NOT_FOUND", `AMI ${spec.templateRef} does not exist in ${this.where}`, false);
      throw err;
    });
    const ami = image.Images?.[0];
    if (!ami) throw new DriverError("NOT_FOUND", `AMI ${spec.templateRef} does not exist in ${this.where}`, false);
    if (ami.State && ami.State !== "available") throw new DriverError("PROVIDER", `AMI ${spec.templateRef} is ${ami.State}, not available`, false);
    const tags = ownershipTags(spec);
    const o = this.options;
    const run = await this.send<{ Instances?: Instance[] }>(
      "run instance",
      opts,
      new RunInstancesCommand({
        ImageId: spec.templateRef,
        InstanceType: spec.sizeRef as never,
        MinCount: 1,
        MaxCount: 1,
        ClientToken: clientToken(idempotencyKey),
        SubnetId: o.subnetId,
        SecurityGroupIds: o.securityGroupIds.length ? o.securityGroupIds : undefined,
        KeyName: o.keyName,
        // Cloud-init user data, base64 (AWS limit: 16 KB before encoding; gzip beyond).
        UserData: ec2UserData(spec.userData),
        BlockDeviceMappings: [
          {
            DeviceName: ami.RootDeviceName ?? "/dev/xvda",
            Ebs: { VolumeSize: spec.diskGb, VolumeType: spec.diskTier === "HDD" ? "standard" : o.ssdVolumeType, DeleteOnTermination: true },
          },
        ],
        // IMDSv2 only: the instance metadata needs a session token (AWS's recommendation).
        MetadataOptions: { HttpTokens: "required", HttpEndpoint: "enabled" },
        TagSpecifications: [
          { ResourceType: "instance", Tags: tags },
          { ResourceType: "volume", Tags: tags },
        ],
      }),
    ).catch(async (err: unknown) => {
      // The same token with other parameters: the instance of the first call exists.
      if (err instanceof DriverError && /IdempotentParameterMismatch/.test(err.message)) {
        const found = await this.findByMachineId(spec.machineId, opts);
        if (found) return { Instances: [{ InstanceId: found.ref } as Instance] };
      }
      throw err;
    });
    const id = run.Instances?.[0]?.InstanceId;
    if (!id) throw new DriverError("PROVIDER", "RunInstances answered without an instance", false);
    return this.getMachineWhen(id, "running", opts);
  }

  private async getMachineWhen(ref: string, state: "running" | "stopped", opts?: CallOptions): Promise<DriverMachine> {
    const i = await this.waitFor(ref, state, (x) => x.State?.Name === state, opts);
    return (await this.toMachines([i], opts))[0];
  }

  async start(ref: string, opts?: CallOptions): Promise<void> {
    let i = await this.instance(ref, opts);
    if (i.State?.Name === "running") return;
    // An instance still stopping cannot be started yet.
    if (i.State?.Name === "stopping") i = await this.waitFor(ref, "stopped", (x) => x.State?.Name === "stopped", opts);
    if (i.State?.Name !== "pending") await this.send("start instance", opts, new StartInstancesCommand({ InstanceIds: [ref] }));
    await this.waitFor(ref, "running", (x) => x.State?.Name === "running", opts);
  }

  async stop(ref: string, opts?: CallOptions): Promise<void> {
    let i = await this.instance(ref, opts);
    if (i.State?.Name === "stopped") return;
    if (i.State?.Name === "pending") i = await this.waitFor(ref, "running", (x) => x.State?.Name === "running", opts);
    if (i.State?.Name !== "stopping") await this.send("stop instance", opts, new StopInstancesCommand({ InstanceIds: [ref] }));
    await this.waitFor(ref, "stopped", (x) => x.State?.Name === "stopped", opts);
  }

  async reboot(ref: string, opts?: CallOptions): Promise<void> {
    const i = await this.instance(ref, opts);
    if (i.State?.Name !== "running") throw new DriverError("PROVIDER", `EC2 instance ${ref} is ${i.State?.Name}; only a running instance can reboot`, false);
    // EC2 reboots in place: the instance stays "running" throughout.
    await this.send("reboot instance", opts, new RebootInstancesCommand({ InstanceIds: [ref] }));
  }

  async destroy(ref: string, opts?: CallOptions): Promise<void> {
    if (!INSTANCE_ID.test(ref)) return;
    const snapshots = await this.snapshots([{ Name: `tag:${INSTANCE_ID_TAG}`, Values: [ref] }], opts);
    try {
      await this.send("terminate instance", opts, new TerminateInstancesCommand({ InstanceIds: [ref] }));
    } catch (err) {
      if (!(err instanceof DriverError && err.code === "NOT_FOUND")) throw err;
    }
    // The root volume goes with the instance (DeleteOnTermination); its snapshots are the
    // machine's storage too.
    for (const s of snapshots) await this.deleteSnapshot(ref, s.SnapshotId!, opts);
  }

  async resize(ref: string, size: ResizeTarget, opts?: CallOptions): Promise<void> {
    if (!size.sizeRef) throw new DriverError("PROVIDER", "No EC2 instance type is mapped to the new offering on this provider", false);
    let i = await this.instance(ref, opts);
    const rootId = this.rootVolumeId(i);
    const root = rootId ? (await this.volumes([rootId], opts)).get(rootId) : undefined;
    const grow = size.diskGb !== undefined && root?.Size !== undefined && size.diskGb > root.Size;
    if (grow) {
      // EBS volumes grow online; the file system grows at the next boot (cloud-init growpart).
      await this.send("grow the root volume", opts, new ModifyVolumeCommand({ VolumeId: rootId, Size: size.diskGb }));
    }
    if (i.InstanceType === size.sizeRef) return;
    const wasRunning = i.State?.Name === "running" || i.State?.Name === "pending";
    if (i.State?.Name !== "stopped") {
      await this.stop(ref, opts);
      i = await this.instance(ref, opts);
    }
    await this.send("change the instance type", opts, new ModifyInstanceAttributeCommand({ InstanceId: ref, InstanceType: { Value: size.sizeRef } }));
    if (wasRunning) await this.start(ref, opts);
  }

  // ----------------------------------------------------------------------------- snapshots

  private async snapshots(filters: Filter[], opts?: CallOptions): Promise<Snapshot[]> {
    const out: Snapshot[] = [];
    let NextToken: string | undefined;
    do {
      const page = await this.send<{ Snapshots?: Snapshot[]; NextToken?: string }>(
        "describe snapshots",
        opts,
        new DescribeSnapshotsCommand({ OwnerIds: ["self"], Filters: filters, NextToken, MaxResults: 1000 }),
      );
      out.push(...(page.Snapshots ?? []));
      NextToken = page.NextToken;
    } while (NextToken);
    return out.filter((s) => s.State !== "error");
  }

  private toSnapshot(s: Snapshot): DriverSnapshot {
    return { ref: s.SnapshotId!, name: tagOf(s.Tags, SNAPSHOT_NAME_TAG) ?? s.SnapshotId!, createdAt: s.StartTime };
  }

  async snapshot(ref: string, name: string, opts?: CallOptions): Promise<DriverSnapshot> {
    const existing = await this.snapshots(
      [
        { Name: `tag:${INSTANCE_ID_TAG}`, Values: [ref] },
        { Name: `tag:${SNAPSHOT_NAME_TAG}`, Values: [name] },
      ],
      opts,
    );
    if (existing.length) return this.toSnapshot(existing[0]);
    const i = await this.instance(ref, opts);
    const volumeId = this.rootVolumeId(i);
    if (!volumeId) throw new DriverError("PROVIDER", `EC2 instance ${ref} has no EBS root volume to snapshot`, false);
    const tags: Tag[] = [
      { Key: "Name", Value: `${tagOf(i.Tags, "Name") ?? ref} ${name}` },
      { Key: MACHINE_ID_TAG, Value: tagOf(i.Tags, MACHINE_ID_TAG) ?? "" },
      { Key: INSTALLATION_ID_TAG, Value: tagOf(i.Tags, INSTALLATION_ID_TAG) ?? "" },
      { Key: INSTANCE_ID_TAG, Value: ref },
      { Key: SNAPSHOT_NAME_TAG, Value: name },
    ];
    const s = await this.send<Snapshot>(
      "create snapshot",
      opts,
      new CreateSnapshotCommand({ VolumeId: volumeId, Description: `Orquestra snapshot ${name} of ${ref}`, TagSpecifications: [{ ResourceType: "snapshot", Tags: tags }] }),
    );
    // The snapshot is point-in-time now; it completes in the background (revert waits for it).
    return { ref: s.SnapshotId!, name, createdAt: s.StartTime };
  }

  async listSnapshots(ref: string, opts?: CallOptions): Promise<DriverSnapshot[]> {
    const list = await this.snapshots([{ Name: `tag:${INSTANCE_ID_TAG}`, Values: [ref] }], opts);
    return list.map((s) => this.toSnapshot(s)).sort((a, b) => (a.createdAt?.getTime() ?? 0) - (b.createdAt?.getTime() ?? 0));
  }

  /**
   * EC2 cannot roll a volume back: the instance is stopped, a volume made from the snapshot
   * replaces its root volume, the old one is deleted, and the instance starts again if it was
   * running. Each step finds what an interrupted earlier run of the same operation made (the
   * restored volume carries the operation's key), so a retry completes it.
   */
  async revertSnapshot(ref: string, snapshotRef: string, opts?: CallOptions): Promise<void> {
    if (!SNAPSHOT_ID.test(snapshotRef)) throw new DriverError("NOT_FOUND", `no EBS snapshot ${snapshotRef}`, false);
    const restoreKey = opts?.idempotencyKey ?? randomUUID();
    const snap = await this.waitForSnapshot(snapshotRef, opts);
    if (tagOf(snap.Tags, INSTANCE_ID_TAG) !== ref) throw new DriverError("NOT_FOUND", `snapshot ${snapshotRef} is not one of instance ${ref}`, false);
    let i = await this.instance(ref, opts);
    const wasRunning = i.State?.Name === "running" || i.State?.Name === "pending";
    const device = i.RootDeviceName ?? "/dev/xvda";
    const zone = i.Placement?.AvailabilityZone;
    const oldRootId = this.rootVolumeId(i);
    const oldRoot = oldRootId ? (await this.volumes([oldRootId], opts)).get(oldRootId) : undefined;
    // An earlier run of this operation already swapped the volumes.
    if (oldRoot && tagOf(oldRoot.Tags, RESTORE_KEY_TAG) === restoreKey) return;
    if (i.State?.Name !== "stopped") {
      await this.stop(ref, opts);
      i = await this.instance(ref, opts);
    }
    const restored =
      (
        await this.send<{ Volumes?: Volume[] }>(
          "find the restored volume",
          opts,
          new DescribeVolumesCommand({ Filters: [{ Name: `tag:${RESTORE_KEY_TAG}`, Values: [restoreKey] }] }),
        )
      ).Volumes?.[0] ??
      (await this.send<Volume>(
        "create a volume from the snapshot",
        opts,
        new CreateVolumeCommand({
          SnapshotId: snapshotRef,
          AvailabilityZone: zone,
          VolumeType: oldRoot?.VolumeType,
          Size: Math.max(oldRoot?.Size ?? 0, snap.VolumeSize ?? 0) || undefined,
          TagSpecifications: [
            {
              ResourceType: "volume",
              Tags: [
                ...(oldRoot?.Tags ?? []).filter((t) => t.Key !== RESTORE_KEY_TAG && !t.Key?.startsWith("aws:")),
                { Key: RESTORE_KEY_TAG, Value: restoreKey },
                { Key: INSTANCE_ID_TAG, Value: ref },
              ],
            },
          ],
        }),
      ));
    const newId = restored.VolumeId!;
    const current = this.rootVolumeId(i);
    if (current !== newId) {
      await this.waitForVolume(newId, "available", opts);
      if (current) {
        await this.send("detach the old root volume", opts, new DetachVolumeCommand({ VolumeId: current, InstanceId: ref }));
        await this.waitForVolume(current, "available", opts);
      }
      await this.send("attach the restored volume", opts, new AttachVolumeCommand({ VolumeId: newId, InstanceId: ref, Device: device }));
      await this.waitForVolume(newId, "in-use", opts);
      await this.send(
        "keep the root volume's delete-on-termination",
        opts,
        new ModifyInstanceAttributeCommand({ InstanceId: ref, BlockDeviceMappings: [{ DeviceName: device, Ebs: { DeleteOnTermination: true } }] }),
      );
      if (current) {
        await this.send("delete the old root volume", opts, new DeleteVolumeCommand({ VolumeId: current })).catch((err: unknown) => {
          if (!(err instanceof DriverError && err.code === "NOT_FOUND")) throw err;
        });
      }
    }
    if (wasRunning) await this.start(ref, opts);
  }

  async deleteSnapshot(_ref: string, snapshotRef: string, opts?: CallOptions): Promise<void> {
    if (!SNAPSHOT_ID.test(snapshotRef)) return;
    try {
      await this.send("delete snapshot", opts, new DeleteSnapshotCommand({ SnapshotId: snapshotRef }));
    } catch (err) {
      if (!(err instanceof DriverError && err.code === "NOT_FOUND")) throw err;
    }
  }
}
