import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { checkCloudConfig, mergeCloudConfig, parseProblemMessage, problemMessage } from "./cloud-config";
import { templateFieldsSchema } from "../templates/schemas";

const KEY_A = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIPwRTcJQ3PM7srR3iaH6sgEqygr59vSTDSDO9VFXyCAZ alice@laptop";
const KEY_B = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIBbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb bob";

describe("checkCloudConfig", () => {
  it("accepts empty text, comments only and a cloud-config mapping", () => {
    expect(checkCloudConfig("")).toBeNull();
    expect(checkCloudConfig("#cloud-config\n")).toBeNull();
    expect(checkCloudConfig("#cloud-config\npackages:\n  - nginx\nruncmd:\n  - [systemctl, enable, --now, nginx]\n")).toBeNull();
  });

  it("gives the line and column of a YAML syntax error", () => {
    expect(checkCloudConfig("#cloud-config\npackages:\n  - nginx\n  bad: [\n")).toMatchObject({ key: "userDataYaml", line: 4 });
    expect(checkCloudConfig("a: 1\na: 2\n")).toMatchObject({ key: "userDataYaml", line: 2, col: 1 });
  });

  it("refuses a list, a scalar, a script and a list key given a scalar", () => {
    expect(checkCloudConfig("- nginx\n")).toMatchObject({ key: "userDataNotMapping", line: 1, col: 1 });
    expect(checkCloudConfig("#cloud-config\njust text\n")).toMatchObject({ key: "userDataNotMapping", line: 2 });
    expect(checkCloudConfig("#!/bin/sh\necho hi\n")).toMatchObject({ key: "userDataNotCloudConfig" });
    expect(checkCloudConfig("#cloud-config\nhostname: x\npackages: nginx\n")).toEqual({ key: "userDataListExpected", field: "packages", line: 3, col: 11 });
  });

  it("travels as a message with its position through the template schema", () => {
    const r = templateFieldsSchema.safeParse({ name: "U", osFamily: "LINUX", osName: "Ubuntu", osVersion: "24.04", description: "", minDiskGb: 10, userData: "runcmd: echo\n" });
    expect(r.success).toBe(false);
    const msg = r.error!.issues.find((i) => i.path[0] === "userData")!.message;
    expect(msg).toBe("templates.validation.userDataListExpected@1:9:runcmd");
    expect(parseProblemMessage(msg)).toEqual({ key: "templates.validation.userDataListExpected", line: 1, col: 9, field: "runcmd" });
    expect(problemMessage({ key: "userDataTooLong" })).toBe("templates.validation.userDataTooLong");
    expect(parseProblemMessage("templates.validation.userDataTooLong")).toEqual({ key: "templates.validation.userDataTooLong" });
  });
});

describe("mergeCloudConfig", () => {
  it("starts with #cloud-config and sets the hostname and the keys when the template has nothing", () => {
    const out = mergeCloudConfig({ userData: "", hostname: "web-1", sshKeys: [KEY_A] });
    expect(out.startsWith("#cloud-config\n")).toBe(true);
    expect(parse(out)).toEqual({ hostname: "web-1", preserve_hostname: false, ssh_authorized_keys: [KEY_A] });
  });

  it("keeps the template's document, the machine name wins over its hostname, keys are added once", () => {
    const tpl = `#cloud-config\nhostname: template-name\npackages: [nginx]\nruncmd:\n  - echo hi\nssh_authorized_keys:\n  - ${KEY_B}\n`;
    const doc = parse(mergeCloudConfig({ userData: tpl, hostname: "web-2", sshKeys: [KEY_A, KEY_B, ` ${KEY_A} `] }));
    expect(doc.hostname).toBe("web-2");
    expect(doc.packages).toEqual(["nginx"]);
    expect(doc.runcmd).toEqual(["echo hi"]);
    expect(doc.ssh_authorized_keys).toEqual([KEY_B, KEY_A]);
  });

  it("adds the keys to the template's default user when it lists users", () => {
    const tpl = "users:\n  - default\n  - name: ops\n    sudo: ALL=(ALL) NOPASSWD:ALL\n  - name: other\n";
    const doc = parse(mergeCloudConfig({ userData: tpl, hostname: "db", sshKeys: [KEY_A], defaultUser: "ops" }));
    expect(doc.users[0]).toBe("default");
    expect(doc.users[1]).toEqual({ name: "ops", sudo: "ALL=(ALL) NOPASSWD:ALL", ssh_authorized_keys: [KEY_A] });
    expect(doc.users[2]).toEqual({ name: "other" });
  });

  it("without keys adds no ssh_authorized_keys and keeps preserve_hostname if the template set it", () => {
    const doc = parse(mergeCloudConfig({ userData: "preserve_hostname: true\n", hostname: "x", sshKeys: [] }));
    expect(doc).toEqual({ preserve_hostname: true, hostname: "x" });
  });

  it("refuses user data that is not a mapping (never saved, but never silently dropped)", () => {
    expect(() => mergeCloudConfig({ userData: "- a\n", hostname: "x", sshKeys: [] })).toThrow(/mapping/);
    expect(() => mergeCloudConfig({ userData: "a: [\n", hostname: "x", sshKeys: [] })).toThrow(/YAML/);
  });
});
