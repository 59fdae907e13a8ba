import { describe, expect, it } from "vitest";
import { DriverError } from "../types";
import { dockerConnection, mapDockerState } from "./docker-driver";
import { safeName } from "../call";

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

  it("makes provider-safe names carrying the machine id", () => {
    expect(safeName("My VM #1", "ABCDEF12-3456")).toBe("my-vm-1-abcdef12");
    expect(safeName("123", "abcdef12")).toBe("machine-abcdef12");
    expect(safeName("x".repeat(100), "abcdef12", 30)).toHaveLength(30);
  });
});
