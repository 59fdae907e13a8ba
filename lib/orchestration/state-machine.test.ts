// The machine lifecycle (lib/machines/state-machine.ts, derived from the operation table) as
// the engine relies on it: every listed transition is accepted, every other pair is refused
// with CONFLICT, and the table's own promises hold.
import { describe, expect, it } from "vitest";
import { AppError } from "../errors";
import { MachineState } from "../generated/prisma/enums";
import { canTransition, transition, TRANSITIONS } from "../machines/state-machine";
import { OPERATION_KINDS, OPERATION_SPECS, RESTING_STATES, restoreStateAfterFailure, stateAfterSuccess } from "./operation-specs";

const ALL = Object.values(MachineState);

describe("machine state machine", () => {
  it("covers every state", () => {
    expect(Object.keys(TRANSITIONS).sort()).toEqual([...ALL].sort());
  });

  for (const from of ALL) {
    for (const to of ALL) {
      const allowed = TRANSITIONS[from].includes(to);
      it(`${from} -> ${to} is ${allowed ? "accepted" : "refused with CONFLICT"}`, () => {
        expect(canTransition(from, to)).toBe(allowed);
        if (allowed) {
          expect(transition(from, to)).toBe(to);
        } else {
          let err: unknown;
          try {
            transition(from, to);
          } catch (e) {
            err = e;
          }
          expect(err).toBeInstanceOf(AppError);
          expect((err as AppError).code).toBe("CONFLICT");
        }
      });
    }
  }

  it("has the paths the engine takes", () => {
    const path = (...states: MachineState[]) => states.slice(1).every((s, i) => canTransition(states[i], s));
    expect(path("REQUESTED", "PROVISIONING", "RUNNING", "STOPPING", "STOPPED", "STARTING", "RUNNING")).toBe(true);
    expect(path("RUNNING", "REBOOTING", "RUNNING", "RESIZING", "RUNNING", "DELETING", "DELETED")).toBe(true);
    expect(path("STOPPED", "RESIZING", "STOPPED", "DELETING", "DELETED")).toBe(true);
    expect(path("REQUESTED", "PROVISIONING", "FAILED", "DELETING", "DELETED")).toBe(true);
    expect(path("FAILED", "PROVISIONING", "RUNNING")).toBe(true);
    // A failed day-2 operation goes back to where the machine was.
    expect(path("RUNNING", "STOPPING", "RUNNING")).toBe(true);
    expect(path("STOPPED", "STARTING", "STOPPED")).toBe(true);
    // A machine stuck in an operation that waits for retries can still be deleted.
    expect(path("RUNNING", "REBOOTING", "DELETING", "DELETED")).toBe(true);
    expect(canTransition("DELETED", "RUNNING")).toBe(false);
    expect(canTransition("DELETING", "STARTING")).toBe(false);
  });

  it("follows the operation table: every spec's way in, out on success and out on failure exists", () => {
    for (const kind of OPERATION_KINDS) {
      const spec = OPERATION_SPECS[kind];
      for (const from of spec.from) {
        const t = spec.transitional;
        if (!t) continue;
        expect(canTransition(from, t), `${kind}: ${from} -> ${t}`).toBe(true);
        const ok = stateAfterSuccess(spec, from);
        if (ok) expect(canTransition(t, ok), `${kind} success: ${t} -> ${ok}`).toBe(true);
        const back = restoreStateAfterFailure(spec, from);
        if (back) expect(canTransition(t, back), `${kind} failure: ${t} -> ${back}`).toBe(true);
      }
    }
  });

  it("never restores a machine into a transitional state", () => {
    for (const kind of OPERATION_KINDS) {
      for (const from of ALL) {
        const back = restoreStateAfterFailure(OPERATION_SPECS[kind], from);
        if (back) expect([...RESTING_STATES, "FAILED"]).toContain(back);
      }
    }
  });
});
