$ErrorActionPreference = 'Stop'
$ProgressPreference = 'SilentlyContinue'
$VmProperties = @('Id', 'Name', 'State', 'ProcessorCount', 'MemoryStartup', 'Notes', 'ComputerName', 'Generation', 'Path')
try {
  $result = & {
$vm = Get-VM | Where-Object { $_.Id -eq '6f1d3a2e-8b4c-4d5e-9f00-112233445566' } | Select-Object -First 1
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
return @{ found = $true }
  }
  ConvertTo-Json -InputObject @{ ok = $true; result = $result } -Depth 6 -Compress
} catch {
  $e = $_
  ConvertTo-Json -InputObject @{ ok = $false; message = $e.Exception.Message; category = $e.CategoryInfo.Category.ToString(); id = $e.FullyQualifiedErrorId } -Compress
  exit 1
}
