import { describe, expect, it } from "vitest";
import { computePlan, type CurrentMachine, type PlanOffering } from "./plan";
import type { ResolvedMachine } from "./document";

const small: PlanOffering = { id: "o-s", name: "Small SSD", vcpu: 1, memoryMb: 2048, diskGb: 40, diskTier: "SSD", monthlyPriceCents: 1500 };
const large: PlanOffering = { id: "o-l", name: "Large SSD", vcpu: 4, memoryMb: 16384, diskGb: 160, diskTier: "SSD", monthlyPriceCents: 9800 };
const templates = [
  { id: "t-u", name: "Ubuntu 24.04 LTS" },
  { id: "t-d", name: "Debian 12" },
];
const project = {
  quotaVcpu: 10, quotaMemoryMb: 65536, quotaDiskSsdGb: 1000, quotaDiskHddGb: 0, quotaMachines: 5, monthlyBudgetCents: 30000,
  usedVcpu: 1, usedMemoryMb: 2048, usedDiskSsdGb: 40, usedDiskHddGb: 0, usedMachines: 1, usedMonthlyCents: 1500,
};
const group = (over: Partial<ResolvedMachine> = {}): ResolvedMachine => ({ name: "web", offering: "Small SSD", template: "Ubuntu 24.04 LTS", count: 2, placement: "auto", lease: null, userData: null, dependsOn: [], ...over });
const machine = (name: string, over: Partial<CurrentMachine> = {}): CurrentMachine => ({ id: `m-${name}`, name, group: "web", offeringId: "o-s", templateId: "t-u", state: "RUNNING", vcpu: 1, memoryMb: 2048, diskGb: 40, diskTier: "SSD", monthlyCents: 1500, ...over });
const plan = (machines: ResolvedMachine[], current: CurrentMachine[], destroy = false) => computePlan({ machines, offerings: [small, large], templates, current, project, destroy });
const summary = (p: ReturnType<typeof plan>) => p.changes.map((c) => `${c.action} ${c.name}`);

describe("computePlan", () => {
  it.each<[string, ResolvedMachine[], CurrentMachine[], string[], number]>([
    ["nothing runs: create every machine", [group()], [], ["create web-01", "create web-02"], 3000],
    ["everything matches: no change", [group()], [machine("web-01"), machine("web-02")], [], 0],
    ["scale out", [group({ count: 3 })], [machine("web-01"), machine("web-02")], ["create web-03"], 1500],
    ["scale in deletes the surplus", [group({ count: 1 })], [machine("web-01"), machine("web-02")], ["delete web-02"], -1500],
    ["offering change resizes in place", [group({ offering: "Large SSD", count: 1 })], [machine("web")], ["resize web"], 8300],
    ["template change replaces", [group({ template: "Debian 12", count: 1 })], [machine("web")], ["replace web"], 0],
    ["a group removed from the document is deleted", [], [machine("web-01")], ["delete web-01"], -1500],
    ["a machine deleted out of band is created again", [group({ count: 1 })], [machine("web", { state: "DELETED" })], ["create web"], 1500],
    ["a machine missing on its provider is replaced", [group({ count: 1 })], [machine("web", { driftReason: "Not found on the provider: it was deleted or moved outside Orquestra" })], ["replace web"], 0],
    ["a failed machine is replaced (deleted, then created under its name)", [group({ count: 1 })], [machine("web", { state: "FAILED" })], ["replace web"], 0],
    ["a machine stopped out of band is started", [group({ count: 1 })], [machine("web", { state: "STOPPED" })], ["start web"], 0],
    ["an adopted machine with another name fills a slot", [group({ count: 1 })], [machine("legacy-web")], [], 0],
  ])("%s", (_, machines, current, expected, delta) => {
    const p = plan(machines, current);
    expect(summary(p)).toEqual(expected);
    expect(p.monthlyDeltaCents).toBe(delta);
    expect(p.errors).toEqual([]);
  });

  it("destroy deletes everything the stack owns", () => {
    const p = plan([group()], [machine("web-01"), machine("web-02", { state: "STOPPED" })], true);
    expect(summary(p)).toEqual(["delete web-01", "delete web-02"]);
    expect(p.quota.find((l) => l.resource === "machines")!.adding).toBe(-2);
  });

  it("computes the quota impact with the request form's arithmetic and flags what goes over", () => {
    const p = plan([group({ count: 5 })], []);
    const byResource = Object.fromEntries(p.quota.map((l) => [l.resource, l]));
    expect(byResource.vcpu).toMatchObject({ used: 1, adding: 5, limit: 10, over: false });
    expect(byResource.machines).toMatchObject({ used: 1, adding: 5, limit: 5, over: true });
    expect(byResource.memory!.adding).toBe(5 * 2048);
    expect(p.newMachinesMonthlyCents).toBe(7500);
  });

  it("reports unknown offerings and templates instead of planning them", () => {
    const p = plan([group({ offering: "Huge", template: "Plan 9" })], []);
    expect(p.changes).toEqual([]);
    expect(p.errors.map((e) => e.message)).toEqual(['unknown or inactive offering "Huge"', 'unknown or inactive template "Plan 9"']);
  });

  it("orders groups in dependency waves", () => {
    const p = plan([group({ dependsOn: ["db"] }), group({ name: "db", count: 1, offering: "Large SSD" }), group({ name: "cache", count: 1 })], []);
    expect(p.waves).toEqual([["db", "cache"], ["web"]]);
  });
});
