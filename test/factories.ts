// Test data factories: each call makes unique rows, so tests never depend on each other.
import { randomUUID } from "node:crypto";
import type { Db } from "../lib/db/client";
import type { Ctx } from "../lib/context";
import { loadActor } from "../lib/auth/load-actor";
import type { ProjectRole, UserRole, DiskTier } from "../lib/generated/prisma/enums";

const uid = () => randomUUID().slice(0, 8);
// A fixed, cheap hash: factories do not need real argon2 work (login tests hash for real).
const FAKE_HASH = "$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHRzYWx0$0000000000000000000000000000000000000000000";

export async function makeUser(db: Db, opts: { role?: UserRole; email?: string; name?: string; passwordHash?: string } = {}) {
  const id = uid();
  return db.user.create({
    data: {
      email: opts.email ?? `user-${id}@test.local`,
      name: opts.name ?? `User ${id}`,
      passwordHash: opts.passwordHash ?? FAKE_HASH,
      role: opts.role ?? "USER",
    },
  });
}

export async function makeProject(
  db: Db,
  opts: Partial<{
    quotaVcpu: number;
    quotaMemoryMb: number;
    quotaDiskSsdGb: number;
    quotaDiskHddGb: number;
    quotaMachines: number;
    monthlyBudgetCents: number | null;
    autoApproveBelowCents: number | null;
    maxLeaseDays: number | null;
  }> = {},
) {
  const id = uid();
  return db.project.create({
    data: {
      name: `Project ${id}`,
      slug: `project-${id}`,
      quotaVcpu: opts.quotaVcpu ?? 100,
      quotaMemoryMb: opts.quotaMemoryMb ?? 1024 * 1024,
      quotaDiskSsdGb: opts.quotaDiskSsdGb ?? 100000,
      quotaDiskHddGb: opts.quotaDiskHddGb ?? 100000,
      quotaMachines: opts.quotaMachines ?? 100,
      monthlyBudgetCents: opts.monthlyBudgetCents ?? null,
      autoApproveBelowCents: opts.autoApproveBelowCents ?? null,
      maxLeaseDays: opts.maxLeaseDays ?? null,
    },
  });
}

export async function addMember(db: Db, projectId: string, userId: string, role: ProjectRole = "MEMBER") {
  return db.projectMember.create({ data: { projectId, userId, role } });
}

export async function makeOffering(
  db: Db,
  opts: Partial<{ vcpu: number; memoryMb: number; diskGb: number; diskTier: DiskTier; monthlyPriceCents: number; active: boolean }> = {},
) {
  const id = uid();
  return db.offering.create({
    data: {
      name: `Offering ${id}`,
      vcpu: opts.vcpu ?? 2,
      memoryMb: opts.memoryMb ?? 4096,
      diskGb: opts.diskGb ?? 50,
      diskTier: opts.diskTier ?? "SSD",
      monthlyPriceCents: opts.monthlyPriceCents ?? 3000,
      active: opts.active ?? true,
    },
  });
}

export async function makeTemplate(db: Db, opts: Partial<{ active: boolean; minDiskGb: number }> = {}) {
  const id = uid();
  return db.template.create({
    data: { name: `Template ${id}`, osFamily: "LINUX", osName: "Debian", osVersion: "12", active: opts.active ?? true, minDiskGb: opts.minDiskGb ?? 10 },
  });
}

/** A service context acting as `userId`, with roles loaded from the database. */
export async function ctxFor(db: Db, userId: string, now: () => Date = () => new Date()): Promise<Ctx> {
  const actor = await loadActor(db, userId);
  if (!actor) throw new Error(`no such user ${userId}`);
  return { actor, db, correlationId: randomUUID(), now };
}

/** A reservation for machine rows a test creates directly (the size does not matter to it). */
export const TEST_RESERVATION = { vcpu: 2, memoryMb: 4096, diskGb: 50, diskTier: "SSD", monthlyCents: 0 } as const;
