#!/usr/bin/env bash
# Checks what a user outside this repository gets, with nothing from the repository's build:
#   1. the README's C# quick start is exactly examples/QuickStart/Program.cs;
#   2. dotnet pack: the SpikeInit library package (+ symbols) and the SpikeInit.Tool package (command: spikeinit);
#   3. the tool installed into a temporary folder runs `spikeinit info` and `spikeinit probe --preset micheli-depth --quick`;
#   4. examples/QuickStart, copied out of the tree, restores SpikeInit from the packed folder and runs;
#   5. notebooks/getting-started.ipynb executes headless (C# kernel of .NET Interactive, jupyter nbconvert).
# Consumers restore into a private NuGet folder (the user's cache is only read, as a fallback folder), so the packed
# SpikeInit is what they get and no NuGet cache is ever patched: the Debian 12 libstdc++ fix is the library's own
# run-time step (NativeBridge). Usage: build/check-packages.sh [--no-notebook]. Each step is bounded by a timeout.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
notebook=1; [ "${1:-}" = "--no-notebook" ] && notebook=0
version=$(sed -n 's:.*<Version>\(.*\)</Version>.*:\1:p' Directory.Build.props | head -n 1)
packages="$root/artifacts/packages"
tools="$root/artifacts/tools"
work=$(mktemp -d "${TMPDIR:-/tmp}/spikeinit-check.XXXXXX")
trap 'rm -rf "$work"' EXIT
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_INTERACTIVE_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

step() {  # step NAME TIMEOUT_SECONDS COMMAND...: prints progress and the time taken; fails the script on error
  local name=$1 limit=$2; shift 2
  local start; start=$(date +%s)
  echo "== $name (limit ${limit} s)"
  if ! timeout "$limit" bash -c 'set -euo pipefail; "$@"' step "$@"; then
    echo "error: step '$name' failed or exceeded ${limit} s (after $(( $(date +%s) - start )) s)" >&2
    exit 1
  fi
  echo "== $name: ok, $(( $(date +%s) - start )) s"
}

readme_matches_example() {
  awk '/^## Quick start \(C#\)/{f=1} f&&/^```csharp/{c=1;next} c&&/^```/{exit} c{print}' README.md > "$work/readme-quickstart.cs"
  diff -u examples/QuickStart/Program.cs "$work/readme-quickstart.cs" ||
    { echo "error: README's quick start differs from examples/QuickStart/Program.cs" >&2; return 1; }
  grep -q "Include=\"SpikeInit\" Version=\"$version\"" examples/QuickStart/QuickStart.csproj ||
    { echo "error: examples/QuickStart must reference SpikeInit $version" >&2; return 1; }
  grep -q "nuget: SpikeInit, $version" notebooks/getting-started.ipynb ||
    { echo "error: notebooks/getting-started.ipynb must reference SpikeInit $version" >&2; return 1; }
}

pack() {
  rm -rf "$packages" && mkdir -p "$packages"
  dotnet pack src/SpikeInit -c Release -p:SpikeInitPack=true -o "$packages" -nologo -v quiet
  dotnet pack src/SpikeInit.Cli -c Release -o "$packages" -nologo -v quiet
  for f in "SpikeInit.$version.nupkg" "SpikeInit.$version.snupkg" "SpikeInit.Tool.$version.nupkg"; do
    [ -f "$packages/$f" ] || { echo "error: $f was not produced" >&2; return 1; }
  done
  local listing nuspec   # read whole first: grep -q closing a pipe early would fail the step under pipefail
  listing=$(unzip -l "$packages/SpikeInit.$version.nupkg"); nuspec=$(unzip -p "$packages/SpikeInit.$version.nupkg" SpikeInit.nuspec)
  grep -q "lib/net10.0/SpikeInit.xml" <<<"$listing" || { echo "error: no XML docs in the package" >&2; return 1; }
  grep -q 'id="libtorch-cpu"' <<<"$nuspec" ||
    { echo "error: the package must depend on libtorch-cpu (all platforms)" >&2; return 1; }
  ls -l "$packages"
}

# Consumers: a private package folder; the user's cache only as a read-only fallback, unless it holds a SpikeInit
# (a fallback folder would then shadow the fresh package).
global=${NUGET_PACKAGES:-$HOME/.nuget/packages}
export NUGET_PACKAGES="$work/nuget"
if [ -d "$global" ] && [ ! -d "$global/spikeinit" ]; then export NUGET_FALLBACK_PACKAGES="$global"; fi

tool() {
  dotnet tool install --tool-path "$work/tool" --add-source "$packages" SpikeInit.Tool --version "$version"
  "$work/tool/spikeinit" info
  (cd "$work" && "$work/tool/spikeinit" probe --preset micheli-depth --quick --out "$work/probe")
  [ -f "$work/probe/summary.json" ] || { echo "error: the probe wrote no summary.json" >&2; return 1; }
}

quickstart() {
  cp -r examples/QuickStart "$work/QuickStart"
  cat > "$work/QuickStart/NuGet.Config" <<XML
<?xml version="1.0" encoding="utf-8"?>
<configuration>
  <packageSources>
    <add key="spikeinit-local" value="$packages" />
  </packageSources>
</configuration>
XML
  (cd "$work/QuickStart" && dotnet build -c Release -nologo -v quiet && dotnet bin/Release/net10.0/QuickStart.dll)
}

notebook_run() {
  local interactive="$tools/dotnet-interactive"
  if [ ! -x "$interactive" ]; then
    NUGET_PACKAGES=$global dotnet tool install --tool-path "$tools" Microsoft.dotnet-interactive --version 1.0.712001
  fi
  mkdir -p "$work/jupyter/kernels/.net-csharp"
  cat > "$work/jupyter/kernels/.net-csharp/kernel.json" <<JSON
{"argv": ["$interactive", "jupyter", "--default-kernel", "csharp", "{connection_file}", "--http-port-range", "2048-3000"],
 "display_name": ".NET (C#)", "language": "C#"}
JSON
  sed "s#/path/to/SpikeInit/artifacts/packages#$packages#" notebooks/getting-started.ipynb > "$work/getting-started.ipynb"
  JUPYTER_PATH="$work/jupyter" jupyter nbconvert --to notebook --execute "$work/getting-started.ipynb" \
    --output executed.ipynb --ExecutePreprocessor.timeout=300 --ExecutePreprocessor.kernel_name=.net-csharp
  mkdir -p artifacts && cp "$work/executed.ipynb" artifacts/getting-started.executed.ipynb
  echo "executed notebook: artifacts/getting-started.executed.ipynb"
}

export root version packages tools work global
export -f readme_matches_example pack tool quickstart notebook_run
total=$(date +%s)
step "README quick start = examples/QuickStart" 10 readme_matches_example
step "pack SpikeInit + SpikeInit.Tool" 900 pack
step "tool: spikeinit info, probe --preset micheli-depth --quick" 600 tool
step "examples/QuickStart outside the repository (PackageReference)" 900 quickstart
if [ "$notebook" -eq 1 ]; then step "notebook: jupyter nbconvert --execute" 900 notebook_run; fi
echo "packages check passed in $(( $(date +%s) - total )) s"
