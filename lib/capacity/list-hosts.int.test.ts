// /admin/hosts' default order (provider name, host name, id) read per provider
// (list-hosts.ts's hostsByProvider) against the order through the join that Prisma sends
// (the reference below): the same pages for both directions, every filter, and pages past
// the first provider's hosts and past the end.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../test/db";
import { ctxFor, makeUser } from "../../test/factories";
import { makeHost, makeProvider } from "../../test/machine-factories";
import type { Ctx } from "../context";
import type { Db } from "../db/client";
import { HOSTS_PAGE_SIZE, listHosts } from "./list-hosts";
import type { ListHostsInput } from "./schemas";

let t: TestDatabase;
let db: Db;
let admin: Ctx;
const providers: string[] = [];

beforeAll(async () => {
  t = await createTestDatabase();
  db = t.db;
  admin = await ctxFor(db, (await makeUser(db, { role: "ADMIN" })).id);
  // Providers whose names sort differently from their creation; host names with case,
  // LIKE's characters and names shared across providers.
  for (const [name, count] of [["m-prov", 60], ["A-prov", 7], ["z_prov", 55], ["b%prov", 0]] as const) {
    const p = await makeProvider(db, { name });
    providers.push(p.id);
    for (let i = 0; i < count; i++) {
      const h = await makeHost(db, p.id, { state: i % 5 === 0 ? "MAINTENANCE" : "ACTIVE" });
      await db.host.update({ where: { id: h.id }, data: { name: `${["web", "Web", "db_", "x%y"][i % 4]}-${String(i % 13).padStart(2, "0")}-${i}` } });
    }
  }
});

afterAll(async () => {
  await t?.drop();
});

/** The page in the order through the join, as Prisma's orderBy on the relation sends it. */
async function reference(input: ListHostsInput) {
  const dir = input.dir ?? "asc";
  const rows = await db.host.findMany({
    where: {
      ...(input.providerId ? { providerId: input.providerId } : {}),
      ...(input.state ? { state: input.state } : {}),
      ...(input.q ? { name: { contains: input.q, mode: "insensitive" } } : {}),
    },
    orderBy: [{ provider: { name: dir } }, { name: dir }, { id: dir }],
    skip: (input.page - 1) * HOSTS_PAGE_SIZE,
    take: HOSTS_PAGE_SIZE,
    select: { id: true },
  });
  return rows.map((r) => r.id);
}

describe("listHosts by provider", () => {
  it("gives the pages of the order through the join, for both directions and every filter", async () => {
    const filters: Partial<ListHostsInput>[] = [{}, { state: "MAINTENANCE" }, { q: "WEB" }, { q: "%" }, { q: "_" }, { providerId: providers[0] }, { providerId: providers[3] }, { providerId: providers[2], q: "db" }];
    let nonEmpty = 0;
    for (const dir of ["asc", "desc"] as const)
      for (const f of filters)
        for (const page of [1, 2, 3, 4]) {
          const input: ListHostsInput = { page, dir, sort: "provider", ...f };
          const ours = await listHosts(admin, input);
          expect(ours.items.map((h) => h.id), `${dir} ${JSON.stringify(f)} page ${page}`).toEqual(await reference(input));
          if (ours.items.length) nonEmpty++;
        }
    expect(nonEmpty).toBeGreaterThan(25);
  }, 120_000);

  it("shows each host with its own provider", async () => {
    const page = await listHosts(admin, { page: 2 });
    expect(page.items).toHaveLength(HOSTS_PAGE_SIZE);
    const providerOf = new Map((await db.host.findMany({ select: { id: true, providerId: true } })).map((h) => [h.id, h.providerId]));
    for (const h of page.items) expect(h.provider.id).toBe(providerOf.get(h.id));
    expect(page.total).toBe(122);
  });
});
