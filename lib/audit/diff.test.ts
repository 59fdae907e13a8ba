import { describe, expect, it } from "vitest";
import { diffRows } from "./diff";

describe("diffRows", () => {
  it("marks changed, added and removed keys", () => {
    const rows = diffRows({ name: "A", vcpu: 2, active: true, gone: 1 }, { name: "A", vcpu: 4, active: true, added: "x" });
    const byKey = Object.fromEntries(rows.map((r) => [r.key, r]));
    expect(rows.map((r) => r.key)).toEqual(["name", "vcpu", "active", "gone", "added"]);
    expect(byKey.name.changed).toBe(false);
    expect(byKey.vcpu.changed).toBe(true);
    expect(byKey.active.changed).toBe(false);
    expect(byKey.gone).toMatchObject({ changed: true, inBefore: true, inAfter: false });
    expect(byKey.added).toMatchObject({ changed: true, inBefore: false, inAfter: true });
  });
  it("compares nested values structurally, ignoring key order", () => {
    const rows = diffRows({ refs: { a: 1, b: 2 }, list: ["STOP"] }, { refs: { b: 2, a: 1 }, list: ["STOP", "DELETE"] });
    expect(rows.find((r) => r.key === "refs")!.changed).toBe(false);
    expect(rows.find((r) => r.key === "list")!.changed).toBe(true);
  });
  it("treats a create (no before) as every key added", () => {
    const rows = diffRows(null, { name: "A" });
    expect(rows).toEqual([{ key: "name", before: undefined, after: "A", inBefore: false, inAfter: true, changed: true }]);
  });
});
