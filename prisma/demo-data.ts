// Demo data for the embedded default (and `npm run db:seed`). Never part of a production
// seed: it creates known passwords.
import fs from "node:fs";
import path from "node:path";
import type { PrismaClient } from "../lib/generated/prisma/client";
import { hashPassword } from "../lib/auth/passwords";
import { seedDemoPrices } from "./demo-prices";
import { parseStackYaml } from "../lib/stacks/parse";
import { DEMO_BACKEND_REASON } from "../lib/providers/status-reason";

export const DEMO_PASSWORD = "orquestra";
export const DEMO_LOGINS = [
  { email: "admin@orquestra.local", name: "Ada Admin", role: "administrator" },
  { email: "approver@orquestra.local", name: "Paulo Approver", role: "approver of every demo project" },
  { email: "alice@orquestra.local", name: "Alice Martins", role: "member of Web Platform and Internal Tools" },
  { email: "bob@orquestra.local", name: "Bob Souza", role: "member of Data Science" },
  { email: "finance@orquestra.local", name: "Fernanda Finance", role: "finance approver of Data Science (second stage, from $100/month)" },
] as const;

/** Data Science's two-stage approval policy: its project approver, then finance from this monthly cost. */
export const DEMO_FINANCE_THRESHOLD_CENTS = 10000;

const GiB = 1024;

const OFFERINGS = [
  { name: "Small SSD", vcpu: 1, memoryMb: 2 * GiB, diskGb: 40, diskTier: "SSD", monthlyPriceCents: 1500, description: "Light services, bastions, small tools" },
  { name: "Medium SSD", vcpu: 2, memoryMb: 4 * GiB, diskGb: 80, diskTier: "SSD", monthlyPriceCents: 3200, description: "Web and application servers" },
  { name: "Large SSD", vcpu: 4, memoryMb: 16 * GiB, diskGb: 160, diskTier: "SSD", monthlyPriceCents: 9800, description: "Databases and busy services" },
  { name: "XLarge SSD", vcpu: 8, memoryMb: 32 * GiB, diskGb: 320, diskTier: "SSD", monthlyPriceCents: 19500, description: "Heavy databases, build agents" },
  { name: "Compute 16", vcpu: 16, memoryMb: 32 * GiB, diskGb: 200, diskTier: "SSD", monthlyPriceCents: 31000, description: "CPU-bound batch work" },
  { name: "Memory 8x64", vcpu: 8, memoryMb: 64 * GiB, diskGb: 200, diskTier: "SSD", monthlyPriceCents: 34000, description: "In-memory caches and analytics" },
  { name: "Small HDD", vcpu: 1, memoryMb: 2 * GiB, diskGb: 200, diskTier: "HDD", monthlyPriceCents: 1100, description: "Archives and low-traffic file servers" },
  { name: "Medium HDD", vcpu: 2, memoryMb: 4 * GiB, diskGb: 500, diskTier: "HDD", monthlyPriceCents: 2400, description: "Backups and bulk storage" },
  { name: "Storage 4x1T", vcpu: 4, memoryMb: 8 * GiB, diskGb: 1000, diskTier: "HDD", monthlyPriceCents: 5200, description: "Object and log storage" },
] as const;

const TEMPLATES = [
  { name: "Ubuntu 24.04 LTS", osFamily: "LINUX", osName: "Ubuntu", osVersion: "24.04", minDiskGb: 10, description: "Noble Numbat, cloud-init enabled" },
  { name: "Debian 12", osFamily: "LINUX", osName: "Debian", osVersion: "12", minDiskGb: 10, description: "Bookworm, cloud-init enabled" },
  { name: "Rocky Linux 9", osFamily: "LINUX", osName: "Rocky Linux", osVersion: "9", minDiskGb: 20, description: "RHEL-compatible, cloud-init enabled" },
  { name: "Windows Server 2022", osFamily: "WINDOWS", osName: "Windows Server", osVersion: "2022", minDiskGb: 64, description: "Datacenter edition, sysprepped" },
] as const;

