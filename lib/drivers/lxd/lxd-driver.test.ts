import { describe, expect, it } from "vitest";
import { IDEMPOTENCY_KEY, INSTALLATION_ID_KEY, MACHINE_ID_KEY, instanceBody, mapLxdState, ownershipOf, parseLxdSize } from "./lxd-driver";

describe("LXD driver pure parts", () => {
  it("maps instance states", () => {
    expect(mapLxdState("Running")).toBe("RUNNING");
    expect(mapLxdState("Stopped")).toBe("STOPPED");
    expect(mapLxdState("Frozen")).toBe("PAUSED");
    expect(mapLxdState("Stopping")).toBe("PENDING");
    expect(mapLxdState("Error")).toBe("ERROR");
    expect(mapLxdState(undefined)).toBe("UNKNOWN");
  });

  it("parses sizes into MiB", () => {
    expect(parseLxdSize("64MiB")).toBe(64);
    expect(parseLxdSize("2GiB")).toBe(2048);
    expect(parseLxdSize("1GB")).toBe(954);
    expect(parseLxdSize("50%")).toBeUndefined();
  });

  it("builds the instance from the offering, with the machine id", () => {
    const body = instanceBody(
      {
        machineId: "0f0e0d0c-1111-4000-8000-000000000000",
        installationId: "99999999-1111-4000-8000-000000000000",
        name: "Web Server",
        vcpu: 2,
        memoryMb: 1024,
        diskGb: 20,
        diskTier: "SSD",
        templateRef: "debian/12",
      },
      "op-1",
      "default",
    );
    expect(body.name).toBe("web-server-0f0e0d0c");
    expect(body.source).toEqual({ type: "image", alias: "debian/12" });
    expect(body.config).toEqual({
      "limits.cpu": "2",
      "limits.memory": "1024MiB",
      [MACHINE_ID_KEY]: "0f0e0d0c-1111-4000-8000-000000000000",
      [INSTALLATION_ID_KEY]: "99999999-1111-4000-8000-000000000000",
      [IDEMPOTENCY_KEY]: "op-1",
    });
    expect(body.devices.root).toEqual({ type: "disk", path: "/", pool: "default", size: "20GiB" });
    // The config LXD hands back is read into the same tags.
    expect(ownershipOf(body.config)).toEqual({ machineId: "0f0e0d0c-1111-4000-8000-000000000000", installationId: "99999999-1111-4000-8000-000000000000" });
  });

  it("puts the user data under the server's cloud-init key", () => {
    const spec = { machineId: "m", installationId: "i", name: "a", vcpu: 1, memoryMb: 64, diskGb: 1, diskTier: "SSD" as const, templateRef: "x", userData: "#cloud-config\n" };
    const config = (key?: "user.user-data") => instanceBody(spec, "k", "default", key).config as Record<string, string>;
    expect(config()["cloud-init.user-data"]).toBe("#cloud-config\n");
    const old = config("user.user-data");
    expect(old["user.user-data"]).toBe("#cloud-config\n");
    expect(old["cloud-init.user-data"]).toBeUndefined();
    expect(Object.keys(instanceBody({ ...spec, userData: null }, "k", "default").config).some((k) => k.includes("user-data"))).toBe(false);
  });

  it("reads ownership tags, and none from instances Orquestra did not create", () => {
    expect(ownershipOf({ [MACHINE_ID_KEY]: "m-1" })).toEqual({ machineId: "m-1", installationId: null });
    expect(ownershipOf({ "limits.cpu": "1", [MACHINE_ID_KEY]: "" })).toEqual({ machineId: null, installationId: null });
    expect(ownershipOf(undefined)).toEqual({ machineId: null, installationId: null });
  });
});
