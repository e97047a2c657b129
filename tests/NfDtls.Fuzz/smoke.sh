#!/usr/bin/env bash
# Short bounded smoke of every fuzz target (tests/test.sh runs it): each target replays its whole corpus through the
# uninstrumented build, then afl-fuzz runs it for SECONDS (default 10) on the instrumented copy, two targets at a
# time. Fails on any finding (an exception out of a parser or engine, a broken invariant, a hang) or when afl-fuzz
# could not run a target. Usage: smoke.sh [SECONDS]
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
# shellcheck source=afl-driver.sh
source "$here/afl-driver.sh"
seconds=${1:-10}
start=$(date +%s)
ensure_afl
build="$here/bin/Release/net10.0"
[ -f "$build/NfDtls.Fuzz.dll" ] || dotnet build "$here" -c Release -nologo -v q -clp:ErrorsOnly

status=0
for t in "${fuzz_targets[@]}"; do
  dotnet "$build/NfDtls.Fuzz.dll" replay "$t" "$here/corpus/$t" || status=1
done

out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT
prepare_instrumented "$out/bin"
i=0
for t in "${fuzz_targets[@]}"; do
  run_afl "$t" "$seconds" "$out/$t" &
  i=$((i + 1))
  if [ $((i % 2)) = 0 ]; then wait; fi
done
wait

total=0
for t in "${fuzz_targets[@]}"; do
  execs=$(stat "$out/$t" execs_done)
  if [ -z "$execs" ] || [ "$execs" = 0 ]; then
    echo "fuzz smoke: $t: afl-fuzz did not run"; tail -20 "$out/$t.log"; status=1; continue
  fi
  total=$((total + execs))
  if aborted "$out/$t"; then
    echo "fuzz smoke: $t: afl-fuzz aborted (the target process died: a hang or a runtime crash):"; grep -A3 "PROGRAM ABORT" "$out/$t.log"; status=1
  fi
  found=$(findings "$out/$t")
  printf 'fuzz smoke: %-12s %8s execs %8s/s  edges %5s  corpus %4s\n' "$t" "$execs" "$(stat "$out/$t" execs_per_sec)" \
    "$(stat "$out/$t" edges_found)" "$(stat "$out/$t" corpus_count)"
  if [ -n "$found" ]; then
    status=1
    for f in $found; do
      keep="$here/findings/smoke-$t-$(basename "$f" | tr ':,' '__')"
      mkdir -p "$here/findings"; cp "$f" "$keep"
      echo "fuzz smoke: FINDING in $t, kept as $keep:"
      dotnet "$build/NfDtls.Fuzz.dll" replay "$t" "$keep" 2>&1 | head -20 || true
    done
  fi
done
echo "fuzz smoke: ${#fuzz_targets[@]} targets, $total executions, $(($(date +%s) - start)) s, $([ $status = 0 ] && echo "no findings" || echo "FINDINGS or errors above")"
exit $status
