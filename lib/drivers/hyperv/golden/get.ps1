$ErrorActionPreference = 'Stop'
$ProgressPreference = 'SilentlyContinue'
$VmProperties = @('Id', 'Name', 'State', 'ProcessorCount', 'MemoryStartup', 'Notes', 'ComputerName', 'Generation', 'Path')
try {
  $result = & {
$vm = Get-VM | Where-Object { $_.Id -eq '6f1d3a2e-8b4c-4d5e-9f00-112233445566' } | Select-Object -First 1
if ($null -eq $vm) { return @{ found = $false } }
$disk = @($vm | Get-VMHardDiskDrive) | Select-Object -First 1
$diskBytes = 0
if ($null -ne $disk) { $diskBytes = (Get-VHD -Path $disk.Path).Size }
return @{ found = $true; vm = ($vm | Select-Object -Property $VmProperties); diskBytes = $diskBytes }
  }
  ConvertTo-Json -InputObject @{ ok = $true; result = $result } -Depth 6 -Compress
} catch {
  $e = $_
  ConvertTo-Json -InputObject @{ ok = $false; message = $e.Exception.Message; category = $e.CategoryInfo.Category.ToString(); id = $e.FullyQualifiedErrorId } -Compress
  exit 1
}
