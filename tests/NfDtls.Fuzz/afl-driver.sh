# Shared by smoke.sh and campaign.sh (sourced): installs afl++, prepares the instrumented copy of the build, runs one
# target under afl-fuzz and reads its figures. Needs $here (this folder).
# shellcheck shell=bash

fuzz_targets=(dtls-server dtls-client x509 coap-codec coap-server senml-json senml-cbor settings)

ensure_afl() {
  if ! command -v afl-fuzz >/dev/null 2>&1; then
    echo "fuzz: installing afl++ (Debian)"
    local sudo=""
    [ "$(id -u)" = 0 ] || sudo="sudo"
    export DEBIAN_FRONTEND=noninteractive
    $sudo apt-get update -q >/dev/null
    $sudo apt-get install -y -q --no-install-recommends afl++ >/dev/null
  fi
}

# prepare_instrumented [DIR]: copies the Release build to DIR (default bin/afl) and instruments our assemblies there
# (SharpFuzz), leaving the build untouched. Sets afl_bin. Each run gets its own copy (a campaign may be running).
prepare_instrumented() {
  local build="$here/bin/Release/net10.0"
  if [ ! -f "$build/NfDtls.Fuzz.dll" ]; then
    dotnet build "$here" -c Release -nologo -v q -clp:ErrorsOnly
  fi
  afl_bin="${1:-$here/bin/afl}"
  rm -rf "$afl_bin"
  cp -r "$build" "$afl_bin"
  dotnet "$build/NfDtls.Fuzz.dll" instrument "$afl_bin" 2>/dev/null
}

# run_afl TARGET SECONDS OUTDIR [EXTRA afl-fuzz ARGS...]: the target's corpus as seeds, findings under OUTDIR.
# A fixed 5 s timeout per input: afl++'s auto-scaled one ("5000+") came to 120 ms for the DTLS targets, which a
# loaded machine exceeds, and a timeout kills SharpFuzz's persistent process, which ends the whole run.
run_afl() {
  local target=$1 seconds=$2 out=$3; shift 3
  local dict=()
  [ -f "$here/dict/$target.dict" ] && dict=(-x "$here/dict/$target.dict")
  rm -rf "$out"
  mkdir -p "$(dirname "$out")"
  AFL_SKIP_BIN_CHECK=1 AFL_NO_UI=1 AFL_SKIP_CPUFREQ=1 AFL_NO_AFFINITY=1 AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1 \
  AFL_SHUFFLE_QUEUE=0 AFL_FAST_CAL=1 AFL_NO_WARN_INSTABILITY=1 \
    afl-fuzz -i "$here/corpus/$target" -o "$out" -V "$seconds" -t 5000 -m none "${dict[@]}" "$@" \
      -- dotnet "$afl_bin/NfDtls.Fuzz.dll" run "$target" >"$out.log" 2>&1 || true
}

# stat OUTDIR KEY: one value from afl-fuzz's fuzzer_stats (empty when afl-fuzz did not start).
stat() {
  sed -n "s/^$2 *: *//p" "$1/default/fuzzer_stats" 2>/dev/null | head -1
}

# aborted OUTDIR: afl-fuzz stopped before its time (the target process died: a hang of 5 s, or something that killed
# the runtime; the input is not saved then, so the run counts as a finding to look into).
aborted() {
  grep -q "PROGRAM ABORT" "$1.log" 2>/dev/null
}

# findings OUTDIR: crashing and hanging inputs afl-fuzz saved.
findings() {
  find "$1/default/crashes" "$1/default/hangs" -type f ! -name README.txt 2>/dev/null
}
