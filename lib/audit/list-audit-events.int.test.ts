import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../test/db";
import { addMember, ctxFor, makeProject, makeUser } from "../../test/factories";
import type { Ctx } from "../context";
import { AppError } from "../errors";
import { listAuditEvents } from "./list-audit-events";
import { listAuditFilterOptions } from "./list-audit-filter-options";
import { exportAuditEvents } from "./export-audit-events";

let t: TestDatabase;
let admin: Ctx;
let ada: { id: string; email: string };
let bob: { id: string; email: string };
let projectId: string;

const day = (d: string, h = 12) => new Date(`${d}T${String(h).padStart(2, "0")}:00:00.000Z`);

beforeAll(async () => {
  t = await createTestDatabase();
  const a = await makeUser(t.db, { role: "ADMIN", email: "ada@example.test" });
  ada = a;
  bob = await makeUser(t.db, { email: "bob@example.test" });
  admin = await ctxFor(t.db, a.id);
  projectId = (await makeProject(t.db)).id;
  const rows = [];
  // 30 events by Ada over March 1..30 (offering.update), 10 by Bob (project.update in a project),
  // 2 by the system.
  for (let i = 1; i <= 30; i++) {
    const d = `2026-03-${String(i).padStart(2, "0")}`;
    rows.push({ at: day(d), actorId: ada.id, actorEmail: ada.email, action: "offering.update", targetType: "Offering", targetId: `o-${i}`, before: { vcpu: i }, after: { vcpu: i + 1 } });
  }
  for (let i = 1; i <= 10; i++) {
    rows.push({ at: day("2026-03-15", i), actorId: bob.id, actorEmail: bob.email, action: "project.update", targetType: "Project", targetId: projectId, projectId });
  }
  rows.push({ at: day("2026-03-20"), actorId: null, actorEmail: "system", action: "machine.lease_expire", targetType: "Machine", targetId: "m-1" });
  rows.push({ at: day("2026-03-20"), actorId: null, actorEmail: "system", action: "machine.lease_expire", targetType: "Machine", targetId: "m-2" });
  await t.db.auditEvent.createMany({ data: rows });
});
afterAll(async () => t.drop());

async function failure(p: Promise<unknown>): Promise<AppError> {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(AppError);
  return err as AppError;
}

