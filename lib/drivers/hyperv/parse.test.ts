// Reading the Hyper-V scripts' answers (no real Hyper-V: the fixtures are written in the forms
// ConvertTo-Json produces, see fixtures/README.md).
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { DriverError } from "../types";
import { listOf, mapVmState, readAnswer, toMachine, type HypervVm } from "./parse";
import { clixmlErrors } from "./winrm";

const fixture = (name: string) => fs.readFileSync(path.join(__dirname, "fixtures", name), "utf8");
const answer = (stdout: string, exitCode = 0, stderr = "") => ({ stdout, stderr, exitCode });
const WHERE = "Hyper-V (WinRM at hv01:5986)";

describe("Hyper-V answers (no real Hyper-V: documented ConvertTo-Json forms)", () => {
  it("Windows PowerShell 5.1: states as numbers, ownership from the Notes, memory in MiB", () => {
    const r = readAnswer<{ vms: HypervVm[] }>(answer(fixture("ps51-list.json")), "list VMs", WHERE);
    const vms = listOf(r.vms).map((v) => toMachine(v));
    expect(vms.map((v) => [v.name, v.state])).toEqual([
      ["web-01-3b0c9a52", "RUNNING"],
      ["dc01", "STOPPED"],
      ["legacy-app", "STOPPED"],
      ["build", "PENDING"],
    ]);
    expect(vms[0]).toEqual({
      ref: "6f1d3a2e-8b4c-4d5e-9f00-112233445566",
      machineId: "3b0c9a52-4c7e-4d3b-8a51-7f0e2d1c6b90",
      installationId: "00000000-0000-4000-8000-00000000abcd",
      name: "web-01-3b0c9a52",
      state: "RUNNING",
      vcpu: 2,
      memoryMb: 4096,
      diskGb: undefined,
      hostRef: "HV01",
    });
    // VMs Orquestra did not make carry no tags (empty or null Notes).
    expect(vms.slice(1).map((v) => [v.machineId, v.installationId])).toEqual([
      [null, null],
      [null, null],
      [null, null],
    ]);
  });

  it("PowerShell 7: states as names, a one-VM list as a bare object, an empty list as null", () => {
    const one = readAnswer<{ vms: HypervVm }>(answer(fixture("ps7-list-one.json")), "list VMs", WHERE);
    expect(listOf(one.vms).map((v) => toMachine(v).state)).toEqual(["PAUSED"]);
    const none = readAnswer<{ vms: null }>(answer(fixture("ps7-list-empty.json")), "list VMs", WHERE);
    expect(listOf(none.vms)).toEqual([]);
  });

  it("a VM with its disk size", () => {
    const r = readAnswer<{ found: boolean; vm: HypervVm; diskBytes: number }>(answer(fixture("ps51-get.json")), "read a VM", WHERE);
    expect(toMachine(r.vm, r.diskBytes)).toMatchObject({ state: "STOPPED", vcpu: 4, memoryMb: 8192, diskGb: 120 });
  });

  it("maps every VMState it knows, and nothing else to a known state", () => {
    expect([2, 3, 6, 9, 4, 10, 11, 32773, 32776, 32777, 32779, 32780, 32785].map(mapVmState)).toEqual([
      "RUNNING",
      "STOPPED",
      "STOPPED",
      "PAUSED",
      "PENDING",
      "PENDING",
      "PENDING",
      "PENDING",
      "PENDING",
      "PENDING",
      "STOPPED",
      "PENDING",
      "ERROR",
    ]);
    expect([1, "Other", 999, undefined, null].map(mapVmState)).toEqual(["UNKNOWN", "UNKNOWN", "UNKNOWN", "UNKNOWN", "UNKNOWN"]);
  });

  it("errors by PowerShell's category, in plain words", () => {
    const err = (name: string) => {
      try {
        readAnswer(answer(fixture(name), 1), "start the VM", WHERE);
      } catch (e) {
        return e as DriverError;
      }
      throw new Error("no error");
    };
    expect(err("error-not-enough-memory.json")).toMatchObject({ code: "CAPACITY", retryable: false });
    expect(err("error-no-module.json")).toMatchObject({ code: "UNSUPPORTED", message: expect.stringContaining("no Hyper-V PowerShell module") });
    expect(err("error-access-denied.json")).toMatchObject({ code: "AUTH", message: expect.stringContaining("Hyper-V Administrators") });
    expect(err("error-vhdx-missing.json")).toMatchObject({ code: "NOT_FOUND", message: expect.stringContaining("cannot find the file") });
  });

  it("no JSON: the CLIXML error stream in words, or the exit code", () => {
    const stderr =
      '#< CLIXML\r\n<Objs Version="1.1.0.1" xmlns="http://schemas.microsoft.com/powershell/2004/04"><S S="Error">At line:1 char:12_x000D__x000A_</S><S S="Error">+ if ($a -eq { _x000D__x000A_</S><S S="Error">Missing closing &apos;}&apos; in statement block._x000D__x000A_</S></Objs>';
    expect(clixmlErrors(stderr)).toBe("At line:1 char:12 + if ($a -eq { Missing closing '}' in statement block.");
    expect(() => readAnswer(answer("", 1, stderr), "list VMs", WHERE)).toThrow(/list VMs failed \(exit code 1\): At line:1 char:12/);
    expect(() => readAnswer(answer("not json", 0), "list VMs", WHERE)).toThrow(/no answer from PowerShell/);
    // A success envelope with a failing exit code is a failure.
    expect(() => readAnswer(answer('{"ok":true,"result":{}}', 3), "list VMs", WHERE)).toThrow(/exit code 3/);
  });

  it("a VM without an id is refused", () => {
    expect(() => toMachine({ Name: "x" })).toThrow(/without an id/);
    expect(toMachine({ Id: "{6F1D3A2E-8B4C-4D5E-9F00-112233445566}", Name: "x" }).ref).toBe("6f1d3a2e-8b4c-4d5e-9f00-112233445566");
  });
});
