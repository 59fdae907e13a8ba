// Whether a machine has a browser console now, and which kind: browser-safe (the machine
// page and the console page read it; issue-ticket.ts and the WebSocket server enforce it).
import type { MachineState, ProviderKind } from "../generated/prisma/enums";
import { DRIVER_PROFILES } from "../drivers/profiles";
import { runsNoGuest } from "../drivers/no-guest";

export type ConsoleKind = "shell" | "vnc";
/** Why there is no console: not on a provider yet, the driver has none, or not running. */
export type ConsoleUnavailable = "notPlaced" | "unsupported" | "notRunning";


/** The console of a provider's machines; pass the endpoint where it is known (server side). */
export function consoleKindOf(kind: ProviderKind | null | undefined, endpoint?: string | null): ConsoleKind | null {
  if (!kind) return null;
  const profile = DRIVER_PROFILES[kind];
  // libvirt's test driver runs no QEMU: no VNC display (lib/drivers/no-guest.ts).
  if (runsNoGuest(kind, endpoint)) return null;
  return profile.capabilities.includes("console") ? (profile.console ?? null) : null;
}

export function consoleUnavailable(m: { state: MachineState; providerKind: ProviderKind | null; providerEndpoint?: string | null; externalRef?: string | null }): ConsoleUnavailable | null {
  if (!m.providerKind) return "notPlaced";
  if (!consoleKindOf(m.providerKind, m.providerEndpoint)) return "unsupported";
  if (m.state !== "RUNNING" || m.externalRef === null) return "notRunning";
  return null;
}
