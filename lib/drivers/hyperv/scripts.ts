// The PowerShell the Hyper-V driver runs, one script per operation, built from the Hyper-V
// module's cmdlets (Get-VM, New-VHD -Differencing, New-VM -Generation 2, Set-VMProcessor,
// Set-VMMemory, Set-VM -Notes, Start-VM, Stop-VM, Checkpoint-VM, Restore-VMSnapshot, Remove-VM).
// Every value from outside (names, paths, the switch, ids) enters as a single-quoted literal
// (`lit`), every number is checked to be an integer: nothing a user types can become code.
// Each script answers one line of JSON on stdout, {"ok":true,"result":...} or
// {"ok":false,"message","category","id"} with exit code 1, so errors arrive in words without
// parsing PowerShell's CLIXML error stream. VMs are reported as `Get-VM | Select-Object`
// objects converted by ConvertTo-Json (parse.ts reads both Windows PowerShell 5.1's and
// PowerShell 7's forms). Every script is checked by a PowerShell parser and golden files
// (scripts.test.ts).

/** The properties of a VM every script reports (Get-VM's own names). */
export const VM_PROPERTIES = ["Id", "Name", "State", "ProcessorCount", "MemoryStartup", "Notes", "ComputerName", "Generation", "Path"] as const;

/** Characters PowerShell reads as a single quote inside a single-quoted string: each is doubled. */
const QUOTES = /['\u2018\u2019\u201a\u201b]/g;

/** A PowerShell single-quoted literal of `s` (no variable expansion, no escapes but doubled quotes). */
export function lit(s: string): string {
  if (/\0/.test(s)) throw new Error("a NUL character cannot be passed to PowerShell");
  return `'${s.replace(QUOTES, (q) => q + q)}'`;
}

/** An integer for a script (anything else is a bug upstream, refused here). */
export function int(n: number): string {
  if (!Number.isSafeInteger(n) || n < 0) throw new Error(`not a whole number: ${n}`);
  return String(n);
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export const isGuid = (s: string) => GUID.test(s);

/** The ownership tags written in the VM's Notes (shown in Hyper-V Manager), one per line. */
export function notesFor(machineId: string, installationId: string, name: string): string {
  return `Orquestra machine ${name}\norquestra:machine-id=${machineId}\norquestra:installation-id=${installationId}`;
}

/** The folder of a machine: its id in the path tags the VM from the moment New-VM creates it. */
export const machineFolder = (machineId: string) => `orquestra-${machineId}`;

function wrap(body: string): string {
  // The body is not re-indented: a string literal may span lines (the Notes do).
  return `$ErrorActionPreference = 'Stop'
$ProgressPreference = 'SilentlyContinue'
$VmProperties = @(${VM_PROPERTIES.map((p) => `'${p}'`).join(", ")})
try {
  $result = & {
${body.trim()}
  }
  ConvertTo-Json -InputObject @{ ok = $true; result = $result } -Depth 6 -Compress
} catch {
  $e = $_
  ConvertTo-Json -InputObject @{ ok = $false; message = $e.Exception.Message; category = $e.CategoryInfo.Category.ToString(); id = $e.FullyQualifiedErrorId } -Compress
  exit 1
}
`;
}

/** Finds the VM by id into $vm ($null when there is none). */
const findVm = (ref: string) => {
  if (!isGuid(ref)) throw new Error("a VM id is a GUID");
  return `$vm = Get-VM | Where-Object { $_.Id -eq ${lit(ref)} } | Select-Object -First 1`;
};

/** Stops $vm: a guest shutdown, then power off if it has not stopped within `seconds`. */
const stopVm = (seconds: number) => `if ($vm.State -ne 'Off') {
  $job = Stop-VM -VM $vm -Force -AsJob
  if (-not (Wait-Job -Job $job -Timeout ${int(seconds)})) {
    Stop-Job -Job $job
    Stop-VM -VM $vm -TurnOff -Force
  }
  Remove-Job -Job $job -Force
}`;

export interface HostSettings {
  virtualSwitch: string;
  /** Where VM folders go; empty: the host's VirtualMachinePath. */
  vmPath?: string;
  secureBootTemplate?: "MicrosoftWindows" | "MicrosoftUEFICertificateAuthority" | "Off";
  stopTimeoutSeconds: number;
}

export const scripts = {
  testConnection(s: HostSettings): string {
    return wrap(`$h = Get-VMHost
$switches = @(Get-VMSwitch -Name ${lit(s.virtualSwitch)} -ErrorAction SilentlyContinue)
return @{ host = $h.ComputerName; psVersion = $PSVersionTable.PSVersion.ToString(); switchFound = ($switches.Count -gt 0) }`);
  },

  capacity(s: HostSettings): string {
    return wrap(`$h = Get-VMHost
$path = ${s.vmPath ? lit(s.vmPath) : "$h.VirtualMachinePath"}
$volume = Get-Volume -FilePath $path
return @{ name = $h.ComputerName; vcpu = $h.LogicalProcessorCount; memoryBytes = $h.MemoryCapacity; diskBytes = $volume.Size }`);
  },

  list(): string {
    return wrap(`$vms = @(Get-VM | Select-Object -Property $VmProperties)
return @{ vms = $vms }`);
  },

  findByMachineId(machineId: string): string {
    if (!isGuid(machineId)) throw new Error("a machine id is a GUID");
    return wrap(`$tag = ${lit(`*orquestra:machine-id=${machineId}*`)}
$folder = ${lit(`*${machineFolder(machineId)}*`)}
$vms = @(Get-VM | Where-Object { ($_.Notes -like $tag) -or ($_.Path -like $folder) } | Select-Object -Property $VmProperties)
return @{ vms = $vms }`);
  },

  get(ref: string): string {
    return wrap(`${findVm(ref)}
if ($null -eq $vm) { return @{ found = $false } }
$disk = @($vm | Get-VMHardDiskDrive) | Select-Object -First 1
$diskBytes = 0
if ($null -ne $disk) { $diskBytes = (Get-VHD -Path $disk.Path).Size }
return @{ found = $true; vm = ($vm | Select-Object -Property $VmProperties); diskBytes = $diskBytes }`);
  },

  provision(
    s: HostSettings,
    m: { machineId: string; installationId: string; name: string; vmName: string; vcpu: number; memoryMb: number; diskGb: number; templateVhdx: string; osFamily: "LINUX" | "WINDOWS" },
  ): string {
    if (!isGuid(m.machineId) || !isGuid(m.installationId)) throw new Error("machine and installation ids are GUIDs");
    // Hyper-V wants memory in multiples of 2 MB.
    const memoryBytes = Math.ceil(m.memoryMb / 2) * 2 * 1_048_576;
    const template = s.secureBootTemplate ?? (m.osFamily === "WINDOWS" ? "MicrosoftWindows" : "MicrosoftUEFICertificateAuthority");
    const secureBoot = template === "Off" ? "Set-VMFirmware -VM $vm -EnableSecureBoot Off" : `Set-VMFirmware -VM $vm -EnableSecureBoot On -SecureBootTemplate ${lit(template)}`;
    return wrap(`$tag = ${lit(`*orquestra:machine-id=${m.machineId}*`)}
$folder = ${lit(`*${machineFolder(m.machineId)}*`)}
$vm = Get-VM | Where-Object { ($_.Notes -like $tag) -or ($_.Path -like $folder) } | Select-Object -First 1
if ($null -eq $vm) {
  $root = ${s.vmPath ? lit(s.vmPath) : "(Get-VMHost).VirtualMachinePath"}
  $dir = Join-Path $root ${lit(machineFolder(m.machineId))}
  New-Item -ItemType Directory -Path $dir -Force | Out-Null
  $disk = Join-Path $dir ${lit(`${m.vmName}.vhdx`)}
  if (-not (Test-Path -LiteralPath $disk)) {
    New-VHD -Path $disk -ParentPath ${lit(m.templateVhdx)} -Differencing | Out-Null
  }
  $want = ${int(m.diskGb)} * 1073741824
  if ((Get-VHD -Path $disk).Size -lt $want) {
    Resize-VHD -Path $disk -SizeBytes $want
  }
  $vm = New-VM -Name ${lit(m.vmName)} -Generation 2 -MemoryStartupBytes ${int(memoryBytes)} -VHDPath $disk -SwitchName ${lit(s.virtualSwitch)} -Path $dir
  Set-VMProcessor -VM $vm -Count ${int(m.vcpu)}
  Set-VMMemory -VM $vm -DynamicMemoryEnabled $false -StartupBytes ${int(memoryBytes)}
  ${secureBoot}
  Set-VM -VM $vm -Notes ${lit(notesFor(m.machineId, m.installationId, m.name))} -AutomaticCheckpointsEnabled $false
}
if ($vm.State -ne 'Running') {
  Start-VM -VM $vm
}
$vm = Get-VM -Id $vm.Id
return @{ vm = ($vm | Select-Object -Property $VmProperties) }`);
  },

  start(ref: string): string {
    return wrap(`${findVm(ref)}
if ($null -eq $vm) { return @{ found = $false } }
if ($vm.State -ne 'Running') {
  Start-VM -VM $vm
}
return @{ found = $true }`);
  },

  stop(s: HostSettings, ref: string): string {
    return wrap(`${findVm(ref)}
if ($null -eq $vm) { return @{ found = $false } }
${stopVm(s.stopTimeoutSeconds)}
return @{ found = $true }`);
  },

  reboot(ref: string): string {
    return wrap(`${findVm(ref)}
if ($null -eq $vm) { return @{ found = $false } }
Restart-VM -VM $vm -Type Reboot -Force
return @{ found = $true }`);
  },

  resize(s: HostSettings, ref: string, size: { vcpu: number; memoryMb: number; diskGb?: number }): string {
    const memoryBytes = Math.ceil(size.memoryMb / 2) * 2 * 1_048_576;
    const grow =
      size.diskGb !== undefined
        ? `
$disk = @($vm | Get-VMHardDiskDrive) | Select-Object -First 1
$want = ${int(size.diskGb)} * 1073741824
if (($null -ne $disk) -and ((Get-VHD -Path $disk.Path).Size -lt $want)) {
  Resize-VHD -Path $disk.Path -SizeBytes $want
}`
        : "";
    return wrap(`${findVm(ref)}
if ($null -eq $vm) { return @{ found = $false } }
$wasRunning = ($vm.State -eq 'Running')
${stopVm(s.stopTimeoutSeconds)}
Set-VMProcessor -VM $vm -Count ${int(size.vcpu)}
Set-VMMemory -VM $vm -DynamicMemoryEnabled $false -StartupBytes ${int(memoryBytes)}${grow}
if ($wasRunning) {
  Start-VM -VM $vm
}
return @{ found = $true }`);
  },

  snapshot(ref: string, name: string): string {
    return wrap(`${findVm(ref)}
if ($null -eq $vm) { return @{ found = $false } }
$snap = Get-VMSnapshot -VM $vm | Where-Object { $_.Name -eq ${lit(name)} } | Select-Object -First 1
if ($null -eq $snap) {
  $snap = Checkpoint-VM -VM $vm -SnapshotName ${lit(name)} -Passthru
}
return @{ found = $true; snapshot = @{ id = $snap.Id.ToString(); name = $snap.Name; created = $snap.CreationTime.ToUniversalTime().ToString('o') } }`);
  },

  listSnapshots(ref: string): string {
    return wrap(`${findVm(ref)}
if ($null -eq $vm) { return @{ found = $false } }
$snaps = @(Get-VMSnapshot -VM $vm | ForEach-Object { @{ id = $_.Id.ToString(); name = $_.Name; created = $_.CreationTime.ToUniversalTime().ToString('o') } })
return @{ found = $true; snapshots = $snaps }`);
  },

  revertSnapshot(ref: string, snapshotRef: string): string {
    if (!isGuid(snapshotRef)) throw new Error("a checkpoint id is a GUID");
    return wrap(`${findVm(ref)}
if ($null -eq $vm) { return @{ found = $false } }
$snap = Get-VMSnapshot -VM $vm | Where-Object { $_.Id -eq ${lit(snapshotRef)} } | Select-Object -First 1
if ($null -eq $snap) { return @{ found = $true; snapshotFound = $false } }
$wasRunning = ($vm.State -eq 'Running')
Restore-VMSnapshot -VMSnapshot $snap -Confirm:$false
$vm = Get-VM -Id $vm.Id
if ($wasRunning -and ($vm.State -ne 'Running')) {
  Start-VM -VM $vm
}
return @{ found = $true; snapshotFound = $true }`);
  },

  deleteSnapshot(ref: string, snapshotRef: string): string {
    if (!isGuid(snapshotRef)) throw new Error("a checkpoint id is a GUID");
    return wrap(`${findVm(ref)}
if ($null -eq $vm) { return @{ found = $false } }
$snap = Get-VMSnapshot -VM $vm | Where-Object { $_.Id -eq ${lit(snapshotRef)} } | Select-Object -First 1
if ($null -ne $snap) {
  Remove-VMSnapshot -VMSnapshot $snap -Confirm:$false
}
return @{ found = $true }`);
  },

  destroy(ref: string): string {
    return wrap(`${findVm(ref)}
if ($null -eq $vm) { return @{ found = $false } }
if ($vm.State -ne 'Off') {
  Stop-VM -VM $vm -TurnOff -Force
}
$disks = @($vm | Get-VMHardDiskDrive | ForEach-Object { $_.Path })
$dir = $vm.Path
Remove-VM -VM $vm -Force
foreach ($d in $disks) {
  Remove-Item -LiteralPath $d -Force -ErrorAction SilentlyContinue
}
# New-VM puts the VM's files in a folder under the machine's orquestra-<id> folder: remove that one.
while ($dir -and ((Split-Path -Path $dir -Leaf) -notlike 'orquestra-*')) {
  $dir = Split-Path -Path $dir -Parent
}
if ($dir) {
  Remove-Item -LiteralPath $dir -Recurse -Force -ErrorAction SilentlyContinue
}
return @{ found = $true }`);
  },
};
