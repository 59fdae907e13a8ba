// The machine lifecycle table (lib/machines/state-machine.ts) as the engine relies on it:
// every listed transition is accepted, every other pair is refused with CONFLICT.
import { describe, expect, it } from "vitest";
import { AppError } from "../errors";
import { MachineState } from "../generated/prisma/enums";
import { canTransition, transition, TRANSITIONS } from "../machines/state-machine";
import { TRANSITIONAL_STATE } from "./create-operation";

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
    // A failed day-2 operation goes back to where the machine was.
    expect(path("RUNNING", "STOPPING", "RUNNING")).toBe(true);
    expect(path("STOPPED", "STARTING", "STOPPED")).toBe(true);
    expect(canTransition("DELETED", "RUNNING")).toBe(false);
  });

  it("gives every operation with a transitional state a valid way in from a resting state", () => {
    for (const [kind, state] of Object.entries(TRANSITIONAL_STATE)) {
      if (!state || kind === "PROVISION") continue;
      expect(canTransition("RUNNING", state) || canTransition("STOPPED", state), kind).toBe(true);
    }
  });
});
