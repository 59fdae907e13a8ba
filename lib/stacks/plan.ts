// The plan: what applying a document would change against what runs, with the cost and quota
// impact computed with the request form's arithmetic (lib/quotas/impact, resize-impact).
// Pure: the page, the API, the command line and the approver see the same plan.
import { generateNames } from "../requests/names";
import { demandOf, type Demand, type OfferingSize, type ProjectQuota, type QuotaResource } from "../quotas/impact";
import { resizeDelta } from "../machines/resize-impact";
import { workloadDemand } from "../workloads/reservation";
import { IMAGE_RE } from "../workloads/schemas";
import { dependencyWaves, type ResolvedMachine, type ResolvedWorkload } from "./document";

export interface PlanOffering extends OfferingSize {
  id: string;
  name: string;
}
export interface PlanTemplate {
  id: string;
  name: string;
}
/** A machine the stack owns now. */
export interface CurrentMachine {
  id: string;
  name: string;
  group: string;
  offeringId: string;
  templateId: string;
  state: string;
  vcpu: number;
  memoryMb: number;
  diskGb: number;
  diskTier: OfferingSize["diskTier"];
  monthlyCents: number;
  /** The inventory sync's finding (sync-inventory.ts): missing on the provider, power changed. */
  driftReason?: string | null;
}

/** The inventory sync's reason for a machine gone from its provider (MISSING_REASON). */
export const isMissing = (m: Pick<CurrentMachine, "driftReason">) => !!m.driftReason && m.driftReason.startsWith("Not found on the provider");

export type PlanChange =
  | { action: "create"; group: string; name: string; offeringId: string; offering: string; templateId: string; template: string; monthlyCents: number }
  | { action: "resize"; group: string; name: string; machineId: string; fromOffering: string; offeringId: string; offering: string; monthlyDeltaCents: number }
  | { action: "replace"; group: string; name: string; machineId: string; reason: "template" | "missing" | "failed"; fromTemplate: string; templateId: string; template: string; offeringId: string; offering: string; monthlyDeltaCents: number }
  | { action: "delete"; group: string; name: string; machineId: string; monthlyDeltaCents: number }
  | { action: "start"; group: string; name: string; machineId: string; monthlyDeltaCents: 0 };

/** A container workload the stack owns now (labelled with the stack's id). */
export interface CurrentWorkload {
  id: string;
  name: string;
  state: string;
  image: string;
  command: string[] | null;
  replicas: number;
  offeringId: string;
  providerId: string | null;
  ports: { containerPort: number; protocol: string }[];
  env: Record<string, string>;
  healthCheck: { command: string[]; intervalSeconds: number; retries: number } | null;
  vcpu: number;
  memoryMb: number;
  monthlyCents: number;
}

/** What replaces a workload (it is deleted, then created again with the document's spec). */
export type WorkloadReplaceReason = "offering" | "command" | "env" | "ports" | "healthCheck" | "provider" | "failed";

export type WorkloadChange =
  | { action: "create"; name: string; image: string; replicas: number; offeringId: string; offering: string; monthlyCents: number }
  | { action: "scale"; name: string; workloadId: string; fromReplicas: number; replicas: number; monthlyDeltaCents: number }
  | { action: "rollout"; name: string; workloadId: string; fromImage: string; image: string; monthlyDeltaCents: 0 }
  | { action: "replace"; name: string; workloadId: string; reason: WorkloadReplaceReason; monthlyDeltaCents: number }
  | { action: "delete"; name: string; workloadId: string; monthlyDeltaCents: number };

export interface StackPlan {
  changes: PlanChange[];
  /** Container workload changes (each workload is its own group in the waves). */
  workloadChanges: WorkloadChange[];
  /** Machine groups in dependency order (each wave after the previous one is running). */
  waves: string[][];
  unchanged: number;
  /** Monthly cost change in cents (creates and resizes add, deletes give back). */
  monthlyDeltaCents: number;
  /** Cost of the new machines only (what the approval threshold compares, as for a request). */
  newMachinesMonthlyCents: number;
  quota: { resource: QuotaResource; used: number; adding: number; limit: number | null; over: boolean }[];
  errors: { group: string; message: string }[];
}

const ZERO: Demand = { vcpu: 0, memoryMb: 0, diskSsdGb: 0, diskHddGb: 0, machines: 0, monthlyCents: 0 };
const add = (a: Demand, b: Demand, k = 1): Demand => ({
  vcpu: a.vcpu + k * b.vcpu,
  memoryMb: a.memoryMb + k * b.memoryMb,
  diskSsdGb: a.diskSsdGb + k * b.diskSsdGb,
  diskHddGb: a.diskHddGb + k * b.diskHddGb,
  machines: a.machines + k * b.machines,
  monthlyCents: a.monthlyCents + k * b.monthlyCents,
});
const demandOfMachine = (m: CurrentMachine): Demand => demandOf({ ...m, monthlyPriceCents: m.monthlyCents }, 1);

