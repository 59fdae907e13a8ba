import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../test/db";
import { ctxFor, makeOffering, makeProject, makeTemplate, makeUser, TEST_RESERVATION } from "../../test/factories";
import type { Ctx } from "../context";
import { AppError } from "../errors";
import { createTemplate } from "./create-template";
import { updateTemplate } from "./update-template";
import { setTemplateActive } from "./set-template-active";
import { deleteTemplate } from "./delete-template";
import { listTemplates } from "./list-templates";
import { getTemplate } from "./get-template";
import { setTemplateProviderRefs } from "./set-template-provider-refs";
import type { TemplateFields } from "./schemas";

let t: TestDatabase;
let admin: Ctx;
let user: Ctx;

beforeAll(async () => {
  t = await createTestDatabase();
  admin = await ctxFor(t.db, (await makeUser(t.db, { role: "ADMIN" })).id);
  user = await ctxFor(t.db, (await makeUser(t.db)).id);
});
afterAll(async () => t.drop());

let n = 0;
const valid = (over: Partial<TemplateFields> = {}): TemplateFields => ({
  name: `Template ${++n}`,
  osFamily: "LINUX",
  osName: "Ubuntu",
  osVersion: "24.04",
  description: "cloud-init enabled",
  minDiskGb: 10,
  ...over,
});
async function failure(p: Promise<unknown>): Promise<AppError> {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(AppError);
  return err as AppError;
}
const counts = async () => [await t.db.template.count(), await t.db.auditEvent.count(), await t.db.templateProviderRef.count()];
const makeProvider = (name: string) => t.db.provider.create({ data: { name, kind: "SIMULATOR" } });

describe("templates", () => {
  it("creates, updates, deactivates and reactivates with audit rows", async () => {
    const tpl = await createTemplate(admin, valid({ name: "Windows Server 2022", osFamily: "WINDOWS", osName: "Windows Server", osVersion: "2022", minDiskGb: 64 }));
    expect(tpl).toMatchObject({ osFamily: "WINDOWS", minDiskGb: 64, active: true });
    expect((await t.db.auditEvent.findFirstOrThrow({ where: { action: "template.create", targetId: tpl.id } })).after).toMatchObject({ name: "Windows Server 2022" });

    await updateTemplate(admin, { id: tpl.id, ...valid({ name: "Windows Server 2022", osFamily: "WINDOWS", osName: "Windows Server", osVersion: "2022 DC", minDiskGb: 80 }) });
    const upd = await t.db.auditEvent.findFirstOrThrow({ where: { action: "template.update", targetId: tpl.id } });
    expect(upd.before).toMatchObject({ osVersion: "2022", minDiskGb: 64 });
    expect(upd.after).toMatchObject({ osVersion: "2022 DC", minDiskGb: 80 });

    await setTemplateActive(admin, { id: tpl.id, active: false });
    expect((await t.db.template.findUniqueOrThrow({ where: { id: tpl.id } })).active).toBe(false);
    const d = await t.db.auditEvent.findFirstOrThrow({ where: { action: "template.deactivate", targetId: tpl.id } });
    expect([d.before, d.after]).toMatchObject([{ active: true }, { active: false }]);
    await setTemplateActive(admin, { id: tpl.id, active: true });
    expect(await t.db.auditEvent.count({ where: { action: "template.reactivate", targetId: tpl.id } })).toBe(1);
  });

  const invalid: [string, Partial<TemplateFields>, string][] = [
    ["empty name", { name: "" }, "name"],
    ["81-char name", { name: "x".repeat(81) }, "name"],
    ["empty OS name", { osName: "" }, "osName"],
    ["empty version", { osVersion: " " }, "osVersion"],
    ["unknown family", { osFamily: "BSD" as "LINUX" }, "osFamily"],
    ["min disk 0", { minDiskGb: 0 }, "minDiskGb"],
    ["min disk 65537", { minDiskGb: 65537 }, "minDiskGb"],
    ["long description", { description: "d".repeat(501) }, "description"],
  ];
  it.each(invalid)("refuses %s with a field error and writes nothing", async (_l, over, field) => {
    const before = await counts();
    const err = await failure(createTemplate(admin, valid(over)));
    expect(err.code).toBe("VALIDATION");
    expect(err.details?.fields?.[field]?.[0]).toMatch(/^templates\.validation\./);
    expect(await counts()).toEqual(before);
  });

  it("refuses a duplicate name", async () => {
    await createTemplate(admin, valid({ name: "Debian 12" }));
    const before = await counts();
    const err = await failure(createTemplate(admin, valid({ name: "debian 12" })));
    expect(err.details?.fields?.name).toEqual(["templates.validation.nameTaken"]);
    expect(await counts()).toEqual(before);
  });

  it("deletes an unused template, deactivates one in use", async () => {
    const unused = await createTemplate(admin, valid());
    expect(await deleteTemplate(admin, { id: unused.id })).toEqual({ outcome: "deleted" });
    expect(await t.db.template.findUnique({ where: { id: unused.id } })).toBeNull();
    expect(await t.db.auditEvent.count({ where: { action: "template.delete", targetId: unused.id } })).toBe(1);

    const used = await makeTemplate(t.db);
    const owner = await makeUser(t.db);
    const project = await makeProject(t.db);
    const offering = await makeOffering(t.db);
    await t.db.machine.create({ data: { ...TEST_RESERVATION, projectId: project.id, ownerId: owner.id, offeringId: offering.id, templateId: used.id, name: "vm1" } });
    expect(await deleteTemplate(admin, { id: used.id })).toEqual({ outcome: "deactivated" });
    expect((await t.db.template.findUniqueOrThrow({ where: { id: used.id } })).active).toBe(false);
    const list = await listTemplates(admin);
    expect(list.find((x) => x.id === used.id)).toMatchObject({ inUse: true, active: false, machineCount: 1 });
  });

  it("sets, changes and clears provider refs with one audit row per change", async () => {
    const tpl = await createTemplate(admin, valid());
    const lxd = await makeProvider("lxd-1");
    const vs = await makeProvider("vsphere-1");
    await setTemplateProviderRefs(admin, { templateId: tpl.id, refs: [{ providerId: lxd.id, ref: "ubuntu/24.04" }, { providerId: vs.id, ref: "" }] });
    let got = await getTemplate(admin, { id: tpl.id });
    expect(got.providers.find((p) => p.id === lxd.id)!.ref).toBe("ubuntu/24.04");
    expect(got.providers.find((p) => p.id === vs.id)!.ref).toBe("");

    await setTemplateProviderRefs(admin, { templateId: tpl.id, refs: [{ providerId: lxd.id, ref: "" }, { providerId: vs.id, ref: "tpl-ubuntu-2404" }] });
    got = await getTemplate(admin, { id: tpl.id });
    expect(got.providers.find((p) => p.id === lxd.id)!.ref).toBe("");
    expect(got.providers.find((p) => p.id === vs.id)!.ref).toBe("tpl-ubuntu-2404");

    const events = await t.db.auditEvent.findMany({ where: { action: "template.set_provider_refs", targetId: tpl.id }, orderBy: { id: "asc" } });
    expect(events).toHaveLength(2);
    expect(events[1].before).toEqual({ providerRefs: { [lxd.id]: "ubuntu/24.04" } });
    expect(events[1].after).toEqual({ providerRefs: { [vs.id]: "tpl-ubuntu-2404" } });

    // No change: no audit row.
    await setTemplateProviderRefs(admin, { templateId: tpl.id, refs: [{ providerId: vs.id, ref: "tpl-ubuntu-2404" }] });
    expect(await t.db.auditEvent.count({ where: { action: "template.set_provider_refs", targetId: tpl.id } })).toBe(2);

    const before = await counts();
    const err = await failure(setTemplateProviderRefs(admin, { templateId: tpl.id, refs: [{ providerId: lxd.id, ref: "x".repeat(501) }] }));
    expect(err.details?.fields?.["refs.0.ref"]).toEqual(["templates.validation.refTooLong"]);
    expect(await counts()).toEqual(before);
  });

  it("non-admins get FORBIDDEN for every verb and nothing is written", async () => {
    const tpl = await makeTemplate(t.db);
    const p = await makeProvider("kvm-1");
    const before = await counts();
    const calls: Promise<unknown>[] = [
      listTemplates(user),
      getTemplate(user, { id: tpl.id }),
      createTemplate(user, valid()),
      updateTemplate(user, { id: tpl.id, ...valid() }),
      setTemplateActive(user, { id: tpl.id, active: false }),
      deleteTemplate(user, { id: tpl.id }),
      setTemplateProviderRefs(user, { templateId: tpl.id, refs: [{ providerId: p.id, ref: "debian-12" }] }),
    ];
    for (const c of calls) expect((await failure(c)).code).toBe("FORBIDDEN");
    expect(await counts()).toEqual(before);
  });
});

