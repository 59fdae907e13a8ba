// Approval under a burst (issue 9): the statements an approval sends do not grow with the
// number of machines (bulk inserts, one add_jobs for every job), and the project row is
// locked by the LAST statement only (the quota reservation just before COMMIT), so approvals
// of one project queue on it for one round trip, not for the whole transaction.
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../db";
import { approve, makeEstate } from "../orchestration/harness";

let tdb: TestDatabase;
let log: { text: string; pid: number }[] | null = null;
const originalQuery = pg.Client.prototype.query;

beforeAll(async () => {
  tdb = await createTestDatabase();
  (pg.Client.prototype as { query: unknown }).query = function (this: pg.Client & { processID?: number }, ...args: unknown[]) {
    if (log) {
      const q = args[0] as string | { text?: string };
      log.push({ text: (typeof q === "string" ? q : (q?.text ?? "")).replace(/\s+/g, " ").trim(), pid: this.processID ?? 0 });
    }
    return (originalQuery as (...a: unknown[]) => unknown).apply(this, args);
  };
});
afterAll(async () => {
  pg.Client.prototype.query = originalQuery;
  await tdb?.drop();
});

/** The statements of the approval transaction itself (BEGIN .. COMMIT of approveRequest). */
async function approvalStatements(e: Awaited<ReturnType<typeof makeEstate>>, quantity: number) {
  log = [];
  let result;
  try {
    result = await approve(tdb.db, e, { quantity });
  } finally {
    const sent = log;
    log = null;
    const begin = sent.map((s) => s.text).lastIndexOf("BEGIN");
    const tx = sent.slice(begin);
    const commit = tx.findIndex((s) => s.text === "COMMIT");
    return { result, tx: tx.slice(1, commit).map((s) => s.text) };
  }
}

describe("approval statements", () => {
  it("are as many for 25 machines as for 1, with the project row locked by the last one", async () => {
    const e = await makeEstate(tdb.db, { hosts: 2 });
    const one = await approvalStatements(e, 1);
    const many = await approvalStatements(e, 25);
    expect(one.result!.machineIds).toHaveLength(1);
    expect(many.result!.machineIds).toHaveLength(25);
    console.log(`approval transaction: ${one.tx.length} statements for 1 machine, ${many.tx.length} for 25`);
    expect(many.tx.length).toBe(one.tx.length);
    // One add_jobs for all the jobs, and 25 jobs queued.
    expect(many.tx.filter((s) => /graphile_worker\.add_jobs\(/.test(s))).toHaveLength(1);
    const jobs = await tdb.db.$queryRaw<{ n: bigint }[]>`select count(*) as n from graphile_worker.jobs where key = any(${many.result!.machineIds.map((id) => `machine-ops:${id}`)})`;
    expect(Number(jobs[0].n)).toBe(25);
    // Nothing before the reservation touches the project row; the reservation is last.
    const touching = many.tx.map((s, i) => [s, i] as const).filter(([s]) => /update "Project"|from "Project".*for (no key )?update/i.test(s));
    expect(touching.map(([, i]) => i)).toEqual([many.tx.length - 1]);
  });
});
