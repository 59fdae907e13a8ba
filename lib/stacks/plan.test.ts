import { describe, expect, it } from "vitest";
import { computePlan, type CurrentMachine, type CurrentWorkload, type PlanOffering } from "./plan";
import type { ResolvedMachine, ResolvedWorkload } from "./document";

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

const api = (over: Partial<ResolvedWorkload> = {}): ResolvedWorkload => ({ name: "api", image: "localhost/api:1", command: null, replicas: 2, offering: "Small SSD", placement: "auto", ports: [{ containerPort: 8080, protocol: "TCP" }], env: { MODE: "prod" }, healthCheck: null, dependsOn: [], ...over });
const running = (over: Partial<CurrentWorkload> = {}): CurrentWorkload => ({ id: "w-api", name: "api", state: "RUNNING", image: "localhost/api:1", command: null, replicas: 2, offeringId: "o-s", providerId: "p-1", ports: [{ containerPort: 8080, protocol: "TCP" }], env: { MODE: "prod" }, healthCheck: null, vcpu: 1, memoryMb: 2048, monthlyCents: 1500, ...over });
const planW = (workloads: ResolvedWorkload[], current: CurrentWorkload[], destroy = false) =>
  computePlan({ machines: [], offerings: [small, large], templates, current: [], workloads, currentWorkloads: current, providers: [{ id: "p-1", name: "podman" }, { id: "p-2", name: "kube" }], project, destroy });
const summaryW = (p: ReturnType<typeof planW>) => p.workloadChanges.map((c) => (c.action === "replace" ? `replace ${c.name} (${c.reason})` : `${c.action} ${c.name}`));

describe("computePlan: container workloads", () => {
  it.each<[string, ResolvedWorkload[], CurrentWorkload[], string[], number]>([
    ["nothing runs: create it", [api()], [], ["create api"], 3000],
    ["everything matches: no change", [api()], [running()], [], 0],
    ["more replicas scale in place", [api({ replicas: 5 })], [running()], ["scale api"], 4500],
    ["fewer replicas scale in place", [api({ replicas: 1 })], [running()], ["scale api"], -1500],
    ["a new image rolls out", [api({ image: "localhost/api:2" })], [running()], ["rollout api"], 0],
    ["a new image and a new count: roll out and scale", [api({ image: "localhost/api:2", replicas: 3 })], [running()], ["rollout api", "scale api"], 1500],
    ["an environment change replaces it", [api({ env: { MODE: "debug" } })], [running()], ["replace api (env)"], 0],
    ["the same environment in another order is no change", [api({ env: { A: "1", B: "2" } })], [running({ env: { B: "2", A: "1" } })], [], 0],
    ["a command change replaces it", [api({ command: ["serve", "--fast"] })], [running()], ["replace api (command)"], 0],
    ["a port change replaces it", [api({ ports: [] })], [running()], ["replace api (ports)"], 0],
    ["a health check added replaces it", [api({ healthCheck: { command: ["true"], intervalSeconds: 10, retries: 3 } })], [running()], ["replace api (healthCheck)"], 0],
    ["a health check stored with its keys in another order is no change", [api({ healthCheck: { command: ["true"], intervalSeconds: 10, retries: 3 } })], [running({ healthCheck: { retries: 3, command: ["true"], intervalSeconds: 10 } as CurrentWorkload["healthCheck"] })], [], 0],
    ["an offering change replaces it (per-replica limits are fixed at creation)", [api({ offering: "Large SSD" })], [running()], ["replace api (offering)"], 16600],
    ["another provider replaces it", [api({ placement: "provider:kube" })], [running()], ["replace api (provider)"], 0],
    ["a failed workload is recreated", [api()], [running({ state: "FAILED" })], ["replace api (failed)"], 0],
    ["replicas changed out of band are scaled back", [api()], [running({ replicas: 7 })], ["scale api"], -7500],
    ["a workload deleted out of band is created again", [api()], [running({ state: "DELETED" })], ["create api"], 3000],
    ["a workload removed from the document is deleted", [], [running()], ["delete api"], -3000],
  ])("%s", (_, workloads, current, expected, delta) => {
    const p = planW(workloads, current);
    expect(p.errors).toEqual([]);
    expect(summaryW(p)).toEqual(expected);
    expect(p.monthlyDeltaCents).toBe(delta);
    expect(p.changes).toEqual([]);
  });

  it("destroy deletes every workload and gives its quota back", () => {
    const p = planW([api()], [running()], true);
    expect(summaryW(p)).toEqual(["delete api"]);
    expect(p.quota.find((l) => l.resource === "vcpu")!.adding).toBe(-2);
    expect(p.quota.find((l) => l.resource === "machines")!.adding).toBe(0);
  });

  it("reserves replicas x the offering in the quota impact", () => {
    const p = planW([api({ replicas: 10 })], []);
    expect(p.quota.find((l) => l.resource === "vcpu")).toMatchObject({ used: 1, adding: 10, limit: 10, over: true });
    expect(p.quota.find((l) => l.resource === "memory")).toMatchObject({ adding: 10 * 2048, over: false });
    expect(p.quota.find((l) => l.resource === "budget")).toMatchObject({ adding: 15000, over: false });
    expect(p.quota.find((l) => l.resource === "machines")).toMatchObject({ adding: 0, over: false });
  });

  it("reports an unknown offering, an unknown provider and an image that is not one after substitution", () => {
    const p = planW([api({ offering: "Huge" }), api({ name: "b", placement: "provider:nowhere" }), api({ name: "c", image: "Not An Image" })], []);
    expect(p.workloadChanges).toEqual([]);
    expect(p.errors).toEqual([
      { group: "api", message: 'unknown or inactive offering "Huge"' },
      { group: "b", message: 'unknown provider "nowhere" in placement' },
      { group: "c", message: '"Not An Image" is not an image reference' },
    ]);
  });

  it("puts workloads in the dependency waves with the machines", () => {
    const p = computePlan({ machines: [group({ name: "db", count: 1 })], offerings: [small], templates, current: [], workloads: [api({ dependsOn: ["db"] })], currentWorkloads: [], project });
    expect(p.waves).toEqual([["db"], ["api"]]);
  });
});
