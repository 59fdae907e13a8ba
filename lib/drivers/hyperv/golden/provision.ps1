$ErrorActionPreference = 'Stop'
$ProgressPreference = 'SilentlyContinue'
$VmProperties = @('Id', 'Name', 'State', 'ProcessorCount', 'MemoryStartup', 'Notes', 'ComputerName', 'Generation', 'Path')
try {
  $result = & {
$tag = '*orquestra:machine-id=3b0c9a52-4c7e-4d3b-8a51-7f0e2d1c6b90*'
$folder = '*orquestra-3b0c9a52-4c7e-4d3b-8a51-7f0e2d1c6b90*'
$vm = Get-VM | Where-Object { ($_.Notes -like $tag) -or ($_.Path -like $folder) } | Select-Object -First 1
if ($null -eq $vm) {
  $root = 'D:\Hyper-V\Orquestra'
  $dir = Join-Path $root 'orquestra-3b0c9a52-4c7e-4d3b-8a51-7f0e2d1c6b90'
  New-Item -ItemType Directory -Path $dir -Force | Out-Null
  $disk = Join-Path $dir 'web-01-3b0c9a52.vhdx'
  if (-not (Test-Path -LiteralPath $disk)) {
    New-VHD -Path $disk -ParentPath 'C:\Hyper-V\Templates\ubuntu-24.04.vhdx' -Differencing | Out-Null
  }
  $want = 80 * 1073741824
  if ((Get-VHD -Path $disk).Size -lt $want) {
    Resize-VHD -Path $disk -SizeBytes $want
  }
  $vm = New-VM -Name 'web-01-3b0c9a52' -Generation 2 -MemoryStartupBytes 4294967296 -VHDPath $disk -SwitchName 'External vSwitch' -Path $dir
  Set-VMProcessor -VM $vm -Count 2
  Set-VMMemory -VM $vm -DynamicMemoryEnabled $false -StartupBytes 4294967296
  Set-VMFirmware -VM $vm -EnableSecureBoot On -SecureBootTemplate 'MicrosoftUEFICertificateAuthority'
  Set-VM -VM $vm -Notes 'Orquestra machine web 01
orquestra:machine-id=3b0c9a52-4c7e-4d3b-8a51-7f0e2d1c6b90
orquestra:installation-id=00000000-0000-4000-8000-00000000abcd' -AutomaticCheckpointsEnabled $false
}
if ($vm.State -ne 'Running') {
  Start-VM -VM $vm
}
$vm = Get-VM -Id $vm.Id
return @{ vm = ($vm | Select-Object -Property $VmProperties) }
  }
  ConvertTo-Json -InputObject @{ ok = $true; result = $result } -Depth 6 -Compress
} catch {
  $e = $_
  ConvertTo-Json -InputObject @{ ok = $false; message = $e.Exception.Message; category = $e.CategoryInfo.Category.ToString(); id = $e.FullyQualifiedErrorId } -Compress
  exit 1
}
