import { describe, expect, it } from "vitest";
import { DriverError } from "../types";
import { INSTALLATION_ID_LABEL, MACHINE_ID_LABEL, dockerConnection, mapDockerState, ownershipFromLabels, ownershipLabels } from "./docker-driver";
import { safeName, snapshotName } from "../call";

describe("Docker driver pure parts", () => {
  it("maps container states", () => {
    expect(mapDockerState("running")).toBe("RUNNING");
    expect(mapDockerState("exited")).toBe("STOPPED");
    expect(mapDockerState("created")).toBe("STOPPED");
    expect(mapDockerState("paused")).toBe("PAUSED");
    expect(mapDockerState("restarting")).toBe("PENDING");
    expect(mapDockerState("dead")).toBe("ERROR");
    expect(mapDockerState("???")).toBe("UNKNOWN");
  });

  it("parses endpoints", () => {
    expect(dockerConnection("unix:///run/podman.sock", {})).toEqual({ socketPath: "/run/podman.sock" });
    expect(dockerConnection("tcp://127.0.0.1:2375", {})).toMatchObject({ protocol: "http", host: "127.0.0.1", port: 2375 });
    expect(dockerConnection("https://[::1]:2376", { cert: "C", key: "K" })).toMatchObject({ protocol: "https", host: "::1", cert: "C", key: "K" });
    expect(() => dockerConnection("ftp://x", {})).toThrow(DriverError);
  });

  it("labels containers with both ownership tags and reads them back", () => {
    const labels = ownershipLabels({ machineId: "m-1", installationId: "i-1" }, "op-1");
    expect(labels).toEqual({ "orquestra.machine-id": "m-1", "orquestra.installation-id": "i-1", "orquestra.idempotency-key": "op-1" });
    expect(ownershipFromLabels({ ...labels, "io.podman.something": "x" })).toEqual({ machineId: "m-1", installationId: "i-1" });
    expect(ownershipFromLabels({ [MACHINE_ID_LABEL]: "m-2" })).toEqual({ machineId: "m-2", installationId: null });
    expect(ownershipFromLabels({ [INSTALLATION_ID_LABEL]: "" })).toEqual({ machineId: null, installationId: null });
    expect(ownershipFromLabels(null)).toEqual({ machineId: null, installationId: null });
  });

  it("names a snapshot after its requested name, stably", () => {
    expect(snapshotName("daily-1")).toBe("daily-1");
    const odd = snapshotName("Before Upgrade!");
    expect(odd).toMatch(/^before-upgrade-[0-9a-f]{8}$/);
    expect(snapshotName("Before Upgrade!")).toBe(odd);
    // Two names that look alike once made safe still get different snapshots.
    expect(snapshotName("Before Upgrade?")).not.toBe(odd);
    expect(snapshotName("x".repeat(70))).toHaveLength(63);
  });

  it("makes provider-safe names carrying the machine id", () => {
    expect(safeName("My VM #1", "ABCDEF12-3456")).toBe("my-vm-1-abcdef12");
    expect(safeName("123", "abcdef12")).toBe("machine-abcdef12");
    expect(safeName("x".repeat(100), "abcdef12", 30)).toHaveLength(30);
  });
});
