$ErrorActionPreference = 'Stop'
$ProgressPreference = 'SilentlyContinue'
$VmProperties = @('Id', 'Name', 'State', 'ProcessorCount', 'MemoryStartup', 'Notes', 'ComputerName', 'Generation', 'Path')
try {
  $result = & {
$h = Get-VMHost
$path = 'D:\Hyper-V\Orquestra'
$volume = Get-Volume -FilePath $path
return @{ name = $h.ComputerName; vcpu = $h.LogicalProcessorCount; memoryBytes = $h.MemoryCapacity; diskBytes = $volume.Size }
  }
  ConvertTo-Json -InputObject @{ ok = $true; result = $result } -Depth 6 -Compress
} catch {
  $e = $_
  ConvertTo-Json -InputObject @{ ok = $false; message = $e.Exception.Message; category = $e.CategoryInfo.Category.ToString(); id = $e.FullyQualifiedErrorId } -Compress
  exit 1
}
