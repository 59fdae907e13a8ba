$ErrorActionPreference = 'Stop'
$ProgressPreference = 'SilentlyContinue'
$VmProperties = @('Id', 'Name', 'State', 'ProcessorCount', 'MemoryStartup', 'Notes', 'ComputerName', 'Generation', 'Path')
try {
  $result = & {
$tag = '*orquestra:machine-id=3b0c9a52-4c7e-4d3b-8a51-7f0e2d1c6b90*'
$folder = '*orquestra-3b0c9a52-4c7e-4d3b-8a51-7f0e2d1c6b90*'
$vms = @(Get-VM | Where-Object { ($_.Notes -like $tag) -or ($_.Path -like $folder) } | Select-Object -Property $VmProperties)
return @{ vms = $vms }
  }
  ConvertTo-Json -InputObject @{ ok = $true; result = $result } -Depth 6 -Compress
} catch {
  $e = $_
  ConvertTo-Json -InputObject @{ ok = $false; message = $e.Exception.Message; category = $e.CategoryInfo.Category.ToString(); id = $e.FullyQualifiedErrorId } -Compress
  exit 1
}
