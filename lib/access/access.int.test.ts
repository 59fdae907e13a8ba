import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { createTestDatabase, type TestDatabase } from "../../test/db";
import { ctxFor, makeUser } from "../../test/factories";
import { AppError } from "../errors";
import { makeWorld, submitRaw, uniqueName } from "../requests/testing";
import { addSshKey } from "./add-ssh-key";
import { deleteSshKey } from "./delete-ssh-key";
import { listMySshKeys } from "./list-my-ssh-keys";
import { provisionAccess } from "./provision-access";
import { readMachineAccess } from "./injection";

const ED25519 = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIPwRTcJQ3PM7srR3iaH6sgEqygr59vSTDSDO9VFXyCAZ alice@laptop";
const RSA = "ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQCjeG3pHmLX/xX/BZhl2ncPLIV+lEuLN0ttCHd1/9dTMKo5EJTjos5txQf8LSWcf9WieQpQkYvVBkrwqgFrz1EvPpl174FreVitjJ97FhG1W16bMrOFAvli18B2yKqsqS27KwqAvUUk8cFBHEH2+M/HqdKN7OaoSjnmU52sLpUFGh1D/NP2hBXieKNxt4mOOiWh3ADbZQF5y/7h1nzMjA+EfbfO3w+/ddhkbKIa9K1BH7OTLtTQHgrZ/+EsJF2dgbQeWLkKQOoii0PmFaBFFkpLROkB6va7+MKJXZYw7sfxLmVRGrlt5FukQaMMYG1CRML9Ttnn9GvaNPrSE+Pwnr09";
const ECDSA = "ecdsa-sha2-nistp256 AAAAE2VjZHNhLXNoYTItbmlzdHAyNTYAAAAIbmlzdHAyNTYAAABBBCymTNU9SFtylnEH3iBKnIchNPC7xj0cYfBykz39T/GjAhphw7lb2lkz+4S/cOCD7dTdjzCxa2pYztrM0XBmbmE= root@vm";

let tdb: TestDatabase;
beforeAll(async () => {
  tdb = await createTestDatabase();
});
afterAll(async () => {
  await tdb?.drop();
});

async function appError(fn: () => Promise<unknown>): Promise<AppError> {
  try {
    await fn();
  } catch (err) {
    expect(err).toBeInstanceOf(AppError);
    return err as AppError;
  }
  throw new Error("expected an AppError, but it succeeded");
}

describe("SSH keys in settings", () => {
  it("adds a key with its fingerprint and an audit event, refuses the same key twice and bad keys", async () => {
    const db = tdb.db;
    const u = await makeUser(db);
    const ctx = await ctxFor(db, u.id);
    const added = await addSshKey(ctx, { name: "laptop", publicKey: `  ${ED25519}  ` });
    expect(added.fingerprint).toBe("SHA256:DG2N/f8XODo9lQucyafnJGmyZF67M/UrVPy0uyWQ/SE");
    const row = await db.sshKey.findUniqueOrThrow({ where: { id: added.id } });
    expect(row.publicKey).toBe(ED25519);
    expect(await db.auditEvent.count({ where: { action: "sshkey.add", targetId: added.id } })).toBe(1);

    // The same key under another name or comment is the same key.
    const dup = await appError(() => addSshKey(ctx, { name: "again", publicKey: ED25519.replace("alice@laptop", "other") }));
    expect(dup.details?.fields).toEqual({ publicKey: ["access.validation.duplicate"] });
    const bad = await appError(() => addSshKey(ctx, { name: "bad", publicKey: "ssh-rsa AAAA" }));
    expect(bad.code).toBe("VALIDATION");
    expect(await db.sshKey.count({ where: { userId: u.id } })).toBe(1);

    // Another person may hold the same public key (a shared deploy key).
    const other = await makeUser(db);
    await addSshKey(await ctxFor(db, other.id), { name: "shared", publicKey: ED25519 });

    const list = await listMySshKeys(ctx);
    expect(list.map((k) => [k.name, k.type, k.comment])).toEqual([["laptop", "ssh-ed25519", "alice@laptop"]]);
  });

  it("deletes only one's own keys: someone else's key is NOT_FOUND and stays", async () => {
    const db = tdb.db;
    const [a, b] = await Promise.all([makeUser(db), makeUser(db)]);
    const key = await addSshKey(await ctxFor(db, a.id), { name: "a", publicKey: RSA });
    const err = await appError(async () => deleteSshKey(await ctxFor(db, b.id), { keyId: key.id }));
    expect(err.code).toBe("NOT_FOUND");
    expect(await db.sshKey.count({ where: { id: key.id } })).toBe(1);
    await deleteSshKey(await ctxFor(db, a.id), { keyId: key.id });
    expect(await db.sshKey.count({ where: { id: key.id } })).toBe(0);
    expect(await db.auditEvent.count({ where: { action: "sshkey.delete", targetId: key.id } })).toBe(1);
  });
});

