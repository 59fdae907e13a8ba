// Provisioning cost under a burst (issue 9): the statements the worker sends to carry one
// approved machine from REQUESTED to RUNNING (drainMachine of its job, simulator at zero
// latency), counted at the PostgreSQL client. A ceiling, so redundant reads and round trips
// cannot creep back; and the same count for a machine of a 5-machine request (anti-affinity
// adds the sibling count, nothing per sibling).
import pg from "pg";
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../db";
import { approve, makeEstate } from "../orchestration/harness";
import { drainMachine } from "../../lib/orchestration/run-operation";
import { DEFAULT_RETRY_POLICY } from "../../lib/orchestration/backoff";
import { lockMachine } from "../../lib/orchestration/machine-transition";

let tdb: TestDatabase;
let log: string[] | null = null;
const originalQuery = pg.Client.prototype.query;

beforeAll(async () => {
  process.env.ORQ_SIM_LATENCY_MS = "0";
  tdb = await createTestDatabase();
  (pg.Client.prototype as { query: unknown }).query = function (this: pg.Client, ...args: unknown[]) {
    if (log) {
      const q = args[0] as string | { text?: string };
      log.push((typeof q === "string" ? q : (q?.text ?? "")).replace(/\s+/g, " ").trim());
    }
    return (originalQuery as (...a: unknown[]) => unknown).apply(this, args);
  };
});
afterAll(async () => {
  pg.Client.prototype.query = originalQuery;
  await tdb?.drop();
});

/** The statements drainMachine sends for the machine (its whole job run), and its final state. */
async function provisionStatements(machineId: string) {
  const deps = { db: tdb.db, now: () => new Date(), retry: DEFAULT_RETRY_POLICY, log: pino({ level: "silent" }) };
  log = [];
  try {
    await drainMachine(deps, machineId);
  } finally {
    const sent = log;
    log = null;
    const m = await tdb.db.machine.findUniqueOrThrow({ where: { id: machineId }, select: { state: true } });
    return { statements: sent, state: m.state };
  }
}

/** Statements worth naming in a failure message: everything but BEGIN/COMMIT. */
const summary = (s: string[]) => s.map((x, i) => `${i + 1}. ${x.slice(0, 160)}`).join("\n");

// The ceiling: what the engine sends today for one provision (see BENCHMARKS.md, "Provisioning
// cost"). Lower it when a change saves statements; never raise it without a reason there.
const MAX_STATEMENTS = 32;

describe("provision statements", () => {
  it("one machine: RUNNING within the ceiling; a machine of a 5-machine request costs the same", async () => {
    const e = await makeEstate(tdb.db, { hosts: 6 });
    // Warm: the first provision reads the installation id and opens connections.
    const warm = await approve(tdb.db, e);
    expect((await provisionStatements(warm.machineIds[0])).state).toBe("RUNNING");

    const one = await approve(tdb.db, e);
    const a = await provisionStatements(one.machineIds[0]);
    expect(a.state).toBe("RUNNING");
    console.log(`provision of one machine: ${a.statements.length} statements\n${summary(a.statements)}`);
    expect(a.statements.length, summary(a.statements)).toBeLessThanOrEqual(MAX_STATEMENTS);

    const five = await approve(tdb.db, e, { quantity: 5 });
    const counts: number[] = [];
    for (const id of five.machineIds) {
      const r = await provisionStatements(id);
      expect(r.state).toBe("RUNNING");
      counts.push(r.statements.length);
    }
    // The request settles with the last machine; otherwise a sibling costs what a single machine costs.
    expect(Math.max(...counts)).toBeLessThanOrEqual(a.statements.length + 2);
  });

  it("the claim moves the machine and records machine.state_changed in one statement: an event and its job only when subscribed", async () => {
    const e = await makeEstate(tdb.db, { hosts: 2 });
    const events = (machineId: string) =>
      tdb.db.$queryRaw<{ id: string; payload: { from: string; to: string; machine: { id: string; name: string; ipAddress: string | null } } }[]>`
        select id, payload from "Event" where type = 'machine.state_changed' and payload->'machine'->>'id' = ${machineId} order by "createdAt", payload->>'to' desc`;
    const jobs = (eventId: string) => tdb.db.$queryRaw<{ n: number }[]>`select count(*)::int as n from graphile_worker._private_jobs where payload->>'eventId' = ${eventId}`;

    // Nobody listens: no event row (and so no job).
    const quiet = await approve(tdb.db, e);
    expect((await provisionStatements(quiet.machineIds[0])).state).toBe("RUNNING");
    expect(await events(quiet.machineIds[0])).toEqual([]);

    await tdb.db.webhookSubscription.create({ data: { projectId: e.projectId, url: "https://example.com/hook", events: ["machine.state_changed"], secretEnc: "x" } });
    const heard = await approve(tdb.db, e);
    const machineId = heard.machineIds[0];
    expect((await provisionStatements(machineId)).state).toBe("RUNNING");
    const m = await tdb.db.machine.findUniqueOrThrow({ where: { id: machineId } });
    const got = await events(machineId);
    expect(got.map((x) => [x.payload.from, x.payload.to])).toEqual([
      ["REQUESTED", "PROVISIONING"],
      ["PROVISIONING", "RUNNING"],
    ]);
    expect(got[0].payload.machine).toMatchObject({ id: machineId, name: m.name, ipAddress: null });
    expect(got[1].payload.machine).toMatchObject({ id: machineId, name: m.name, ipAddress: m.ipAddress });
    for (const x of got) expect((await jobs(x.id))[0].n).toBe(1);
    // Two moves: REQUESTED -> PROVISIONING (the claim) and PROVISIONING -> RUNNING.
    expect(m.version).toBe(2);
  });

  it("lockMachine reads the row in one statement exactly as Prisma's findUnique does", async () => {
    const e = await makeEstate(tdb.db, { hosts: 1 });
    const { machineIds } = await approve(tdb.db, e);
    await tdb.db.machine.update({ where: { id: machineIds[0] }, data: { tags: { team: "a", n: 1 }, access: { user: "debian" }, leaseEndsAt: new Date("2027-01-02T03:04:05.678Z") } });
    const viaPrisma = await tdb.db.machine.findUniqueOrThrow({ where: { id: machineIds[0] } });
    log = [];
    const locked = await tdb.db.$transaction((tx) => lockMachine(tx, machineIds[0]));
    const sent = log;
    log = null;
    expect(locked).toEqual(viaPrisma);
    expect(sent.filter((s) => s !== "BEGIN" && s !== "COMMIT")).toHaveLength(1);
    await expect(tdb.db.$transaction((tx) => lockMachine(tx, "00000000-0000-4000-8000-000000000000"))).rejects.toThrow(/not found/);
  });
});
