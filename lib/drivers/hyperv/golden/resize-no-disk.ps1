$ErrorActionPreference = 'Stop'
$ProgressPreference = 'SilentlyContinue'
$VmProperties = @('Id', 'Name', 'State', 'ProcessorCount', 'MemoryStartup', 'Notes', 'ComputerName', 'Generation', 'Path')
try {
  $result = & {
$vm = Get-VM | Where-Object { $_.Id -eq '6f1d3a2e-8b4c-4d5e-9f00-112233445566' } | Select-Object -First 1
if ($null -eq $vm) { return @{ found = $false } }
$wasRunning = ($vm.State -eq 'Running')
if ($vm.State -ne 'Off') {
  $job = Stop-VM -VM $vm -Force -AsJob
  if (-not (Wait-Job -Job $job -Timeout 60)) {
    Stop-Job -Job $job
    Stop-VM -VM $vm -TurnOff -Force
  }
  Remove-Job -Job $job -Force
}
Set-VMProcessor -VM $vm -Count 4
Set-VMMemory -VM $vm -DynamicMemoryEnabled $false -StartupBytes 8589934592
if ($wasRunning) {
  Start-VM -VM $vm
}
return @{ found = $true }
  }
  ConvertTo-Json -InputObject @{ ok = $true; result = $result } -Depth 6 -Compress
} catch {
  $e = $_
  ConvertTo-Json -InputObject @{ ok = $false; message = $e.Exception.Message; category = $e.CategoryInfo.Category.ToString(); id = $e.FullyQualifiedErrorId } -Compress
  exit 1
}
