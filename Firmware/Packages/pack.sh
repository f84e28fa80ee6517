#!/usr/bin/env bash
# pack.sh OUT_DIR: builds the nanoFramework packages NanoInt8.Kernels, NanoInt8.Runtime and NanoInt8.Device into OUT_DIR.
# Needs ../shared/nanoclr beside the checkout (nanoFramework's metadata processor and mscorlib; see
# Firmware/Packages/README.md). Steps: the device builds Firmware/Kernels.nanoclr, Firmware/Runtime.nanoclr and Firmware/Device.nanoclr
# (Release: .dll, .pdb, XML docs), nfmdp turns each .dll into its .pe and .pdbx, the files are staged as the
# .nuspec files list them, and NuGet's pack task (NanoInt8.Packages.csproj) writes the .nupkg files.
# Package version = assembly version (Firmware/Kernels.nf, Firmware/Runtime.nf and Firmware/Device.nf,
# Properties/AssemblyInfo.cs). Prints one line per package; exit code 0 when all three were written.
set -euo pipefail
[ $# -eq 1 ] || { echo "usage: pack.sh OUT_DIR" >&2; exit 2; }
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
NANOCLR=$(cd "$ROOT/.." && pwd)/shared/nanoclr
mkdir -p "$1"
OUT=$(cd "$1" && pwd)
[ -f "$NANOCLR/mdp/nfmdp.dll" ] || { echo "pack.sh: $NANOCLR is absent (nanoFramework's metadata processor)" >&2; exit 1; }

# assembly_version NAME: the AssemblyVersion of Firmware/NAME.nf/Properties/AssemblyInfo.cs, which the device
# builds compile in as well.
assembly_version() {
  sed -n 's/^\[assembly: AssemblyVersion("\([0-9.]*\)")\]$/\1/p' "$ROOT/Firmware/$1.nf/Properties/AssemblyInfo.cs"
}
kernels_version=$(assembly_version Kernels)
runtime_version=$(assembly_version Runtime)
device_version=$(assembly_version Device)
[ -n "$kernels_version" ] && [ -n "$runtime_version" ] && [ -n "$device_version" ] || { echo "pack.sh: no AssemblyVersion found" >&2; exit 1; }

work=$(mktemp -d "${TMPDIR:-/tmp}/nanoint8-pack.XXXXXX")
trap 'rm -rf "$work"' EXIT

# Device.nanoclr builds Runtime.nanoclr and Kernels.nanoclr too; each project's own output is packed.
if ! dotnet build "$ROOT/Firmware/Device.nanoclr" -c Release -nologo -v q > "$work/build.log" 2>&1; then
  grep -E 'error|warning' "$work/build.log" | sort -u | head -n 30 >&2
  echo "pack.sh: the device builds failed" >&2; exit 1
fi

# stage NAME VERSION REFERENCE.dll...: the files of package NAME in $work/NAME (lib/ and the README).
stage() {
  local name=$1; shift
  local bin=$ROOT/Firmware/${name#NanoInt8.}.nanoclr/bin/Release/net10.0
  local stage=$work/$name
  mkdir -p "$stage/lib"
  cp "$bin/$name.dll" "$bin/$name.pdb" "$bin/$name.xml" "$stage/lib/"
  if ! dotnet "$NANOCLR/mdp/nfmdp.dll" -o "$stage/lib/$name.pe" "$bin/$name.dll" "$NANOCLR/pe/mscorlib.dll" "$@" > "$work/nfmdp-$name.log" 2>&1; then
    cat "$work/nfmdp-$name.log" >&2; echo "pack.sh: nfmdp failed on $name" >&2; exit 1
  fi
  cp "$HERE/$name.md" "$stage/"
}

# pack NAME PROPERTIES: NuGet's pack of $HERE/NAME.nuspec over its staged files.
pack() {
  if ! dotnet pack "$HERE/NanoInt8.Packages.csproj" -nologo -v q -o "$OUT" "-p:NuspecFile=$HERE/$1.nuspec" \
      "-p:NuspecBasePath=$work/$1" "-p:NuspecProperties=\"$2\"" > "$work/pack-$1.log" 2>&1; then
    cat "$work/pack-$1.log" >&2; echo "pack.sh: packing $1 failed" >&2; exit 1
  fi
}

kernels=$ROOT/Firmware/Kernels.nanoclr/bin/Release/net10.0/NanoInt8.Kernels.dll
stage NanoInt8.Kernels
stage NanoInt8.Runtime "$kernels"
stage NanoInt8.Device "$kernels" "$ROOT/Firmware/Runtime.nanoclr/bin/Release/net10.0/NanoInt8.Runtime.dll"
pack NanoInt8.Kernels "version=$kernels_version"
pack NanoInt8.Runtime "version=$runtime_version;kernelsVersion=$kernels_version"
pack NanoInt8.Device "version=$device_version;runtimeVersion=$runtime_version"
for package in "$OUT"/NanoInt8.Kernels.*.nupkg "$OUT"/NanoInt8.Runtime.*.nupkg "$OUT"/NanoInt8.Device.*.nupkg; do
  echo "pack.sh: $(basename "$package") $(stat -c %s "$package") bytes"
done
