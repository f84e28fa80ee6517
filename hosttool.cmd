@echo off
rem hosttool from this checkout, for Windows (./hosttool is the Linux and macOS twin; see it for
rem what happens). The first call, and the first after a source file changed, builds
rem HostTools\hosttool into artifacts\hosttool\; every other call only starts the built tool.
setlocal
set "root=%~dp0"
set "out=%root%artifacts\hosttool"
powershell -NoProfile -ExecutionPolicy Bypass -Command ^
  "$stamp = Get-Item -LiteralPath '%out%\.built' -ErrorAction SilentlyContinue;" ^
  "if (-not $stamp -or -not (Test-Path -LiteralPath '%out%\hosttool.dll')) { exit 1 };" ^
  "$sources = '%root%HostTools','%root%Firmware\Runtime','%root%Firmware\Device','%root%boards' | ForEach-Object { Get-ChildItem -LiteralPath $_ -Recurse -File };" ^
  "$sources += Get-Item -LiteralPath '%root%Directory.Build.props','%root%Directory.Packages.props';" ^
  "$newer = $sources | Where-Object { $_.FullName -notmatch '\\(bin|obj)\\' -and $_.LastWriteTime -gt $stamp.LastWriteTime } | Select-Object -First 1;" ^
  "if ($newer) { exit 1 } else { exit 0 }"
if errorlevel 1 (
  echo hosttool: building it into artifacts\hosttool ^(first use, or its sources changed^) ... 1>&2
  if not exist "%root%artifacts" mkdir "%root%artifacts"
  dotnet build "%root%HostTools\hosttool\hosttool.csproj" -c Release -o "%out%" -nologo -v quiet -p:RunAnalyzers=false -p:GenerateDocumentationFile=false > "%root%artifacts\hosttool-build.log" 2>&1
  if errorlevel 1 (
    type "%root%artifacts\hosttool-build.log" 1>&2
    echo hosttool: the build failed ^(messages above, also in artifacts\hosttool-build.log^); it needs the .NET 10 SDK. 1>&2
    exit /b 1
  )
  type nul > "%out%\.built"
)
dotnet "%out%\hosttool.dll" %*
exit /b %errorlevel%
