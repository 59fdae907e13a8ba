// The machine page says truthfully what provisioning injected: on libvirt's test driver (no QEMU,
// nothing boots) nothing was, even where an older record says "libvirt".
import { describe, expect, it } from "vitest";
import { accessView, injectionMethod } from "./injection";
import { consoleKindOf } from "../console/availability";
import { runsNoGuest } from "../drivers/no-guest";

const RECORD = { method: "libvirt", user: "debian", keys: [{ name: "laptop", fingerprint: "SHA256:abc" }] };

describe("injection on a hypervisor that runs no guest", () => {
  it("libvirt's test driver (test:///, test+unix://) injects nothing; a real libvirt does", () => {
    for (const endpoint of ["test:///default", "test+unix:///default?socket=/run/libvirt-sock", " TEST:///x"]) {
      expect(runsNoGuest("LIBVIRT", endpoint), endpoint).toBe(true);
      expect(injectionMethod("LIBVIRT", endpoint), endpoint).toBeNull();
    }
    for (const endpoint of ["qemu:///system", "qemu+ssh://kvm1/system", "qemu+unix:///session?socket=/x/test"]) {
      expect(runsNoGuest("LIBVIRT", endpoint), endpoint).toBe(false);
      expect(injectionMethod("LIBVIRT", endpoint), endpoint).toBe("libvirt");
    }
    // Other kinds are not matched by a libvirt URI shape; no endpoint: the kind decides.
    expect(runsNoGuest("LXD", "test:///default")).toBe(false);
    expect(injectionMethod("LIBVIRT")).toBe("libvirt");
    // The console says the same (no VNC display there).
    expect(consoleKindOf("LIBVIRT", "test:///default")).toBeNull();
    expect(consoleKindOf("LIBVIRT", "qemu:///system")).toBe("vnc");
  });

  it("the machine page's view: no method and no keys on the test driver, whatever the record says", () => {
    const none = accessView(RECORD, "orq-web-1", { kind: "LIBVIRT", endpoint: "test:///default" });
    expect(none).toEqual({ recorded: true, noGuest: true, method: null, user: "debian", keys: [], ref: "orq-web-1" });
    const real = accessView(RECORD, "orq-web-1", { kind: "LIBVIRT", endpoint: "qemu:///system" });
    expect(real).toMatchObject({ noGuest: false, method: "libvirt", keys: RECORD.keys });
    expect(accessView(null, null, null)).toMatchObject({ recorded: false, noGuest: false, method: null });
  });
});
