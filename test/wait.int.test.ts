// The test waits end inside their own test's timeout, with their own message.
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "./db";
import { waitFor } from "./wait";
import { allMachinesIn, waitFor as harnessWaitFor } from "./orchestration/harness";

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase();
  await t.db.machine.count(); // connected, query compiler warm
});
afterAll(async () => {
  await t?.drop();
});

describe("waitFor", () => {
  it("gives up a little before the test's timeout, saying what it waited for", { timeout: 3000 }, async () => {
    const t0 = Date.now();
    const err = (await waitFor("a condition that never holds", () => false).catch((e: unknown) => e)) as Error;
    const took = Date.now() - t0;
    expect(err.message).toMatch(/^timed out after \d+ ms waiting for a condition that never holds$/);
    expect(took).toBeLessThan(3000);
    expect(took).toBeGreaterThan(2000);
  });

  it("caps an explicit timeout longer than the test's, in the orchestration harness", { timeout: 3000 }, async () => {
    const t0 = Date.now();
    await expect(harnessWaitFor("never", async () => null, 120_000)).rejects.toThrow(/waiting for never/);
    expect(Date.now() - t0).toBeLessThan(3000);
  });

  it("caps the harness's machine waits too", { timeout: 5000 }, async () => {
    const t0 = Date.now();
    // A machine that does not exist never gets there.
    await expect(allMachinesIn(t.db, [randomUUID()], ["RUNNING"], 120_000)).rejects.toThrow(/waiting for machines in RUNNING/);
    expect(Date.now() - t0).toBeLessThan(5000);
  });

  it("returns the first value that holds, and reports the last error when none does", { timeout: 3000 }, async () => {
    let n = 0;
    expect(await waitFor("the third try", () => (++n >= 3 ? n : null), { everyMs: 10 })).toBe(3);
    const err = (await waitFor(
      "a flaky read",
      () => {
        throw new Error("connection refused");
      },
      { timeoutMs: 200, everyMs: 20 },
    ).catch((e: unknown) => e)) as Error;
    expect(err.message).toMatch(/waiting for a flaky read: connection refused$/);
  });
});