export async function seedDemo(db: PrismaClient): Promise<void> {
  const passwordHash = await hashPassword(DEMO_PASSWORD);
  const users: Record<string, string> = {};
  for (const l of DEMO_LOGINS) {
    const u = await db.user.upsert({
      where: { email: l.email },
      update: {},
      create: { email: l.email, name: l.name, passwordHash, role: l.email.startsWith("admin@") ? "ADMIN" : "USER" },
    });
    users[l.email.split("@")[0]] = u.id;
  }

  // Placement: Web Platform members pick the provider from the price comparison; Data Science
  // keeps to private providers first; Internal Tools takes the cheapest with room.
  const projects = [
    { name: "Web Platform", slug: "web-platform", description: "Public web sites and APIs", member: "alice", autoApproveBelowCents: 2000, budget: 500000, placementPolicy: "CHEAPEST", providerChoice: true },
    { name: "Data Science", slug: "data-science", description: "Analytics and model training", member: "bob", autoApproveBelowCents: null, budget: 800000, placementPolicy: "PRIVATE_FIRST", providerChoice: false },
    { name: "Internal Tools", slug: "internal-tools", description: "Back-office applications", member: "alice", autoApproveBelowCents: null, budget: 200000, placementPolicy: "CHEAPEST", providerChoice: false },
  ] as const;
  for (const p of projects) {
    const project = await db.project.upsert({
      where: { slug: p.slug },
      update: {},
      create: {
        name: p.name,
        slug: p.slug,
        description: p.description,
        quotaVcpu: 64,
        quotaMemoryMb: 256 * GiB,
        quotaDiskSsdGb: 4000,
        quotaDiskHddGb: 10000,
        quotaMachines: 40,
        monthlyBudgetCents: p.budget,
        autoApproveBelowCents: p.autoApproveBelowCents,
        maxLeaseDays: 90,
        leaseGraceDays: 7,
        placementPolicy: p.placementPolicy,
        providerChoice: p.providerChoice,
        // Approvers hear about the budget at 80 % and 100 % of it, and when the month's forecast passes it.
        budgetThresholds: { create: [{ percent: 80, basis: "ACTUAL" }, { percent: 100, basis: "ACTUAL" }, { percent: 100, basis: "FORECAST" }] },
      },
    });
    const members: [string, "MEMBER" | "APPROVER"][] = [
      [p.member, "MEMBER"],
      ["approver", "APPROVER"],
    ];
    // Finance approves Data Science's dearer requests (the second stage below).
    if (p.slug === "data-science") members.push(["finance", "APPROVER"]);
    for (const [who, role] of members) {
      await db.projectMember.upsert({
        where: { projectId_userId: { projectId: project.id, userId: users[who] } },
        update: {},
        create: { projectId: project.id, userId: users[who], role },
      });
    }
    // A two-stage policy to walk through: the project approver, then finance from $100/month.
    if (p.slug === "data-science" && (await db.approvalStage.count({ where: { projectId: project.id } })) === 0) {
      await db.approvalStage.createMany({
        data: [
          { projectId: project.id, position: 1, name: "Project approver", projectRole: null, approverIds: [users.approver] },
          { projectId: project.id, position: 2, name: "Finance", projectRole: null, approverIds: [users.finance], minMonthlyCents: DEMO_FINANCE_THRESHOLD_CENTS },
        ],
      });
    }
  }

  for (const o of OFFERINGS) {
    await db.offering.upsert({ where: { name: o.name }, update: {}, create: { ...o } });
  }
  const templates = [];
  for (const t of TEMPLATES) {
    templates.push(await db.template.upsert({ where: { name: t.name }, update: {}, create: { ...t } }));
  }

  const sim = await db.provider.upsert({
    where: { name: "Simulator (local)" },
    update: {},
    create: {
      name: "Simulator (local)",
      kind: "SIMULATOR",
      endpoint: "simulator://local",
      // A steady synthetic load (75 % CPU) so monitoring charts and scaling groups have something to show.
      config: { latencyMs: 300, loadProfile: "constant", loadPercent: 75 },
      cpuOvercommit: 4,
      memoryOvercommit: 1,
      diskOvercommit: 1,
    },
  });
  for (let i = 1; i <= 6; i++) {
    const name = `sim-host-${String(i).padStart(2, "0")}`;
    await db.host.upsert({
      where: { providerId_name: { providerId: sim.id, name } },
      update: {},
      create: {
        providerId: sim.id,
        name,
        externalRef: name,
        vcpuTotal: 32,
        memoryMbTotal: 256 * GiB,
        diskSsdGbTotal: i <= 4 ? 4000 : 0,
        diskHddGbTotal: i >= 3 ? 12000 : 0,
      },
    });
  }
  for (const t of templates) {
    await db.templateProviderRef.upsert({
      where: { templateId_providerId: { templateId: t.id, providerId: sim.id } },
      update: {},
      create: { templateId: t.id, providerId: sim.id, ref: `sim-image:${t.osName.toLowerCase().replace(/\s+/g, "-")}-${t.osVersion}` },
    });
  }

  // A second simulated site with its own (dearer) price book: the price comparison has a real
  // choice to show without any backend running, and members of Web Platform may pick it.
  const siteB = await db.provider.upsert({
    where: { name: "Simulator (site B)" },
    update: {},
    create: { name: "Simulator (site B)", kind: "SIMULATOR", endpoint: "simulator://site-b", config: { latencyMs: 300, loadProfile: "constant", loadPercent: 75 }, cpuOvercommit: 4, memoryOvercommit: 1, diskOvercommit: 1 },
  });
  for (let i = 1; i <= 3; i++) {
    const name = `siteb-host-${String(i).padStart(2, "0")}`;
    await db.host.upsert({
      where: { providerId_name: { providerId: siteB.id, name } },
      update: {},
      create: { providerId: siteB.id, name, externalRef: name, vcpuTotal: 24, memoryMbTotal: 192 * GiB, diskSsdGbTotal: 3000, diskHddGbTotal: i === 3 ? 8000 : 0 },
    });
  }
  for (const t of templates) {
    await db.templateProviderRef.upsert({
      where: { templateId_providerId: { templateId: t.id, providerId: siteB.id } },
      update: {},
      create: { templateId: t.id, providerId: siteB.id, ref: `sim-image:${t.osName.toLowerCase().replace(/\s+/g, "-")}-${t.osVersion}` },
    });
  }

  await seedRealProviders(db, [sim.id, siteB.id]);
  await seedDemoPrices(db, siteB.id);
  await seedDemoStack(db, users.alice);
}

