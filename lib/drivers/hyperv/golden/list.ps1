$ErrorActionPreference = 'Stop'
$ProgressPreference = 'SilentlyContinue'
$VmProperties = @('Id', 'Name', 'State', 'ProcessorCount', 'MemoryStartup', 'Notes', 'ComputerName', 'Generation', 'Path')
try {
  $result = & {
$vms = @(Get-VM | Select-Object -Property $VmProperties)
return @{ vms = $vms }
  }
  ConvertTo-Json -InputObject @{ ok = $true; result = $result } -Depth 6 -Compress
} catch {
  $e = $_
  ConvertTo-Json -InputObject @{ ok = $false; message = $e.Exception.Message; category = $e.CategoryInfo.Category.ToString(); id = $e.FullyQualifiedErrorId } -Compress
  exit 1
}
