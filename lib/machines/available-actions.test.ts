import { describe, expect, it } from "vitest";
import { OPERATION_SPECS } from "../orchestration/operation-specs";
import { availableActions, DAY2_KINDS, whyUnavailable } from "./available-actions";
import { PROVIDER_CAPABILITIES } from "./capabilities";

describe("available day-2 actions", () => {
  it("are the table's day-2 kinds, and only those", () => {
    expect([...DAY2_KINDS].sort()).toEqual(["BACKUP", "DELETE", "REBOOT", "RESIZE", "RESTORE", "SNAPSHOT_CREATE", "SNAPSHOT_DELETE", "SNAPSHOT_REVERT", "START", "STOP"]);
    for (const k of DAY2_KINDS) expect(OPERATION_SPECS[k].day2).toBe(true);
  });

  it("follow the operation table", () => {
    const running = availableActions({ state: "RUNNING", providerKind: "SIMULATOR" }, []);
    expect(running).toMatchObject({ START: "state", STOP: null, REBOOT: null, RESIZE: null, DELETE: null, SNAPSHOT_CREATE: null });
    const stopped = availableActions({ state: "STOPPED", providerKind: "SIMULATOR" }, []);
    expect(stopped).toMatchObject({ START: null, STOP: "state", REBOOT: "state", RESIZE: null, DELETE: null, SNAPSHOT_REVERT: null });
    // Busy: only a delete (which cancels what waits) is offered.
    const busy = availableActions({ state: "STARTING", providerKind: "SIMULATOR" }, []);
    expect(Object.entries(busy).filter(([, v]) => v === null).map(([k]) => k)).toEqual(["DELETE"]);
    const deleting = availableActions({ state: "DELETING", providerKind: "SIMULATOR" }, []);
    expect(Object.values(deleting).every((v) => v === "state")).toBe(true);
    const failed = availableActions({ state: "FAILED", providerKind: null }, []);
    expect(failed.DELETE).toBeNull();
    expect(failed.START).toBe("state");
  });

  it("honour the project's switched-off actions before anything else", () => {
    expect(whyUnavailable("STOP", { state: "RUNNING", providerKind: "SIMULATOR" }, ["STOP"])).toBe("disabled");
    expect(whyUnavailable("START", { state: "RUNNING", providerKind: "SIMULATOR" }, ["START"])).toBe("disabled");
    expect(whyUnavailable("REBOOT", { state: "RUNNING", providerKind: "SIMULATOR" }, ["STOP"])).toBeNull();
  });

  it("offer snapshots and resize only where the provider can", () => {
    expect(PROVIDER_CAPABILITIES.DOCKER).not.toContain("snapshots");
    expect(whyUnavailable("SNAPSHOT_CREATE", { state: "RUNNING", providerKind: "DOCKER" }, [])).toBe("capability");
    expect(whyUnavailable("SNAPSHOT_CREATE", { state: "RUNNING", providerKind: null }, [])).toBe("capability");
    expect(whyUnavailable("RESIZE", { state: "RUNNING", providerKind: "DOCKER" }, [])).toBeNull();
  });
});
