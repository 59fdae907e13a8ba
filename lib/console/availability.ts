// Whether a machine has a browser console now, and which kind: browser-safe (the machine
// page and the console page read it; issue-ticket.ts and the WebSocket server enforce it).
import type { MachineState, ProviderKind } from "../generated/prisma/enums";
import { DRIVER_PROFILES } from "../drivers/profiles";

export type ConsoleKind = "shell" | "vnc";
/** Why there is no console: not on a provider yet, the driver has none, or not running. */
export type ConsoleUnavailable = "notPlaced" | "unsupported" | "notRunning";

export function consoleKindOf(kind: ProviderKind | null | undefined): ConsoleKind | null {
  if (!kind) return null;
  const profile = DRIVER_PROFILES[kind];
  return profile.capabilities.includes("console") ? (profile.console ?? null) : null;
}

export function consoleUnavailable(m: { state: MachineState; providerKind: ProviderKind | null; externalRef?: string | null }): ConsoleUnavailable | null {
  if (!m.providerKind) return "notPlaced";
  if (!consoleKindOf(m.providerKind)) return "unsupported";
  if (m.state !== "RUNNING" || m.externalRef === null) return "notRunning";
  return null;
}