/** States where a machine is gone or going (it must be created again); a FAILED one is replaced. */
const GONE = new Set(["DELETED", "DELETING"]);
const STOPPED = new Set(["STOPPED"]);
/** A workload deleted (in or out of the stack's runs) is created again. */
const GONE_WORKLOAD = new Set(["DELETED", "DELETING"]);

const sameJson = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
const sortedEntries = (m: Record<string, string>) => Object.entries(m).sort(([a], [b]) => a.localeCompare(b));

/** Why a workload cannot be changed in place (the workload verbs scale and roll out only). */
function workloadReplaceReason(w: ResolvedWorkload, cur: CurrentWorkload, offeringId: string, providerId: string | null): WorkloadReplaceReason | null {
  if (cur.state === "FAILED") return "failed";
  if (cur.offeringId !== offeringId) return "offering";
  if (providerId !== null && cur.providerId !== providerId) return "provider";
  if (!sameJson(w.command, cur.command)) return "command";
  if (!sameJson(sortedEntries(w.env), sortedEntries(cur.env))) return "env";
  if (!sameJson(w.ports.map((p) => [p.containerPort, p.protocol]), cur.ports.map((p) => [p.containerPort, p.protocol]))) return "ports";
  const check = (h: CurrentWorkload["healthCheck"]) => (h ? [h.command, h.intervalSeconds, h.retries] : null);
  if (!sameJson(check(w.healthCheck), check(cur.healthCheck))) return "healthCheck";
  return null;
}