/** The example stack (docs/examples/shop-stack.yaml) saved, not applied, in Web Platform. */
async function seedDemoStack(db: PrismaClient, aliceId: string) {
  const file = path.join(process.cwd(), "docs", "examples", "shop-stack.yaml");
  if (!fs.existsSync(file)) return;
  const yaml = fs.readFileSync(file, "utf8");
  const parsed = parseStackYaml(yaml);
  const project = await db.project.findUnique({ where: { slug: "web-platform" } });
  if (!parsed.ok || !project) return;
  const stack = await db.stack.upsert({
    where: { projectId_name: { projectId: project.id, name: parsed.document.metadata.name } },
    update: {},
    create: { projectId: project.id, name: parsed.document.metadata.name, healing: parsed.document.healing, createdById: aliceId },
  });
  if (await db.stackVersion.count({ where: { stackId: stack.id } })) return;
  await db.stackVersion.create({ data: { stackId: stack.id, number: 1, yaml, document: parsed.document as object, createdById: aliceId } });
}

export { DEMO_BACKEND_REASON };

/**
 * One provider of each real kind, pointing at the local endpoints `npm run backends:up` starts
 * (scripts/backends/up.sh). They start UNAVAILABLE, so placement never picks them, and they get
 * hosts only when an administrator runs Discover hosts. vSphere credentials are not seeded: the
 * simulator's password is random per start (.backends/vcsim/endpoints.env), and its port too
 * (edit the endpoint to the URL up.sh prints).
 */
