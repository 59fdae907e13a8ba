import { describe, expect, it } from "vitest";
import { capacityOf, freeAfter, noCapacityReason, rankHosts, shuffleTies, whyIneligible, type PlacementHost, type PlacementNeed } from "./placement";

const need: PlacementNeed = { vcpu: 2, memoryMb: 4096, diskGb: 50, diskTier: "SSD" };

let n = 0;
function host(over: Partial<PlacementHost> = {}): PlacementHost {
  n += 1;
  return {
    id: `h${String(n).padStart(3, "0")}`,
    providerId: "p1",
    state: "ACTIVE",
    providerStatus: "ACTIVE",
    hasTemplate: true,
    vcpuTotal: 16,
    memoryMbTotal: 65536,
    diskSsdGbTotal: 1000,
    diskHddGbTotal: 0,
    vcpuUsed: 0,
    memoryMbUsed: 0,
    diskSsdGbUsed: 0,
    diskHddGbUsed: 0,
    cpuOvercommit: 4,
    memoryOvercommit: 1,
    diskOvercommit: 1,
    placementPolicy: "SPREAD",
    siblings: 0,
    ...over,
  };
}

describe("placement filters", () => {
  it("accepts an active host with room, the template and the tier", () => {
    expect(whyIneligible(host(), need)).toBeNull();
  });

  it("refuses hosts in maintenance or disabled, and inactive providers", () => {
    expect(whyIneligible(host({ state: "MAINTENANCE" }), need)).toBe("HOST_NOT_ACTIVE");
    expect(whyIneligible(host({ state: "DISABLED" }), need)).toBe("HOST_NOT_ACTIVE");
    expect(whyIneligible(host({ providerStatus: "UNAVAILABLE" }), need)).toBe("PROVIDER_NOT_ACTIVE");
    expect(whyIneligible(host({ providerStatus: "DISABLED" }), need)).toBe("PROVIDER_NOT_ACTIVE");
  });

  it("refuses a provider without the template and a host without the disk tier", () => {
    expect(whyIneligible(host({ hasTemplate: false }), need)).toBe("NO_TEMPLATE");
    expect(whyIneligible(host({ diskSsdGbTotal: 0, diskHddGbTotal: 4000 }), need)).toBe("NO_DISK_TIER");
    expect(whyIneligible(host({ diskSsdGbTotal: 0, diskHddGbTotal: 4000 }), { ...need, diskTier: "HDD" })).toBeNull();
  });

  it("applies the overcommit ratios: CPU 4:1 lets 16 cores hold 64 vCPU, memory 1:1 holds exactly the total", () => {
    expect(capacityOf(host(), "SSD")).toMatchObject({ vcpu: 64, memoryMb: 65536, diskGb: 1000 });
    expect(whyIneligible(host({ vcpuUsed: 62 }), need)).toBeNull(); // 62 + 2 = 64
    expect(whyIneligible(host({ vcpuUsed: 63 }), need)).toBe("NO_VCPU");
    expect(whyIneligible(host({ vcpuUsed: 62, cpuOvercommit: 1 }), need)).toBe("NO_VCPU");
    expect(whyIneligible(host({ memoryMbUsed: 65536 - 4096 }), need)).toBeNull();
    expect(whyIneligible(host({ memoryMbUsed: 65536 - 4095 }), need)).toBe("NO_MEMORY");
    expect(whyIneligible(host({ memoryMbUsed: 65536, memoryOvercommit: 1.5 }), need)).toBeNull();
    expect(whyIneligible(host({ diskSsdGbUsed: 951 }), need)).toBe("NO_DISK");
    expect(whyIneligible(host({ diskSsdGbUsed: 951, diskOvercommit: 2 }), need)).toBeNull();
  });

  it("explains a failure in plain words", () => {
    expect(noCapacityReason(need)).toContain("2 vCPU, 4 GiB of memory and 50 GB of SSD disk");
  });
});

describe("placement scoring", () => {
  const empty = host({ id: "empty" });
  const half = host({ id: "half", vcpuUsed: 32, memoryMbUsed: 32768, diskSsdGbUsed: 500 });
  const full = host({ id: "almost-full", vcpuUsed: 60, memoryMbUsed: 60000, diskSsdGbUsed: 900 });

  it("measures free capacity after placement", () => {
    expect(freeAfter(empty, need)).toBeCloseTo((62 / 64 + (65536 - 4096) / 65536 + 950 / 1000) / 3);
    expect(freeAfter(full, need)).toBeLessThan(freeAfter(half, need));
  });

  it("spread picks the most free host", () => {
    expect(rankHosts([half, full, empty], need).map((h) => h.id)).toEqual(["empty", "half", "almost-full"]);
  });

  it("pack picks the least free host that still fits", () => {
    const pack = [half, full, empty].map((h) => ({ ...h, placementPolicy: "PACK" as const }));
    expect(rankHosts(pack, need).map((h) => h.id)).toEqual(["almost-full", "half", "empty"]);
  });

  it("prefers hosts without machines of the same request, even if fuller", () => {
    const ranked = rankHosts([{ ...empty, siblings: 1 }, half, { ...full, siblings: 2 }], need);
    expect(ranked.map((h) => h.id)).toEqual(["half", "empty", "almost-full"]);
  });

  it("still places next to a sibling when no other host fits (anti-affinity where possible)", () => {
    const ranked = rankHosts([{ ...empty, siblings: 1 }, host({ id: "maint", state: "MAINTENANCE" })], need);
    expect(ranked.map((h) => h.id)).toEqual(["empty"]);
  });

  it("drops ineligible hosts and returns nothing when nothing fits", () => {
    expect(rankHosts([host({ hasTemplate: false }), host({ vcpuUsed: 64 }), host({ state: "MAINTENANCE" })], need)).toEqual([]);
  });

  it("is deterministic on ties", () => {
    const a = host({ id: "b-host" });
    const b = host({ id: "a-host" });
    expect(rankHosts([a, b], need).map((h) => h.id)).toEqual(["a-host", "b-host"]);
  });
});

describe("burst spreading", () => {
  it("shuffles only the hosts tied with the best under spread, never under pack", () => {
    const a = host({ id: "a" });
    const b = host({ id: "b" });
    const fuller = host({ id: "fuller", vcpuUsed: 40, memoryMbUsed: 40000 });
    const ranked = rankHosts([a, b, fuller], need);
    const seen = new Set<string>();
    for (let i = 0; i < 50; i++) {
      const order = shuffleTies(ranked, need);
      seen.add(order[0].id);
      expect(order[2].id).toBe("fuller");
    }
    expect(seen).toEqual(new Set(["a", "b"]));
    const packed = rankHosts([a, b, fuller].map((h) => ({ ...h, placementPolicy: "PACK" as const })), need);
    expect(shuffleTies(packed, need, () => 0.99).map((h) => h.id)).toEqual(packed.map((h) => h.id));
  });
});
