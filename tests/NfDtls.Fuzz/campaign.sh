#!/usr/bin/env bash
# The long fuzz campaign: every target (or --targets) under afl-fuzz for a share of --minutes, --jobs at a time, at
# low priority (nice 10). Prints per target the executions, executions per second, coverage (afl-fuzz's edges found,
# map coverage, corpus paths) and findings; writes afl-fuzz's output, a summary (summary.txt) and every finding
# (findings/TARGET/...) to --out. Each finding is replayed through the uninstrumented build to show its exception.
#   bash tests/NfDtls.Fuzz/campaign.sh --minutes 60
#   bash tests/NfDtls.Fuzz/campaign.sh --minutes 20 --targets dtls-server,dtls-client --jobs 1 --out /tmp/fuzz
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
# shellcheck source=afl-driver.sh
source "$here/afl-driver.sh"
minutes=60
jobs=2
targets=("${fuzz_targets[@]}")
out="$here/findings/campaign-$(date -u +%Y%m%d-%H%M%S)"
while [ $# -gt 0 ]; do
  case "$1" in
    --minutes) minutes=$2; shift 2 ;;
    --jobs) jobs=$2; shift 2 ;;
    --targets) IFS=, read -r -a targets <<<"$2"; shift 2 ;;
    --out) out=$2; shift 2 ;;
    *) echo "usage: campaign.sh [--minutes N] [--jobs J] [--targets a,b,...] [--out DIR]" >&2; exit 2 ;;
  esac
done
ensure_afl
dotnet build "$here" -c Release -nologo -v q -clp:ErrorsOnly
mkdir -p "$out"
prepare_instrumented "$out/bin"
per=$(( minutes * 60 * jobs / ${#targets[@]} ))
echo "fuzz campaign: ${#targets[@]} targets, $per s each, $jobs at a time, output $out"
i=0
for t in "${targets[@]}"; do
  ( nice -n 10 bash -c "source '$here/afl-driver.sh'; here='$here'; afl_bin='$afl_bin'; run_afl '$t' '$per' '$out/$t'"
    echo "fuzz campaign: $t done ($(stat "$out/$t" execs_done) execs)" ) &
  i=$((i + 1))
  if [ $((i % jobs)) = 0 ]; then wait; fi
done
wait

summary="$out/summary.txt"
{
  printf '%-12s %8s %12s %8s %7s %8s %7s %8s %6s\n' target seconds execs exec/s edges map paths crashes hangs
  total=0
  for t in "${targets[@]}"; do
    s="$out/$t"
    execs=$(stat "$s" execs_done); execs=${execs:-0}
    total=$((total + execs))
    printf '%-12s %8s %12s %8s %7s %8s %7s %8s %6s\n' "$t" "$(stat "$s" run_time)" "$execs" "$(stat "$s" execs_per_sec)" \
      "$(stat "$s" edges_found)" "$(stat "$s" bitmap_cvg)" "$(stat "$s" corpus_count)" "$(stat "$s" saved_crashes)" "$(stat "$s" saved_hangs)"
  done
  echo "total executions: $total"
  for t in "${targets[@]}"; do
    if aborted "$out/$t"; then echo "$t: afl-fuzz ABORTED early (the target process died; see $out/$t.log)"; fi
  done
} | tee "$summary"

build="$here/bin/Release/net10.0"
count=0
for t in "${targets[@]}"; do
  for f in $(findings "$out/$t"); do
    count=$((count + 1))
    mkdir -p "$out/findings/$t"
    cp "$f" "$out/findings/$t/"
    echo "--- $t $(basename "$f")" | tee -a "$summary"
    dotnet "$build/NfDtls.Fuzz.dll" replay "$t" "$f" 2>&1 | head -8 | tee -a "$summary" || true
  done
done
echo "fuzz campaign: $count findings (minimise one: afl-tmin -i FILE -o MIN -t 5000 -m none -- dotnet $afl_bin/NfDtls.Fuzz.dll run TARGET, with AFL_SKIP_BIN_CHECK=1)" | tee -a "$summary"