describe("keys chosen in a request and the cloud-config a machine boots with", () => {
  it("refuses a key that is not the requester's, and stores the chosen ones", async () => {
    const db = tdb.db;
    const w = await makeWorld(db);
    const stranger = await makeUser(db);
    const foreign = await addSshKey(await ctxFor(db, stranger.id), { name: "x", publicKey: ECDSA });
    const mine = await addSshKey(w.memberCtx, { name: "mine", publicKey: ED25519 });
    const base = { projectId: w.project.id, offeringId: w.offering.id, templateId: w.template.id, quantity: 1 };
    const err = await appError(() => submitRaw(w.memberCtx, { ...base, name: uniqueName(), sshKeyIds: [mine.id, foreign.id] }));
    expect(err.details?.fields).toMatchObject({ sshKeyIds: ["sshKeysNotYours"] });
    const bad = await appError(() => submitRaw(w.memberCtx, { ...base, name: uniqueName(), sshKeyIds: ["not-a-uuid"] }));
    expect(bad.code).toBe("VALIDATION");

    const r = await submitRaw(w.memberCtx, { ...base, name: uniqueName(), sshKeyIds: [mine.id] });
    expect(await db.request.findUniqueOrThrow({ where: { id: r.id }, select: { sshKeysChosen: true, sshKeyIds: true } })).toEqual({ sshKeysChosen: true, sshKeyIds: [mine.id] });
    const all = await submitRaw(w.memberCtx, { ...base, name: uniqueName() });
    expect(await db.request.findUniqueOrThrow({ where: { id: all.id }, select: { sshKeysChosen: true } })).toEqual({ sshKeysChosen: false });
  });

  it("merges the template's user data, the chosen keys and the hostname; all keys when none were chosen", async () => {
    const db = tdb.db;
    const w = await makeWorld(db);
    await db.template.update({ where: { id: w.template.id }, data: { userData: "#cloud-config\npackages: [nginx]\n", defaultUser: "debian" } });
    const k1 = await addSshKey(w.memberCtx, { name: "one", publicKey: ED25519 });
    const k2 = await addSshKey(w.memberCtx, { name: "two", publicKey: RSA });
    const request = (chosen: string[] | null) =>
      db.request.create({
        data: {
          projectId: w.project.id, requesterId: w.member.id, offeringId: w.offering.id, templateId: w.template.id, quantity: 1,
          names: [uniqueName()], monthlyCostCents: 0, ...(chosen ? { sshKeysChosen: true, sshKeyIds: chosen } : {}),
        },
      });
    const machine = (requestId: string | null, name: string) => ({ name, ownerId: w.member.id, requestId, templateId: w.template.id });

    const onlyTwo = await request([k2.id]);
    const a = await provisionAccess(db, machine(onlyTwo.id, "web-1"), "LXD");
    expect(parse(a.userData!)).toEqual({ packages: ["nginx"], hostname: "web-1", preserve_hostname: false, ssh_authorized_keys: [RSA] });
    expect(a.userData!.startsWith("#cloud-config\n")).toBe(true);
    expect(a.access).toEqual({ method: "lxd", user: "debian", keys: [{ name: "two", fingerprint: k2.fingerprint }] });

    const everything = await request(null);
    const b = await provisionAccess(db, machine(everything.id, "web-2"), "EC2");
    expect(b.sshKeys).toEqual([ED25519, RSA]);
    expect(b.access.keys.map((k) => k.fingerprint)).toEqual([k1.fingerprint, k2.fingerprint]);

    // None chosen: no keys, still the template's document and the hostname.
    const none = await provisionAccess(db, machine((await request([])).id, "web-3"), "VSPHERE");
    expect(parse(none.userData!)).toEqual({ packages: ["nginx"], hostname: "web-3", preserve_hostname: false });
    expect(none.access.keys).toEqual([]);

    // A key deleted after the request was submitted is not injected.
    await deleteSshKey(w.memberCtx, { keyId: k2.id });
    expect((await provisionAccess(db, machine(onlyTwo.id, "web-1"), "VSPHERE")).sshKeys).toEqual([]);

    // libvirt injects through a NoCloud seed ISO (lib/drivers/libvirt/seed-iso.ts): same document.
    const libvirt = await provisionAccess(db, machine(everything.id, "v1"), "LIBVIRT");
    expect(libvirt.access.method).toBe("libvirt");
    expect(parse(libvirt.userData!)).toMatchObject({ hostname: "v1", ssh_authorized_keys: [ED25519] }); // k2 was deleted above;
    // libvirt's test driver boots nothing: no seed, no keys, and the record says so.
    const testDriver = await provisionAccess(db, machine(everything.id, "v2"), "LIBVIRT", "test+unix:///default?socket=/tmp/x/libvirt-sock");
    expect(testDriver).toEqual({ userData: null, sshKeys: [], access: { method: null, user: "debian", keys: [] } });
    // Docker runs no cloud-init: the keys only (for the environment); Kubernetes injects nothing.
    const docker = await provisionAccess(db, machine(everything.id, "c1"), "DOCKER");
    expect(docker.userData).toBeNull();
    expect(docker.access.method).toBe("docker");
    const k8s = await provisionAccess(db, machine(everything.id, "p1"), "KUBERNETES");
    expect(k8s).toEqual({ userData: null, sshKeys: [], access: { method: null, user: "debian", keys: [] } });
  });

  it("a machine without a request takes its owner's keys; a Windows template gets nothing", async () => {
    const db = tdb.db;
    const w = await makeWorld(db);
    await addSshKey(w.memberCtx, { name: "one", publicKey: ECDSA });
    const m = { name: "solo", ownerId: w.member.id, requestId: null, templateId: w.template.id };
    expect((await provisionAccess(db, m, "SIMULATOR")).sshKeys).toEqual([ECDSA]);
    await db.template.update({ where: { id: w.template.id }, data: { osFamily: "WINDOWS" } });
    expect((await provisionAccess(db, m, "SIMULATOR")).userData).toBeNull();
    expect(readMachineAccess({ method: "lxd", user: "u", keys: [{ name: "a", fingerprint: "SHA256:x" }, { bogus: 1 }] })).toEqual({ method: "lxd", user: "u", keys: [{ name: "a", fingerprint: "SHA256:x" }] });
    expect(readMachineAccess(null)).toBeNull();
  });
});