describe("listTemplates: search, filters, sort", () => {
  it("searches name, OS and description, filters OS family and status, sorts with ties by name", async () => {
    const tag = `tlist${Date.now().toString(36)}`;
    const mk = async (suffix: string, data: { osFamily: "LINUX" | "WINDOWS"; osName: string; minDiskGb: number; active?: boolean; description?: string }) => {
      const row = await makeTemplate(t.db, { active: data.active ?? true });
      return t.db.template.update({ where: { id: row.id }, data: { name: `${tag}-${suffix}`, osFamily: data.osFamily, osName: data.osName, minDiskGb: data.minDiskGb, description: data.description ?? "" } });
    };
    await mk("a", { osFamily: "WINDOWS", osName: "Windows Server", minDiskGb: 40 });
    await mk("b", { osFamily: "LINUX", osName: "Ubuntu", minDiskGb: 10, active: false, description: "Legacy BUILD image" });
    await mk("c", { osFamily: "LINUX", osName: "Debian", minDiskGb: 40 });
    const names = async (input: Parameters<typeof listTemplates>[1]) => (await listTemplates(admin, { q: tag, ...input })).map((x) => x.name.slice(tag.length + 1));

    expect(await names({})).toEqual(["a", "c", "b"]);
    expect(await names({ q: "legacy build" })).toEqual(["b"]);
    expect((await listTemplates(admin, { q: "windows server" })).map((x) => x.name)).toContain(`${tag}-a`);
    expect(await names({ osFamily: "LINUX" })).toEqual(["c", "b"]);
    expect(await names({ status: "inactive" })).toEqual(["b"]);
    expect(await names({ osFamily: "WINDOWS", status: "inactive" })).toEqual([]);
    expect(await names({ sort: "name", dir: "desc" })).toEqual(["c", "b", "a"]);
    expect(await names({ sort: "family" })).toEqual(["b", "c", "a"]);
    expect(await names({ sort: "os" })).toEqual(["c", "b", "a"]);
    // Equal minimum disks (a, c): by name.
    expect(await names({ sort: "minDisk" })).toEqual(["a", "c", "b"]);
    expect(await names({ sort: "minDisk", dir: "asc" })).toEqual(["b", "a", "c"]);
    expect(await names({ sort: "machines" })).toEqual(["a", "b", "c"]);
    const err = await listTemplates(user, { q: tag }).then(() => null, (e: unknown) => e);
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).code).toBe("FORBIDDEN");
  });
});
