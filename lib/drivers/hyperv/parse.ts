// Reads what the Hyper-V scripts answer (scripts.ts): the JSON envelope, errors classified by
// PowerShell's error category, and VMs as ConvertTo-Json writes `Get-VM | Select-Object` objects.
// Windows PowerShell 5.1 writes enums as numbers (State 2) and PowerShell 7 with
// -EnumsAsStrings as names ("Running"); a list of one may arrive as a bare object and an empty
// one as null. All of these are read the same way.
import { DriverError, type DriverMachine, type DriverMachineState } from "../types";
import { clixmlErrors } from "./winrm";

/** Microsoft.HyperV.PowerShell.VMState: numbers (5.1) and names (7, -EnumsAsStrings). */
const VM_STATES: Record<string, DriverMachineState> = {
  "2": "RUNNING",
  Running: "RUNNING",
  "3": "STOPPED",
  Off: "STOPPED",
  "6": "STOPPED",
  Saved: "STOPPED",
  "32779": "STOPPED",
  FastSaved: "STOPPED",
  "9": "PAUSED",
  Paused: "PAUSED",
  "4": "PENDING",
  Stopping: "PENDING",
  "10": "PENDING",
  Starting: "PENDING",
  "11": "PENDING",
  Reset: "PENDING",
  "32773": "PENDING",
  Saving: "PENDING",
  "32776": "PENDING",
  Pausing: "PENDING",
  "32777": "PENDING",
  Resuming: "PENDING",
  "32780": "PENDING",
  FastSaving: "PENDING",
  // The ...Critical states: the VM's storage is not reachable.
  "32785": "ERROR",
  RunningCritical: "ERROR",
  "32786": "ERROR",
  OffCritical: "ERROR",
};

export function mapVmState(state: unknown): DriverMachineState {
  return VM_STATES[String(state)] ?? "UNKNOWN";
}

export interface HypervVm {
  Id?: string;
  Name?: string;
  State?: number | string;
  ProcessorCount?: number;
  MemoryStartup?: number;
  Notes?: string | null;
  ComputerName?: string;
  Generation?: number;
  Path?: string;
}

/** A JSON list as PowerShell may write it: an array, a bare object for one, null for none. */
export function listOf<T>(v: T | T[] | null | undefined): T[] {
  if (v === null || v === undefined) return [];
  return Array.isArray(v) ? v : [v];
}

const tag = (notes: string | null | undefined, key: string): string | null => {
  const m = new RegExp(`orquestra:${key}=([0-9a-fA-F-]{36})`).exec(notes ?? "");
  return m ? m[1].toLowerCase() : null;
};

export function toMachine(vm: HypervVm, diskBytes?: number): DriverMachine {
  const id = String(vm.Id ?? "")
    .replace(/^\{|\}$/g, "")
    .toLowerCase();
  if (!id) throw new DriverError("PROVIDER", "Hyper-V answered a VM without an id", false);
  return {
    ref: id,
    machineId: tag(vm.Notes, "machine-id"),
    installationId: tag(vm.Notes, "installation-id"),
    name: vm.Name ?? id,
    state: mapVmState(vm.State),
    vcpu: typeof vm.ProcessorCount === "number" ? vm.ProcessorCount : undefined,
    memoryMb: typeof vm.MemoryStartup === "number" ? Math.round(vm.MemoryStartup / 1_048_576) : undefined,
    diskGb: diskBytes ? Math.round(diskBytes / 1_073_741_824) : undefined,
    hostRef: vm.ComputerName ?? null,
  };
}

interface Envelope {
  ok?: boolean;
  result?: unknown;
  message?: string;
  category?: string;
  id?: string;
}

/** The script's answer, or the DriverError it means. `what` names the operation for messages. */
export function readAnswer<T>(out: { stdout: string; stderr: string; exitCode: number }, what: string, where: string): T {
  const line = out.stdout
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l.startsWith("{"))
    .pop();
  let env: Envelope | null = null;
  if (line) {
    try {
      env = JSON.parse(line) as Envelope;
    } catch {
      env = null;
    }
  }
  if (env && env.ok === true && out.exitCode === 0) return env.result as T;
  if (env && env.ok === false) throw classify(env, what, where);
  const detail = clixmlErrors(out.stderr).slice(0, 400);
  throw new DriverError("PROVIDER", `${where}: ${what} failed${out.exitCode ? ` (exit code ${out.exitCode})` : ""}${detail ? `: ${detail}` : ": no answer from PowerShell"}`, false);
}

/** A PowerShell error by its category (ErrorCategory) and id, in plain words. */
export function classify(e: Envelope, what: string, where: string): DriverError {
  const message = (e.message ?? "").replace(/\s+/g, " ").trim().slice(0, 400);
  const category = e.category ?? "";
  const id = e.id ?? "";
  if (/CommandNotFoundException/.test(id)) {
    return new DriverError("UNSUPPORTED", `${where} has no Hyper-V PowerShell module (${message})`, false);
  }
  if (category === "PermissionDenied" || category === "SecurityError" || /Access is denied|UnauthorizedAccess/i.test(message)) {
    return new DriverError("AUTH", `${where}: the account may not ${what} (add it to Hyper-V Administrators): ${message}`, false);
  }
  if (/not enough memory|insufficient (system )?resources|not enough space|disk is full/i.test(message)) {
    return new DriverError("CAPACITY", `${where}: ${what}: ${message}`, false);
  }
  if (category === "ObjectNotFound") return new DriverError("NOT_FOUND", `${where}: ${what}: ${message}`, false);
  if (category === "OperationTimeout") return new DriverError("TIMEOUT", `${where}: ${what} timed out: ${message}`);
  if (category === "ResourceBusy" || category === "ResourceUnavailable") {
    return new DriverError("UNAVAILABLE", `${where}: ${what}: ${message}`);
  }
  return new DriverError("PROVIDER", `${where}: ${what} failed: ${message || category || "PowerShell error"}`, false);
}
