import { describe, expect, it } from "vitest";
import { consoleKindOf, consoleUnavailable } from "./availability";

describe("console availability", () => {
  it("says which console each provider kind has: a shell for containers, a screen for libvirt VMs, none for vSphere", () => {
    expect(consoleKindOf("DOCKER")).toBe("shell");
    expect(consoleKindOf("LXD")).toBe("shell");
    expect(consoleKindOf("LIBVIRT")).toBe("vnc");
    // vcsim implements no AcquireTicket("webmks"): vSphere declares no console (see its profile).
    expect(consoleKindOf("VSPHERE")).toBeNull();
    expect(consoleKindOf(null)).toBeNull();
  });

  it("explains why there is none", () => {
    expect(consoleUnavailable({ state: "RUNNING", providerKind: "VSPHERE", externalRef: "vm-1" })).toBe("unsupported");
    expect(consoleUnavailable({ state: "STOPPED", providerKind: "LIBVIRT", externalRef: "d" })).toBe("notRunning");
    expect(consoleUnavailable({ state: "RUNNING", providerKind: "LIBVIRT", externalRef: null })).toBe("notRunning");
    expect(consoleUnavailable({ state: "REQUESTED", providerKind: null })).toBe("notPlaced");
    expect(consoleUnavailable({ state: "RUNNING", providerKind: "LIBVIRT", externalRef: "d" })).toBeNull();
  });

  it("libvirt's test driver has no screen: no console whatever its kind says", () => {
    expect(consoleKindOf("LIBVIRT", "test:///default")).toBeNull();
    expect(consoleKindOf("LIBVIRT", "test+unix:///default?socket=/run/libvirt-sock")).toBeNull();
    expect(consoleKindOf("LIBVIRT", "qemu:///session")).toBe("vnc");
    expect(consoleKindOf("LIBVIRT", "qemu+ssh://root@kvm-1/system")).toBe("vnc");
    expect(consoleUnavailable({ state: "RUNNING", providerKind: "LIBVIRT", providerEndpoint: "test:///default", externalRef: "d" })).toBe("unsupported");
  });
});
