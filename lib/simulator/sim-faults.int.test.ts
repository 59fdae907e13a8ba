import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../test/db";
import { ctxFor, makeUser } from "../../test/factories";
import { addSimFaultSchema } from "./schemas";
import { addSimFault } from "./add-sim-fault";
import { removeSimFault } from "./remove-sim-fault";
import { listSimFaults } from "./list-sim-faults";

describe("simulator fault injection", () => {
  let t: TestDatabase;
  let providerId: string;
  let adminId: string;
  let userId: string;
  beforeAll(async () => {
    t = await createTestDatabase();
    providerId = (await t.db.provider.create({ data: { name: "Sim", kind: "SIMULATOR" } })).id;
    adminId = (await makeUser(t.db, { role: "ADMIN" })).id;
    userId = (await makeUser(t.db)).id;
  });
  afterAll(() => t.drop());

  it("adds and removes a fault with audit, administrators only", async () => {
    const admin = await ctxFor(t.db, adminId);
    const input = addSimFaultSchema.parse({ providerId, operation: "provision", mode: "PERMANENT", message: "disk array offline", remaining: "" });
    expect(input.remaining).toBeNull();
    const { id } = await addSimFault(admin, input);
    const listed = await listSimFaults(admin);
    expect(listed[0].faults.map((f) => f.id)).toEqual([id]);
    await removeSimFault(admin, { faultId: id });
    expect(await t.db.simFault.count()).toBe(0);
    const actions = (await t.db.auditEvent.findMany({ orderBy: { id: "asc" } })).map((e) => e.action);
    expect(actions).toEqual(["simulator.fault_add", "simulator.fault_remove"]);

    const user = await ctxFor(t.db, userId);
    await expect(listSimFaults(user)).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(addSimFault(user, input)).rejects.toMatchObject({ code: "FORBIDDEN" });
    expect(await t.db.simFault.count()).toBe(0);
  });

  it("validates input and refuses non-simulator providers", async () => {
    const bad = addSimFaultSchema.safeParse({ providerId: "x", operation: "explode", mode: "SOMETIMES", message: "", remaining: 0 });
    expect(bad.success).toBe(false);
    const fields = Object.keys(bad.error!.flatten().fieldErrors).sort();
    expect(fields).toEqual(["message", "mode", "operation", "providerId", "remaining"]);
    const other = await t.db.provider.create({ data: { name: "Docker", kind: "DOCKER" } });
    const admin = await ctxFor(t.db, adminId);
    await expect(
      addSimFault(admin, addSimFaultSchema.parse({ providerId: other.id, operation: "*", mode: "HANG", message: "x", remaining: 1 })),
    ).rejects.toMatchObject({ code: "NOT_FOUND" });
  });
});
