// Every PowerShell script the Hyper-V driver generates (no real Hyper-V: none can run here):
// parsed by a PowerShell parser (tree-sitter-powershell), compared with its golden file, and
// shown to keep hostile input inside string literals. UPDATE_GOLDEN=1 rewrites the golden files
// after a deliberate change (review the diff).
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { singleQuotedStrings, syntaxError } from "@/test/powershell-parser";
import { lit, notesFor, scripts, type HostSettings } from "./scripts";

const GOLDEN = path.join(__dirname, "golden");
const host: HostSettings = { virtualSwitch: "External vSwitch", vmPath: "D:\\Hyper-V\\Orquestra", stopTimeoutSeconds: 60 };
const VM = "6f1d3a2e-8b4c-4d5e-9f00-112233445566";
const SNAP = "0b5e2c1d-7a3f-4e61-9d2a-5c4b3a291807";
const MACHINE = "3b0c9a52-4c7e-4d3b-8a51-7f0e2d1c6b90";
const INSTALLATION = "00000000-0000-4000-8000-00000000abcd";
const machine = {
  machineId: MACHINE,
  installationId: INSTALLATION,
  name: "web 01",
  vmName: "web-01-3b0c9a52",
  vcpu: 2,
  memoryMb: 4095,
  diskGb: 80,
  templateVhdx: "C:\\Hyper-V\\Templates\\ubuntu-24.04.vhdx",
  osFamily: "LINUX" as const,
};

const ALL: Record<string, string> = {
  "test-connection": scripts.testConnection(host),
  capacity: scripts.capacity(host),
  "capacity-default-path": scripts.capacity({ ...host, vmPath: undefined }),
  list: scripts.list(),
  "find-by-machine-id": scripts.findByMachineId(MACHINE),
  get: scripts.get(VM),
  provision: scripts.provision(host, machine),
  "provision-windows": scripts.provision({ ...host, vmPath: undefined }, { ...machine, osFamily: "WINDOWS" }),
  "provision-secure-boot-off": scripts.provision({ ...host, secureBootTemplate: "Off" }, machine),
  start: scripts.start(VM),
  stop: scripts.stop(host, VM),
  reboot: scripts.reboot(VM),
  resize: scripts.resize(host, VM, { vcpu: 4, memoryMb: 8192, diskGb: 120 }),
  "resize-no-disk": scripts.resize(host, VM, { vcpu: 4, memoryMb: 8192 }),
  snapshot: scripts.snapshot(VM, "before-upgrade"),
  "list-snapshots": scripts.listSnapshots(VM),
  "revert-snapshot": scripts.revertSnapshot(VM, SNAP),
  "delete-snapshot": scripts.deleteSnapshot(VM, SNAP),
  destroy: scripts.destroy(VM),
};

describe("Hyper-V PowerShell scripts (no real Hyper-V: parser and golden files)", () => {
  for (const [name, script] of Object.entries(ALL)) {
    it(`${name}: parses as PowerShell and matches its golden file`, async () => {
      expect(await syntaxError(script)).toBe("");
      const file = path.join(GOLDEN, `${name}.ps1`);
      if (process.env.UPDATE_GOLDEN === "1") fs.writeFileSync(file, script);
      expect(fs.existsSync(file), `golden file ${name}.ps1 is missing (UPDATE_GOLDEN=1 writes it)`).toBe(true);
      expect(script).toBe(fs.readFileSync(file, "utf8"));
    });
  }

  it("the parser does find syntax errors (the check can fail)", async () => {
    expect(await syntaxError("New-VM -Name 'x' -Generation 2 {")).not.toBe("");
    expect(await syntaxError("if ($a -eq 1) { 'x' ")).not.toBe("");
    expect(await syntaxError(scripts.start(VM).replace("return @{ found = $true }", "return @{ found = $true"))).not.toBe("");
  });

  it("hostile names, paths and switches stay string literals, byte for byte", async () => {
    const hostile = [
      "x'; Remove-Item C:\\ -Recurse -Force; '",
      "O\u2019Brien\u2018s VM \u201a\u201b", // the quotes PowerShell also reads as single quotes
      "$(Stop-Computer -Force)",
      "`n`r; & calc.exe",
      "São Paulo — ação 😀",
    ];
    for (const h of hostile) {
      const script = scripts.provision({ ...host, virtualSwitch: h, vmPath: `D:\\${h}` }, { ...machine, name: h, templateVhdx: `C:\\T\\${h}.vhdx` });
      expect(await syntaxError(script), h).toBe("");
      const strings = await singleQuotedStrings(script);
      expect(strings).toContain(h);
      expect(strings).toContain(`D:\\${h}`);
      expect(strings).toContain(`C:\\T\\${h}.vhdx`);
      expect(strings).toContain(notesFor(MACHINE, INSTALLATION, h));
      // No command of the hostile text appears outside a literal.
      expect(script.replace(/'(?:[^'\u2018\u2019\u201a\u201b]|(['\u2018\u2019\u201a\u201b])\1)*'/g, "''")).not.toMatch(/Remove-Item C:|Stop-Computer|calc\.exe/);
    }
  });

  it("refuses what would not be a GUID or a whole number, and a NUL", () => {
    expect(() => scripts.get("x' -or 1 -eq 1")).toThrow(/GUID/);
    expect(() => scripts.provision(host, { ...machine, vcpu: 1.5 })).toThrow(/whole number/);
    expect(() => scripts.revertSnapshot(VM, "latest")).toThrow(/GUID/);
    expect(() => lit("a\0b")).toThrow(/NUL/);
    expect(lit("it's")).toBe("'it''s'");
  });

  it("memory is rounded up to Hyper-V's 2 MB steps", () => {
    expect(scripts.provision(host, machine)).toContain("-MemoryStartupBytes 4294967296");
  });
});
