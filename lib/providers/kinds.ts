// What each provider kind needs: its credential fields, its endpoint form and the keys of its
// config JSON. Pure data and zod schemas (no database): shared by the admin form (client),
// the server actions and the services.
import { z } from "zod";
import type { ProviderKind } from "../generated/prisma/enums";

export const PROVIDER_KINDS = ["SIMULATOR", "VSPHERE", "LIBVIRT", "LXD", "DOCKER", "HYPERV", "KUBERNETES", "EC2"] as const satisfies readonly ProviderKind[];

export interface CredentialField {
  key: string;
  /** Required to create the provider (an edit may leave it blank to keep the stored value). */
  required: boolean;
  /** A password-like value (input type=password). */
  secret: boolean;
  /** A PEM block (textarea). */
  multiline?: boolean;
}

const pem = (key: string): CredentialField => ({ key, required: false, secret: key === "key", multiline: true });

/** Credential fields per kind, sealed together as one JSON map. */
export const CREDENTIAL_FIELDS: Record<ProviderKind, readonly CredentialField[]> = {
  SIMULATOR: [],
  VSPHERE: [
    { key: "username", required: true, secret: false },
    { key: "password", required: true, secret: true },
  ],
  // A unix socket needs none; qemu+ssh:// uses the server's ssh agent and keys.
  LIBVIRT: [],
  // A unix socket needs none; https://host:8443 uses a trusted client certificate.
  LXD: [pem("ca"), pem("cert"), pem("key")],
  // TLS client certificate for tcp://host:2376; none for a unix socket.
  DOCKER: [pem("ca"), pem("cert"), pem("key")],
  HYPERV: [
    { key: "username", required: true, secret: false },
    { key: "password", required: true, secret: true },
  ],
  KUBERNETES: [{ key: "token", required: true, secret: true }, pem("ca")],
  EC2: [
    { key: "accessKeyId", required: true, secret: false },
    { key: "secretAccessKey", required: true, secret: true },
  ],
};

/** Kinds whose endpoint may be empty. */
export const ENDPOINT_OPTIONAL: ReadonlySet<ProviderKind> = new Set<ProviderKind>(["SIMULATOR", "EC2"]);

const k = (key: string) => `providers.validation.${key}`;

/** Endpoint forms each kind accepts (the driver refuses anything else at run time too). */
export const ENDPOINT_PATTERNS: Record<ProviderKind, RegExp> = {
  SIMULATOR: /^simulator:\/\/[\w.-]*$/,
  VSPHERE: /^https?:\/\/[^\s/]+(\/\S*)?$/,
  LIBVIRT: /^[a-z0-9+]+:\/\/\S*$/i,
  LXD: /^(unix:\/\/\/\S+|https:\/\/[^\s/]+\/?)$/,
  DOCKER: /^(unix:\/\/\/\S+|\/\S+|(tcp|http|https):\/\/([^/:\s]+|\[[^\]\s]+\]):\d+\/?)$/,
  HYPERV: /^(https?:\/\/)?[^\s/]+(\/\S*)?$/,
  KUBERNETES: /^https:\/\/[^\s/]+(\/\S*)?$/,
  EC2: /^([a-z]{2}(-[a-z]+)+-\d|https:\/\/[^\s/]+\/?)$/,
};

const positiveSeconds = (max: number) => z.number({ error: k("configNumber") }).int(k("configNumber")).min(1, k("configNumber")).max(max, k("configNumber"));
const callTimeoutMs = z.number({ error: k("configNumber") }).int(k("configNumber")).min(1000, k("configNumber")).max(600_000, k("configNumber"));
const name = z.string({ error: k("configString") }).trim().min(1, k("configString")).max(200, k("configString"));

/**
 * The config JSON per kind: strict objects, so a typo ("storagepool") is refused instead of
 * silently ignored by the driver. Executable paths (libvirt's virshPath) are deliberately not
 * settable from the browser.
 */
export const CONFIG_SCHEMAS: Record<ProviderKind, z.ZodType<Record<string, unknown>>> = {
  SIMULATOR: z.strictObject({
    latencyMs: z.union([z.number().int().min(0).max(600_000), z.record(z.string(), z.number().int().min(0).max(600_000))], { error: k("configNumber") }).optional(),
  }),
  VSPHERE: z.strictObject({
    datacenter: name.optional(),
    cluster: name.optional(),
    datastore: name.optional(),
    folder: name.optional(),
    resourcePool: name.optional(),
    network: name.optional(),
    insecure: z.boolean({ error: k("configBoolean") }).optional(),
    callTimeoutMs: callTimeoutMs.optional(),
  }),
  LIBVIRT: z.strictObject({
    storagePool: name.optional(),
    domainType: z.enum(["kvm", "qemu", "test"], { error: k("configDomainType") }).optional(),
    stopTimeoutSeconds: positiveSeconds(3600).optional(),
    callTimeoutMs: callTimeoutMs.optional(),
    serialLogDir: z.string({ error: k("configString") }).regex(/^\/\S*$/, k("configAbsolutePath")).optional(),
  }),
  LXD: z.strictObject({
    storagePool: name.optional(),
    stopTimeoutSeconds: positiveSeconds(3600).optional(),
    callTimeoutMs: callTimeoutMs.optional(),
  }),
  DOCKER: z.strictObject({
    networkMode: name.optional(),
    // Container storage offered to placement when the engine does not report it (Docker
    // Engine never does; Podman does through /libpod/info).
    diskGb: z.number({ error: k("configNumber") }).int(k("configNumber")).min(1, k("configNumber")).max(10_000_000, k("configNumber")).optional(),
    diskTier: z.enum(["SSD", "HDD"], { error: k("configString") }).optional(),
    stopTimeoutSeconds: positiveSeconds(3600).optional(),
    callTimeoutMs: callTimeoutMs.optional(),
  }),
  HYPERV: z.strictObject({
    virtualSwitch: name.optional(),
    storagePath: name.optional(),
  }),
  KUBERNETES: z.strictObject({
    namespace: name.optional(),
    storageClass: name.optional(),
  }),
  EC2: z.strictObject({
    region: name.optional(),
    subnetId: name.optional(),
    securityGroupId: name.optional(),
  }),
};

/** An example config per kind, shown as the form's hint. */
export const CONFIG_EXAMPLES: Record<ProviderKind, string> = {
  SIMULATOR: '{ "latencyMs": 300 }',
  VSPHERE: '{ "datacenter": "DC0", "cluster": "DC0_C0", "datastore": "LocalDS_0" }',
  LIBVIRT: '{ "storagePool": "default", "domainType": "kvm" }',
  LXD: '{ "storagePool": "default" }',
  DOCKER: '{ "networkMode": "bridge" }',
  HYPERV: '{ "virtualSwitch": "Default Switch" }',
  KUBERNETES: '{ "namespace": "orquestra" }',
  EC2: '{ "region": "eu-west-1" }',
};

/** Endpoint placeholder per kind. */
export const ENDPOINT_EXAMPLES: Record<ProviderKind, string> = {
  SIMULATOR: "simulator://local",
  VSPHERE: "https://vcenter.example.com/sdk",
  LIBVIRT: "qemu+ssh://root@kvm01.example.com/system",
  LXD: "unix:///var/snap/lxd/common/lxd/unix.socket",
  DOCKER: "unix:///var/run/docker.sock",
  HYPERV: "https://hyperv01.example.com:5986/wsman",
  KUBERNETES: "https://k8s.example.com:6443",
  EC2: "eu-west-1",
};