async function seedRealProviders(db: PrismaClient, simulatorIds: string[]): Promise<void> {
  const backends = path.resolve(process.env.ORQ_BACKENDS_DIR ?? path.join(process.cwd(), ".backends"));
  const real = [
    { name: "vSphere (local vcsim)", kind: "VSPHERE", endpoint: "http://127.0.0.1:8989/sdk", config: {} },
    {
      name: "KVM libvirt (local test driver)",
      kind: "LIBVIRT",
      endpoint: `test+unix:///default?socket=${path.join(backends, "libvirt/run/libvirt/libvirt-sock")}`,
      config: { storagePool: "default-pool" },
    },
    { name: "LXD (local)", kind: "LXD", endpoint: `unix://${path.join(backends, "lxd/dir/unix.socket")}`, config: { storagePool: "default" } },
    { name: "Docker (local Podman)", kind: "DOCKER", endpoint: `unix://${path.join(backends, "podman/podman.sock")}`, config: {} },
    // moto (AWS APIs) as up.sh starts it; its access key is made per start (.backends/moto/endpoints.env).
    { name: "Amazon EC2 (local moto)", kind: "EC2", endpoint: "http://127.0.0.1:5055", config: { region: "eu-west-1", vcpuQuota: 32 } },
  ] as const;
  for (const p of real) {
    await db.provider.upsert({
      where: { name: p.name },
      // An administrator's later edits win over the seed.
      update: {},
      create: {
        name: p.name,
        kind: p.kind,
        endpoint: p.endpoint,
        config: p.config,
        status: "UNAVAILABLE",
        statusReason: DEMO_BACKEND_REASON,
        // A cloud region sells whole vCPUs: no overcommit.
        cpuOvercommit: p.kind === "DOCKER" || p.kind === "LXD" ? 8 : p.kind === "EC2" ? 1 : 4,
        memoryOvercommit: 1,
        diskOvercommit: 1,
      },
    });
  }
  // The local backends carry only the small images `npm run backends:up` builds (no image
  // registry is reachable), so the demo offers them as their own template instead of
  // pretending they are Ubuntu or Windows.
  const lab = await db.template.upsert({
    where: { name: "BusyBox (lab image)" },
    update: {},
    create: {
      name: "BusyBox (lab image)",
      osFamily: "LINUX",
      osName: "BusyBox",
      osVersion: "1.35",
      minDiskGb: 10,
      description: "Minimal image of the local lab backends (npm run backends:up)",
    },
  });
  const refs: Record<string, string> = {
    "vSphere (local vcsim)": "DC0_C0_RP0_VM0",
    "LXD (local)": "busybox",
    "Docker (local Podman)": "localhost/busybox:latest",
  };
  // The simulators simulate any image: they offer the lab template too, so its price
  // comparison shows the simulated sites next to the real backends.
  for (const providerId of simulatorIds) {
    await db.templateProviderRef.upsert({
      where: { templateId_providerId: { templateId: lab.id, providerId } },
      update: {},
      create: { templateId: lab.id, providerId, ref: "sim-image:busybox-1.35" },
    });
  }
  for (const [name, ref] of Object.entries(refs)) {
    const provider = await db.provider.findUnique({ where: { name } });
    if (!provider) continue;
    await db.templateProviderRef.upsert({
      where: { templateId_providerId: { templateId: lab.id, providerId: provider.id } },
      update: {},
      create: { templateId: lab.id, providerId: provider.id, ref },
    });
  }
}
