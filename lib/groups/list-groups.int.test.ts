// The groups list: search (name, IdP group) and sort (ties by name), administrators only.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../test/db";
import { ctxFor, makeUser } from "../../test/factories";
import type { Ctx } from "../context";
import { AppError } from "../errors";
import { listGroups } from "./list-groups";

let t: TestDatabase;
let admin: Ctx;
let user: Ctx;

beforeAll(async () => {
  t = await createTestDatabase();
  admin = await ctxFor(t.db, (await makeUser(t.db, { role: "ADMIN" })).id);
  user = await ctxFor(t.db, (await makeUser(t.db)).id);
});
afterAll(async () => t?.drop());

describe("listGroups", () => {
  it("searches name and IdP group, sorts by name, IdP group (unmapped last) and members with ties by name", async () => {
    const tag = `glist${Date.now().toString(36)}`;
    const mk = (suffix: string, idpGroup: string | null) => t.db.group.create({ data: { name: `${tag}-${suffix}`, idpGroup } });
    const a = await mk("a", `${tag}-idp-z`);
    const b = await mk("b", null);
    const c = await mk("c", `${tag}-idp-m`);
    await mk("d", null);
    for (const [g, n] of [[a, 1], [b, 2], [c, 1]] as const) {
      for (let i = 0; i < n; i++) await t.db.groupMember.create({ data: { groupId: g.id, userId: (await makeUser(t.db)).id } });
    }
    const names = async (input: Parameters<typeof listGroups>[1]) => (await listGroups(admin, { q: tag, ...input })).items.map((g) => g.name.slice(tag.length + 1));

    expect(await names({})).toEqual(["a", "b", "c", "d"]);
    expect(await names({ q: `${tag}-IDP-M` })).toEqual(["c"]);
    expect(await names({ q: `${tag}-B` })).toEqual(["b"]);
    expect(await names({ sort: "name", dir: "desc" })).toEqual(["d", "c", "b", "a"]);
    expect(await names({ sort: "idpGroup" })).toEqual(["c", "a", "b", "d"]);
    expect(await names({ sort: "idpGroup", dir: "desc" })).toEqual(["a", "c", "b", "d"]);
    expect(await names({ sort: "members" })).toEqual(["b", "a", "c", "d"]);
    expect(await names({ sort: "members", dir: "asc" })).toEqual(["d", "a", "c", "b"]);
    const err = await listGroups(user, { q: tag }).then(() => null, (e: unknown) => e);
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).code).toBe("FORBIDDEN");
  });
});
