// Whether a machine has a browser console now, and which kind: browser-safe (the machine
// page and the console page read it; issue-ticket.ts and the WebSocket server enforce it).
import type { MachineState, ProviderKind } from "../generated/prisma/enums";
import { DRIVER_PROFILES } from "../drivers/profiles";

export type ConsoleKind = "shell" | "vnc";
/** Why there is no console: not on a provider yet, the driver has none, or not running. */
export type ConsoleUnavailable = "notPlaced" | "unsupported" | "notRunning";

/**
 * Endpoints of a kind whose machines have no screen or shell even though the kind has a
 * console: libvirt's test driver (test:///, test+unix://) runs no QEMU, so there is no VNC
 * display (the driver drops its disk capabilities on the same test, libvirt-driver.ts).
 */
const NO_CONSOLE_ENDPOINT: Partial<Record<ProviderKind, RegExp>> = { LIBVIRT: /^test(\+|:)/i };

/** The console of a provider's machines; pass the endpoint where it is known (server side). */
export function consoleKindOf(kind: ProviderKind | null | undefined, endpoint?: string | null): ConsoleKind | null {
  if (!kind) return null;
  const profile = DRIVER_PROFILES[kind];
  if (endpoint && NO_CONSOLE_ENDPOINT[kind]?.test(endpoint)) return null;
  return profile.capabilities.includes("console") ? (profile.console ?? null) : null;
}

export function consoleUnavailable(m: { state: MachineState; providerKind: ProviderKind | null; providerEndpoint?: string | null; externalRef?: string | null }): ConsoleUnavailable | null {
  if (!m.providerKind) return "notPlaced";
  if (!consoleKindOf(m.providerKind, m.providerEndpoint)) return "unsupported";
  if (m.state !== "RUNNING" || m.externalRef === null) return "notRunning";
  return null;
}