describe("listAuditEvents", () => {
  it("names targets (project name, user e-mail) and filters by one target", async () => {
    const r = await listAuditEvents(admin, { targetId: projectId });
    expect(r.events).toHaveLength(10);
    expect(r.events.every((e) => e.targetName === e.projectName && /^Project /.test(e.targetName ?? ""))).toBe(true);
    // A target that is not a UUID or no longer exists keeps no name.
    expect((await listAuditEvents(admin, { targetId: "m-1" })).events.map((e) => e.targetName)).toEqual([null]);
    expect((await listAuditEvents(admin, { targetId: "no-such-target" })).events).toHaveLength(0);
  });

  it("exports the filtered log as CSV rows, across pages, to administrators only", async () => {
    const all: unknown[][] = [];
    for await (const row of exportAuditEvents(admin, { action: "offering.update" })()) all.push(row);
    expect(all).toHaveLength(30);
    expect(all[0][2]).toBe("offering.update");
    expect(all[0][9]).toBe(JSON.stringify({ vcpu: 30 }));
    const big: unknown[][] = [];
    for await (const row of exportAuditEvents(admin, {})()) big.push(row);
    expect(big).toHaveLength(42);
    const bobCtx = await ctxFor(t.db, bob.id);
    expect(() => exportAuditEvents(bobCtx, {})).toThrow(AppError);
  });

  it("lists newest first with project names", async () => {
    const page = await listAuditEvents(admin, {});
    expect(page.events).toHaveLength(42);
    const times = page.events.map((e) => e.at.getTime());
    expect([...times].sort((a, b) => b - a)).toEqual(times);
    expect(page.events[0].targetId).toBe("o-30");
    expect(page.events.find((e) => e.action === "project.update")!.projectName).toMatch(/^Project /);
    expect(page.olderCursor).toBeNull();
    expect(page.newerCursor).toBeNull();
  });

  it("filters by actor e-mail (any case), including system events", async () => {
    const byBob = await listAuditEvents(admin, { actor: "BOB@example.test" });
    expect(byBob.events).toHaveLength(10);
    expect(byBob.events.every((e) => e.actorEmail === bob.email)).toBe(true);
    expect((await listAuditEvents(admin, { actor: "system" })).events).toHaveLength(2);
    expect((await listAuditEvents(admin, { actor: "nobody@example.test" })).events).toHaveLength(0);
  });

  it("filters by action, target type and project", async () => {
    expect((await listAuditEvents(admin, { action: "offering.update" })).events).toHaveLength(30);
    expect((await listAuditEvents(admin, { targetType: "Machine" })).events).toHaveLength(2);
    expect((await listAuditEvents(admin, { projectId })).events).toHaveLength(10);
    expect((await listAuditEvents(admin, { action: "offering.update", actor: bob.email })).events).toHaveLength(0);
  });

  it("filters by an inclusive date range in the portal's time zone", async () => {
    const r = await listAuditEvents(admin, { from: "2026-03-10", to: "2026-03-12", action: "offering.update" });
    expect(r.events.map((e) => e.targetId)).toEqual(["o-12", "o-11", "o-10"]);
    expect((await listAuditEvents(admin, { from: "2026-03-29" })).events.map((e) => e.targetId)).toEqual(["o-30", "o-29"]);
    // In Auckland (UTC+13 in March) 12:00 UTC on the 10th is 01:00 on the 11th.
    const nz = await listAuditEvents(admin, { from: "2026-03-11", to: "2026-03-11", action: "offering.update" }, { timeZone: "Pacific/Auckland" });
    expect(nz.events.map((e) => e.targetId)).toEqual(["o-10"]);
  });

  it("refuses a range that ends before it starts, and malformed dates, with field errors", async () => {
    expect((await failure(listAuditEvents(admin, { from: "2026-03-12", to: "2026-03-10" }))).details?.fields).toEqual({ to: ["audit.validation.toBeforeFrom"] });
    expect((await failure(listAuditEvents(admin, { from: "2026-02-30" }))).details?.fields).toEqual({ from: ["audit.validation.dateInvalid"] });
  });

  it("pages with keyset cursors both ways, without gaps or repeats (ties on the same instant too)", async () => {
    const all = (await listAuditEvents(admin, {})).events.map((e) => e.id);
    const seen: string[] = [];
    let page = await listAuditEvents(admin, { limit: 4 });
    expect(page.newerCursor).toBeNull();
    const cursors: (string | null)[] = [];
    for (;;) {
      seen.push(...page.events.map((e) => e.id));
      cursors.push(page.newerCursor);
      if (!page.olderCursor) break;
      page = await listAuditEvents(admin, { limit: 4, after: page.olderCursor });
    }
    expect(seen).toEqual(all);
    // Walk back from the last page to the first.
    const back: string[] = [...page.events.map((e) => e.id)];
    while (page.newerCursor) {
      page = await listAuditEvents(admin, { limit: 4, before: page.newerCursor });
      back.unshift(...page.events.map((e) => e.id));
    }
    expect(back).toEqual(all);
    expect(page.newerCursor).toBeNull();
  });

  it("pages within a filter", async () => {
    const p1 = await listAuditEvents(admin, { action: "offering.update", limit: 25 });
    expect(p1.events).toHaveLength(25);
    const p2 = await listAuditEvents(admin, { action: "offering.update", limit: 25, after: p1.olderCursor! });
    expect(p2.events.map((e) => e.targetId)).toEqual(["o-5", "o-4", "o-3", "o-2", "o-1"]);
    expect(p2.olderCursor).toBeNull();
    expect(p2.newerCursor).not.toBeNull();
  });

  it("offers the distinct actions and target types as filter options", async () => {
    const o = await listAuditFilterOptions(admin);
    expect(o.actions).toEqual(["machine.lease_expire", "offering.update", "project.update"]);
    expect(o.targetTypes).toEqual(["Machine", "Offering", "Project"]);
    expect(o.projects.map((p) => p.id)).toContain(projectId);
  });

  it("is for administrators only", async () => {
    await addMember(t.db, projectId, bob.id, "APPROVER");
    const ctx = await ctxFor(t.db, bob.id);
    expect((await failure(listAuditEvents(ctx, {}))).code).toBe("FORBIDDEN");
    expect((await failure(listAuditFilterOptions(ctx))).code).toBe("FORBIDDEN");
  });

  it("walks 100k events page by page from any depth", async () => {
    await t.db.$executeRaw`
      INSERT INTO "AuditEvent" ("at", "actorEmail", "action", "targetType", "targetId")
      SELECT timestamp '2025-01-01' + g * interval '1 second', 'bulk@example.test', 'bulk.event', 'Bulk', g::text
      FROM generate_series(1, 100000) g`;
    await t.db.$executeRaw`ANALYZE "AuditEvent"`;
    const started = Date.now();
    let page = await listAuditEvents(admin, { action: "bulk.event", limit: 50 });
    expect(page.events[0].targetId).toBe("100000");
    // Jump deep: the cursor of event 50 (as if reached by paging).
    const deep = await t.db.auditEvent.findFirstOrThrow({ where: { action: "bulk.event", targetId: "51" } });
    page = await listAuditEvents(admin, { action: "bulk.event", limit: 50, after: `${deep.at.getTime()}.${deep.id}` });
    expect(page.events.map((e) => e.targetId)).toEqual(Array.from({ length: 50 }, (_, i) => String(50 - i)));
    expect(page.olderCursor).toBeNull();
    console.log(`audit keyset pages over 100k rows: ${Date.now() - started} ms`);
  });
});

// Last: it adds events. Things people name (SSH keys, tokens, schedules, ...) read by name, not UUID.
describe("target names beyond the catalogue", () => {
  it("names an SSH key by its name", async () => {
    const key = await t.db.sshKey.create({ data: { userId: bob.id, name: "laptop", publicKey: "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIDn bob@laptop", fingerprint: "SHA256:test" } });
    await t.db.auditEvent.create({ data: { at: day("2026-04-01"), actorId: bob.id, actorEmail: bob.email, action: "ssh_key.add", targetType: "SshKey", targetId: key.id } });
    const r = await listAuditEvents(admin, { targetId: key.id });
    expect(r.events.map((e) => e.targetName)).toEqual(["laptop"]);
  });
});

