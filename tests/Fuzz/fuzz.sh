#!/usr/bin/env bash
# ./cosmos fuzz [SECONDS] [HARNESS...]     run each harness (all by default) under afl-fuzz for SECONDS (60) each,
#                                          one after another, then print executions, exec/s, corpus and findings
# ./cosmos fuzz --list                     the harnesses, their documented errors and targets
# ./cosmos fuzz --replay HARNESS FILE...   run inputs once (a finding's file) and print every exception with its stack
#
# The Cosmos assemblies in a copy of the build output are instrumented by SharpFuzz (the sharpfuzz dotnet tool
# pinned in tests/Fuzz/dotnet-tools.json); afl-fuzz (Debian's afl++) talks to SharpFuzz's fork server in
# Cosmos.Fuzz. Output: artifacts/fuzz/HARNESS/ (afl-fuzz's state) and artifacts/fuzz/findings/HARNESS/ (each
# crash or hang as a file to replay). Exits 1 when any harness found something. See docs/robustness.md.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$root"
fuzz_dir=tests/Fuzz
out=artifacts/fuzz
build_dir=$fuzz_dir/bin/Release/net10.0
instrumented=$out/bin
# A harness input that runs this long (ms) is a hang; the fork server's first run JIT-compiles, so not too short.
timeout_ms=${COSMOS_FUZZ_TIMEOUT_MS:-2000}

build() {
  local log
  log=$(mktemp)
  if ! dotnet build "$fuzz_dir/Cosmos.Fuzz.csproj" -c Release -nologo -v:quiet >"$log" 2>&1; then
    cat "$log" >&2
    rm -f "$log"
    echo "fuzz: building $fuzz_dir failed" >&2
    exit 1
  fi
  rm -f "$log"
}

instrument() {
  (cd "$fuzz_dir" && dotnet tool restore >/dev/null)
  rm -rf "$instrumented"
  mkdir -p "$instrumented"
  cp -r "$build_dir"/. "$instrumented"/
  for assembly in Cosmos.System2 Cosmos.Drivers Cosmos.HAL2; do
    (cd "$fuzz_dir" && dotnet sharpfuzz "$root/$instrumented/$assembly.dll" >/dev/null)
  done
}

harness_names() { dotnet "$build_dir/Cosmos.Fuzz.dll" list | cut -f1; }

stat_of() { sed -n "s/^$2 *: *//p" "$1" | head -1; }

if [ "${1:-}" = "--list" ]; then
  build
  dotnet "$build_dir/Cosmos.Fuzz.dll" list | tr "\t" " "
  exit 0
fi

if [ "${1:-}" = "--replay" ]; then
  shift
  [ $# -ge 2 ] || { echo "usage: ./cosmos fuzz --replay HARNESS FILE..." >&2; exit 2; }
  build
  exec dotnet "$build_dir/Cosmos.Fuzz.dll" replay "$@"
fi

seconds=60
if [[ "${1:-}" =~ ^[0-9]+$ ]]; then
  seconds=$1
  shift
fi

build
harnesses=("$@")
if ((${#harnesses[@]} == 0)); then
  mapfile -t harnesses < <(harness_names)
fi
known=$(harness_names)
for h in "${harnesses[@]}"; do
  grep -qx "$h" <<<"$known" || { echo "fuzz: no harness named '$h' (./cosmos fuzz --list)" >&2; exit 2; }
done
instrument

export AFL_SKIP_BIN_CHECK=1 AFL_NO_UI=1 AFL_SKIP_CPUFREQ=1 AFL_NO_AFFINITY=1 AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1
export AFL_SKIP_CRASHES=1 AFL_FAST_CAL=1
# A runaway allocation becomes an OutOfMemoryException (a crash) instead of eating the machine.
export DOTNET_GCHeapHardLimit=0x20000000 DOTNET_gcServer=0 DOTNET_TieredPGO=0

rows=()
total_findings=0
for h in "${harnesses[@]}"; do
  state=$out/$h
  rm -rf "$state"
  mkdir -p "$state"
  echo "[fuzz] $h: ${seconds}s"
  # -V ends the campaign after the given time; -t is the per-input hang limit; the .NET heap limit above replaces -m.
  afl-fuzz -i "$fuzz_dir/corpus/$h" -o "$state" -V "$seconds" -t "$timeout_ms" -m none \
    -- dotnet "$instrumented/Cosmos.Fuzz.dll" run "$h" >"$state/afl.log" 2>&1 || {
      echo "[fuzz] $h: afl-fuzz failed; the end of $state/afl.log:" >&2
      tail -5 "$state/afl.log" >&2
      rows+=("$h|-|-|-|afl-fuzz failed")
      total_findings=$((total_findings + 1))
      continue
    }
  stats=$state/default/fuzzer_stats
  execs=$(stat_of "$stats" execs_done)
  rate=$(stat_of "$stats" execs_per_sec)
  corpus=$(stat_of "$stats" corpus_count)
  crashes=$(stat_of "$stats" saved_crashes)
  hangs=$(stat_of "$stats" saved_hangs)
  findings=$out/findings/$h
  rm -rf "$findings"
  if ((crashes + hangs > 0)); then
    mkdir -p "$findings"
    for kind in crashes hangs; do
      for f in "$state/default/$kind"/id:*; do
        [ -e "$f" ] && cp "$f" "$findings/$kind-$(basename "$f" | cut -d, -f1 | tr -d :)"
      done
    done
    total_findings=$((total_findings + crashes + hangs))
  fi
  rows+=("$h|$execs|$rate|$corpus|$crashes crashes, $hangs hangs")
done

echo
printf '%-16s %12s %10s %8s  %s\n' harness executions exec/s corpus findings
for row in "${rows[@]}"; do
  IFS='|' read -r h execs rate corpus findings <<<"$row"
  printf '%-16s %12s %10s %8s  %s\n' "$h" "$execs" "$rate" "$corpus" "$findings"
done
if ((total_findings > 0)); then
  echo
  echo "[fuzz] findings are in $out/findings/; replay one with: ./cosmos fuzz --replay HARNESS FILE"
  exit 1
fi
