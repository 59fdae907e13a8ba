// How each kind of provider gets a machine's cloud-init and SSH keys into it (browser-safe:
// the machine page and the template page say it). Kinds with the "cloudInit" capability boot
// with the merged #cloud-config; Docker runs no cloud-init and gets the keys in an environment
// variable (ORQ_SSH_AUTHORIZED_KEYS) for an image whose entrypoint installs them; the others
// inject nothing.
import type { ProviderKind } from "../generated/prisma/enums";
import { DRIVER_PROFILES } from "../drivers/profiles";
import { runsNoGuest } from "../drivers/no-guest";

export type InjectionMethod = "lxd" | "libvirt" | "ec2" | "vsphere" | "docker" | "simulator";

const METHOD_BY_KIND: Partial<Record<ProviderKind, InjectionMethod>> = {
  LXD: "lxd",
  LIBVIRT: "libvirt",
  EC2: "ec2",
  VSPHERE: "vsphere",
  SIMULATOR: "simulator",
};

export function canCloudInit(kind: ProviderKind): boolean {
  return (DRIVER_PROFILES[kind].capabilities as readonly string[]).includes("cloudInit");
}

/**
 * What the provider does with a machine's keys: null when it injects nothing. With the endpoint
 * (server side): null too where the hypervisor runs no guest (libvirt's test driver boots
 * nothing, so nothing reads the seed: lib/drivers/no-guest.ts).
 */
export function injectionMethod(kind: ProviderKind, endpoint?: string | null): InjectionMethod | null {
  if (runsNoGuest(kind, endpoint)) return null;
  if (kind === "DOCKER") return "docker";
  return canCloudInit(kind) ? (METHOD_BY_KIND[kind] ?? null) : null;
}

/** Machine.access: what provisioning injected. */
export interface MachineAccess {
  method: InjectionMethod | null;
  /** The template's login user ("" when the template does not say). */
  user: string;
  keys: { name: string; fingerprint: string }[];
}

export function readMachineAccess(value: unknown): MachineAccess | null {
  if (!value || typeof value !== "object") return null;
  const v = value as Partial<MachineAccess>;
  return {
    method: typeof v.method === "string" ? v.method : null,
    user: typeof v.user === "string" ? v.user : "",
    keys: Array.isArray(v.keys) ? v.keys.filter((k) => k && typeof k.fingerprint === "string").map((k) => ({ name: String(k.name ?? ""), fingerprint: k.fingerprint })) : [],
  };
}

/**
 * The machine page's connection details: the injection record and the provider's name for the
 * machine. On a provider whose hypervisor runs no guest (`noGuest`) nothing was injected, whatever
 * an older record says: no method, no keys.
 */
export function accessView(value: unknown, externalRef: string | null, provider?: { kind: ProviderKind; endpoint: string | null } | null) {
  const a = readMachineAccess(value);
  const noGuest = runsNoGuest(provider?.kind, provider?.endpoint);
  return { recorded: a !== null, noGuest, method: noGuest ? null : (a?.method ?? null), user: a?.user ?? "", keys: noGuest ? [] : (a?.keys ?? []), ref: externalRef };
}
export type AccessView = ReturnType<typeof accessView>;
