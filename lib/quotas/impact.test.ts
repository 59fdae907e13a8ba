import { describe, expect, it } from "vitest";
import { demandOf, exceededResources, isAutoApproved, monthlyCost, quotaImpact, type ProjectQuota } from "./impact";

const project: ProjectQuota = {
  quotaVcpu: 10,
  quotaMemoryMb: 16384,
  quotaDiskSsdGb: 500,
  quotaDiskHddGb: 1000,
  quotaMachines: 5,
  monthlyBudgetCents: 20000,
  usedVcpu: 4,
  usedMemoryMb: 8192,
  usedDiskSsdGb: 100,
  usedDiskHddGb: 900,
  usedMachines: 2,
  usedMonthlyCents: 9000,
};
const ssd = { vcpu: 2, memoryMb: 4096, diskGb: 100, diskTier: "SSD" as const, monthlyPriceCents: 3000 };
const hdd = { ...ssd, diskTier: "HDD" as const };

describe("cost and demand", () => {
  it("costs quantity x monthly price", () => expect(monthlyCost(ssd, 3)).toBe(9000));
  it("takes disk from the offering's tier only", () => {
    expect(demandOf(ssd, 2)).toEqual({ vcpu: 4, memoryMb: 8192, diskSsdGb: 200, diskHddGb: 0, machines: 2, monthlyCents: 6000 });
    expect(demandOf(hdd, 2)).toMatchObject({ diskSsdGb: 0, diskHddGb: 200 });
  });
  it("uses a fixed cost when given (the cost at submission)", () => expect(demandOf(ssd, 2, 5000).monthlyCents).toBe(5000));
});

describe("quotaImpact", () => {
  it("adds the request to the usage, resource by resource, with the tier's disk", () => {
    expect(quotaImpact(project, ssd, 2)).toEqual([
      { resource: "vcpu", unit: "count", used: 4, adding: 4, limit: 10, over: false },
      { resource: "memory", unit: "mib", used: 8192, adding: 8192, limit: 16384, over: false },
      { resource: "diskSsd", unit: "gb", used: 100, adding: 200, limit: 500, over: false },
      { resource: "machines", unit: "count", used: 2, adding: 2, limit: 5, over: false },
      { resource: "budget", unit: "cents", used: 9000, adding: 6000, limit: 20000, over: false },
    ]);
  });
  it("exactly at the limit fits; one over does not", () => {
    expect(exceededResources(quotaImpact(project, ssd, 3))).toEqual(["memory"]);
    expect(exceededResources(quotaImpact({ ...project, usedMachines: 3 }, ssd, 2))).toEqual([]);
    expect(exceededResources(quotaImpact({ ...project, usedMachines: 4 }, ssd, 2))).toEqual(["machines"]);
    expect(exceededResources(quotaImpact({ ...project, usedVcpu: 6 }, ssd, 2))).toEqual([]);
    expect(exceededResources(quotaImpact({ ...project, usedVcpu: 7 }, ssd, 2))).toEqual(["vcpu"]);
  });
  it("names the HDD tier and the budget", () => {
    expect(exceededResources(quotaImpact({ ...project, monthlyBudgetCents: 14000 }, hdd, 2))).toEqual(["diskHdd", "budget"]);
  });
  it("has no budget limit when the project has none", () => {
    const lines = quotaImpact({ ...project, monthlyBudgetCents: null }, ssd, 1);
    expect(lines.at(-1)).toEqual({ resource: "budget", unit: "cents", used: 9000, adding: 3000, limit: null, over: false });
  });
});

describe("isAutoApproved", () => {
  it("only strictly below the threshold, and only when there is one", () => {
    expect(isAutoApproved(5000, 4999)).toBe(true);
    expect(isAutoApproved(5000, 5000)).toBe(false);
    expect(isAutoApproved(5000, 5001)).toBe(false);
    expect(isAutoApproved(null, 0)).toBe(false);
  });
});
