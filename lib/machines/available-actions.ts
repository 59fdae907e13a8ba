// Which day-2 actions a machine offers right now: allowed from its state by the operation
// table, not switched off for its project, supported by its provider's driver. Pure, so the
// machine page (to show buttons) and the request verbs (to refuse) use the same rules.
import type { MachineState, ProviderKind } from "../generated/prisma/enums";
import { DAY2_KINDS, OPERATION_SPECS, type Day2Kind } from "../orchestration/operation-specs";
import { hasCapability } from "./capabilities";

export { DAY2_KINDS, type Day2Kind };

export type Unavailable = "state" | "disabled" | "capability";

/** null when the action is available, else why not. */
export function whyUnavailable(
  kind: Day2Kind,
  machine: { state: MachineState; providerKind: ProviderKind | null },
  disabledActions: readonly string[],
): Unavailable | null {
  const spec = OPERATION_SPECS[kind];
  if (disabledActions.includes(kind)) return "disabled";
  // A machine not yet on a provider can still be deleted (nothing needs a capability).
  if (spec.capability && !hasCapability(machine.providerKind, spec.capability)) return "capability";
  return (spec.from as readonly MachineState[]).includes(machine.state) ? null : "state";
}

export function availableActions(
  machine: { state: MachineState; providerKind: ProviderKind | null },
  disabledActions: readonly string[],
): Record<Day2Kind, Unavailable | null> {
  return Object.fromEntries(DAY2_KINDS.map((k) => [k, whyUnavailable(k, machine, disabledActions)])) as Record<Day2Kind, Unavailable | null>;
}