export function computePlan(input: {
  machines: readonly ResolvedMachine[];
  offerings: readonly PlanOffering[];
  templates: readonly PlanTemplate[];
  current: readonly CurrentMachine[];
  /** The document's workloads and the ones the stack owns (absent: none). */
  workloads?: readonly ResolvedWorkload[];
  currentWorkloads?: readonly CurrentWorkload[];
  /** Provider names to ids, for a workload's `provider:<name>` placement. */
  providers?: readonly { id: string; name: string }[];
  project: ProjectQuota;
  /** Destroy: every machine goes. */
  destroy?: boolean;
}): StackPlan {
  const changes: PlanChange[] = [];
  const errors: StackPlan["errors"] = [];
  const offeringByName = new Map(input.offerings.map((o) => [o.name, o]));
  const offeringById = new Map(input.offerings.map((o) => [o.id, o]));
  const templateByName = new Map(input.templates.map((t) => [t.name, t]));
  const templateById = new Map(input.templates.map((t) => [t.id, t]));
  let demand = ZERO;
  let newCents = 0;
  let unchanged = 0;
  const wanted = input.destroy ? [] : input.machines;
  const groups = new Set(wanted.map((m) => m.name));
  const live = input.current.filter((m) => !GONE.has(m.state));

  for (const g of wanted) {
    const offering = offeringByName.get(g.offering);
    const template = templateByName.get(g.template);
    if (!offering) errors.push({ group: g.name, message: `unknown or inactive offering "${g.offering}"` });
    if (!template) errors.push({ group: g.name, message: `unknown or inactive template "${g.template}"` });
    if (!offering || !template) continue;
    const names = generateNames(g.name, g.count);
    const mine = live.filter((m) => m.group === g.name).sort((a, b) => a.name.localeCompare(b.name));
    // Machines whose names the document still wants keep them; others fill free slots in order.
    const byName = new Map(mine.map((m) => [m.name, m]));
    const kept: CurrentMachine[] = [];
    const free = names.filter((n) => !byName.has(n));
    const extra = mine.filter((m) => !names.includes(m.name));
    for (const n of names) if (byName.has(n)) kept.push(byName.get(n)!);
    // Extra machines (other names) count as replicas while slots are free (an adopted set).
    while (free.length && extra.length) {
      kept.push(extra.shift()!);
      free.shift();
    }
    for (const m of kept) {
      if (m.templateId !== template.id || isMissing(m) || m.state === "FAILED") {
        const from = demandOfMachine(m);
        const to = demandOf(offering, 1);
        demand = add(add(demand, to), from, -1);
        newCents += offering.monthlyPriceCents;
        changes.push({ action: "replace", group: g.name, name: m.name, machineId: m.id, reason: m.state === "FAILED" ? "failed" : isMissing(m) ? "missing" : "template", fromTemplate: templateById.get(m.templateId)?.name ?? m.templateId, templateId: template.id, template: template.name, offeringId: offering.id, offering: offering.name, monthlyDeltaCents: offering.monthlyPriceCents - m.monthlyCents });
      } else if (m.offeringId !== offering.id) {
        const d = resizeDelta({ ...m, monthlyPriceCents: m.monthlyCents }, offering);
        demand = add(demand, d);
        changes.push({ action: "resize", group: g.name, name: m.name, machineId: m.id, fromOffering: offeringById.get(m.offeringId)?.name ?? m.offeringId, offeringId: offering.id, offering: offering.name, monthlyDeltaCents: d.monthlyCents });
      } else if (STOPPED.has(m.state)) {
        changes.push({ action: "start", group: g.name, name: m.name, machineId: m.id, monthlyDeltaCents: 0 });
      } else {
        unchanged++;
      }
    }
    for (const n of free) {
      demand = add(demand, demandOf(offering, 1));
      newCents += offering.monthlyPriceCents;
      changes.push({ action: "create", group: g.name, name: n, offeringId: offering.id, offering: offering.name, templateId: template.id, template: template.name, monthlyCents: offering.monthlyPriceCents });
    }
    for (const m of extra) {
      demand = add(demand, demandOfMachine(m), -1);
      changes.push({ action: "delete", group: g.name, name: m.name, machineId: m.id, monthlyDeltaCents: -m.monthlyCents });
    }
  }
  for (const m of live.filter((x) => !groups.has(x.group)).sort((a, b) => a.name.localeCompare(b.name))) {
    demand = add(demand, demandOfMachine(m), -1);
    changes.push({ action: "delete", group: m.group, name: m.name, machineId: m.id, monthlyDeltaCents: -m.monthlyCents });
  }
  const workloadChanges: WorkloadChange[] = [];
  const wantedWorkloads = input.destroy ? [] : (input.workloads ?? []);
  const liveWorkloads = (input.currentWorkloads ?? []).filter((w) => !GONE_WORKLOAD.has(w.state));
  for (const w of wantedWorkloads) {
    const offering = offeringByName.get(w.offering);
    if (!offering) {
      errors.push({ group: w.name, message: `unknown or inactive offering "${w.offering}"` });
      continue;
    }
    const providerName = w.placement.startsWith("provider:") ? w.placement.slice("provider:".length) : null;
    const providerId = providerName === null ? null : (input.providers ?? []).find((p) => p.name === providerName)?.id;
    if (providerId === undefined) {
      errors.push({ group: w.name, message: `unknown provider "${providerName}" in placement` });
      continue;
    }
    if (!IMAGE_RE.test(w.image)) {
      errors.push({ group: w.name, message: `"${w.image}" is not an image reference` });
      continue;
    }
    const cur = liveWorkloads.find((x) => x.name === w.name);
    const per = { vcpu: offering.vcpu, memoryMb: offering.memoryMb, monthlyCents: offering.monthlyPriceCents };
    if (!cur) {
      demand = add(demand, workloadDemand(per, w.replicas));
      workloadChanges.push({ action: "create", name: w.name, image: w.image, replicas: w.replicas, offeringId: offering.id, offering: offering.name, monthlyCents: per.monthlyCents * w.replicas });
      continue;
    }
    const reason = workloadReplaceReason(w, cur, offering.id, providerId);
    if (reason) {
      demand = add(add(demand, workloadDemand(per, w.replicas)), workloadDemand(cur, cur.replicas), -1);
      workloadChanges.push({ action: "replace", name: w.name, workloadId: cur.id, reason, monthlyDeltaCents: per.monthlyCents * w.replicas - cur.monthlyCents * cur.replicas });
      continue;
    }
    let changed = false;
    if (cur.image !== w.image) {
      workloadChanges.push({ action: "rollout", name: w.name, workloadId: cur.id, fromImage: cur.image, image: w.image, monthlyDeltaCents: 0 });
      changed = true;
    }
    if (cur.replicas !== w.replicas) {
      demand = add(demand, workloadDemand(cur, w.replicas - cur.replicas));
      workloadChanges.push({ action: "scale", name: w.name, workloadId: cur.id, fromReplicas: cur.replicas, replicas: w.replicas, monthlyDeltaCents: cur.monthlyCents * (w.replicas - cur.replicas) });
      changed = true;
    }
    if (!changed) unchanged++;
  }
  const workloadNames = new Set(wantedWorkloads.map((w) => w.name));
  for (const w of liveWorkloads.filter((x) => !workloadNames.has(x.name)).sort((a, b) => a.name.localeCompare(b.name))) {
    demand = add(demand, workloadDemand(w, w.replicas), -1);
    workloadChanges.push({ action: "delete", name: w.name, workloadId: w.id, monthlyDeltaCents: -w.monthlyCents * w.replicas });
  }

  const p = input.project;
  const line = (resource: QuotaResource, used: number, adding: number, limit: number | null) => ({ resource, used, adding, limit, over: adding > 0 && limit !== null && used + adding > limit });
  return {
    changes,
    workloadChanges,
    waves: dependencyWaves([...wanted, ...wantedWorkloads]),
    unchanged,
    monthlyDeltaCents: demand.monthlyCents,
    newMachinesMonthlyCents: newCents,
    quota: [
      line("vcpu", p.usedVcpu, demand.vcpu, p.quotaVcpu),
      line("memory", p.usedMemoryMb, demand.memoryMb, p.quotaMemoryMb),
      line("diskSsd", p.usedDiskSsdGb, demand.diskSsdGb, p.quotaDiskSsdGb),
      line("diskHdd", p.usedDiskHddGb, demand.diskHddGb, p.quotaDiskHddGb),
      line("machines", p.usedMachines, demand.machines, p.quotaMachines),
      line("budget", p.usedMonthlyCents, demand.monthlyCents, p.monthlyBudgetCents),
    ],
    errors,
  };
}
