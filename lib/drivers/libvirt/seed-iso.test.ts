import { readdirSync } from "node:fs";
import os from "node:os";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { mergeCloudConfig } from "@/lib/access/cloud-config";
import { buildSeedIso, needsSeed, seedDocuments } from "./seed-iso";

const KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIPwRTcJQ3PM7srR3iaH6sgEqygr59vSTDSDO9VFXyCAZ alice@laptop";
const ID = "0f7c1d7e-5b1a-4e63-9a35-1f0e7c8d9a01";
const seedDirs = () => readdirSync(os.tmpdir()).filter((n) => n.startsWith("orq-libvirt-seed-")).sort();

describe("libvirt NoCloud seed", () => {
  it("is needed only when there is user data or a key", () => {
    expect(needsSeed({})).toBe(false);
    expect(needsSeed({ userData: null, sshKeys: [] })).toBe(false);
    expect(needsSeed({ userData: "  \n", sshKeys: [" "] })).toBe(false);
    expect(needsSeed({ userData: "#cloud-config\n" })).toBe(true);
    expect(needsSeed({ sshKeys: [KEY] })).toBe(true);
  });

  it("merges with the same function as the other drivers: idempotent on merged user data, keys alone still arrive", () => {
    const merged = mergeCloudConfig({ userData: "#cloud-config\npackages: [nginx]\n", hostname: "web-1", sshKeys: [KEY] });
    const docs = seedDocuments({ machineId: ID, userData: merged, sshKeys: [KEY] }, "web-1");
    expect(docs.userData).toBe(merged);
    expect(docs.metaData).toBe(`instance-id: ${ID}\nlocal-hostname: web-1\n`);
    const keysOnly = seedDocuments({ machineId: ID, userData: null, sshKeys: [KEY] }, "web-1");
    expect(keysOnly.userData.startsWith("#cloud-config\n")).toBe(true);
    expect(parse(keysOnly.userData)).toEqual({ hostname: "web-1", preserve_hostname: false, ssh_authorized_keys: [KEY] });
  });

  it("refuses user data that is not a cloud-config mapping with a typed error", () => {
    expect(() => seedDocuments({ machineId: ID, userData: "- a\n- b\n" }, "web-1")).toThrow(expect.objectContaining({ code: "PROVIDER", retryable: false }));
    expect(() => seedDocuments({ machineId: ID, userData: "a: [\n" }, "web-1")).toThrow(/cloud-init user data cannot be read/);
  });

  it("says genisoimage is not installed when it is absent, and leaves no temporary directory", async () => {
    const before = seedDirs();
    const docs = seedDocuments({ machineId: ID, sshKeys: [KEY] }, "web-1");
    await expect(buildSeedIso(docs, { genisoimage: "/nonexistent/genisoimage", signal: AbortSignal.timeout(10_000) })).rejects.toMatchObject({
      name: "DriverError",
      code: "UNSUPPORTED",
      retryable: false,
      message: expect.stringContaining("genisoimage is not installed"),
    });
    expect(seedDirs()).toEqual(before);
  });

  it("reports a genisoimage that fails, typed, without leaking its directory", async () => {
    const before = seedDirs();
    // `false` exits 1 without output: a failing build.
    await expect(buildSeedIso({ userData: "#cloud-config\n", metaData: "instance-id: x\n" }, { genisoimage: "false", signal: AbortSignal.timeout(10_000) })).rejects.toMatchObject({
      code: "PROVIDER",
      message: expect.stringContaining("genisoimage could not build the cloud-init seed"),
    });
    expect(seedDirs()).toEqual(before);
  });
});
