// The web side's capability table is the profiles' (lib/drivers/registry.test.ts proves each
// driver declares the same); a machine not yet placed has none.
import { describe, expect, it } from "vitest";
import { hasCapability, PROVIDER_CAPABILITIES } from "./capabilities";

describe("provider capabilities", () => {
  it("answers per kind", () => {
    expect(hasCapability("LXD", "snapshots")).toBe(true);
    expect(hasCapability("DOCKER", "snapshots")).toBe(false);
    expect(hasCapability("DOCKER", "resize")).toBe(true);
    expect(hasCapability("SIMULATOR", "migrate")).toBe(true);
    expect(hasCapability("EC2", "resize")).toBe(true);
    expect(hasCapability("HYPERV", "snapshots")).toBe(true);
    expect(hasCapability("AZURE", "migrate")).toBe(false);
    expect(hasCapability(null, "resize")).toBe(false);
    expect(PROVIDER_CAPABILITIES.KUBERNETES).toEqual([]);
  });
});
