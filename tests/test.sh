#!/usr/bin/env bash
# The test command (README, .ci/run): installs the real peers the interop tests need, builds, runs every test.
# Works on a fresh Debian machine with only the .NET SDK; as root (CI) or with sudo.
set -euo pipefail
cd "$(dirname "$0")/.."

# --- Real peers nobody here wrote (Debian packages). A missing peer fails the interop tests, so install it here.
need=()
command -v openssl      >/dev/null 2>&1 || need+=(openssl)
command -v gnutls-serv  >/dev/null 2>&1 || need+=(gnutls-bin)
command -v coap-client-gnutls >/dev/null 2>&1 || need+=(libcoap3-bin)
[ -x /usr/sbin/mosquitto ] || command -v mosquitto >/dev/null 2>&1 || need+=(mosquitto)
command -v mosquitto_sub >/dev/null 2>&1 || need+=(mosquitto-clients)
command -v tshark       >/dev/null 2>&1 || need+=(tshark)
command -v afl-fuzz     >/dev/null 2>&1 || need+=(afl++)   # coverage-guided fuzzing smoke (tests/NfDtls.Fuzz)
# Mono's IL interpreter and its reference assemblies: the interpreter bench (tools/NfDtls.Bench interp) and its test.
command -v mono         >/dev/null 2>&1 || need+=(mono-runtime libmono-corlib4.5-cil libmono-system4.0-cil)
[ -f /usr/lib/mono/4.5/System.dll ] || need+=(libmono-corlib4.5-cil libmono-system4.0-cil)
if [ ${#need[@]} -gt 0 ]; then
  echo "test.sh: installing ${need[*]}"
  sudo=""
  [ "$(id -u)" = 0 ] || sudo="sudo"
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get update -q >/dev/null
  $sudo apt-get install -y -q --no-install-recommends "${need[@]}" >/dev/null
fi

# --- Build once, then test every project of the solution.
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
dotnet build nf-dtls.sln -c Release -nologo -v q -clp:ErrorsOnly
# --- The portability guard, with its findings in plain sight (its tests in NfDtls.Tests also run it): the core,
#     device bindings and device tests against their baselines and nanoFramework's API; the .nfproj files against
#     their csproj; the byte-code budget. Regenerate: tools/NfDtls.PortabilityGuard/README.md.
guard=tools/NfDtls.PortabilityGuard/bin/Release/net10.0/NfDtls.PortabilityGuard.dll
guard_status=0
dotnet "$guard" check || guard_status=1
dotnet "$guard" check-nfproj --all || guard_status=1
# Each device assembly's nanoFramework byte-code size (what MetadataProcessor writes into the .pe), each under 48 KiB.
dotnet "$guard" bytecode || guard_status=1

log=$(mktemp)
set +e
dotnet test nf-dtls.sln -c Release --no-build -nologo --blame-hang-timeout 5m "$@" 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
# --- Coverage-guided fuzzing, short and bounded: every target replays its corpus, then runs 10 s under afl-fuzz
#     (about 75 s in all). Any finding fails the run. The long campaign: tests/NfDtls.Fuzz/README.md.
bash tests/NfDtls.Fuzz/smoke.sh 10
fuzz_status=$?
set -e

# --- One plain closing line for the whole run, summed over the projects' "Passed!/Failed!" lines.
awk '/(Passed|Failed)! +- +Failed:/ {
       gsub(",", ""); for (i = 1; i <= NF; i++) {
         if ($i == "Failed:") f += $(i+1); if ($i == "Passed:") p += $(i+1); if ($i == "Skipped:") s += $(i+1) } }
     END { printf "tests: %d passed, %d failed, %d skipped\n", p, f, s }' "$log"
rm -f "$log"
[ "$status" = 0 ] && [ "$guard_status" != 0 ] && { echo "test.sh: the portability guard failed (above)"; status=1; }
[ "$status" = 0 ] && [ "$fuzz_status" != 0 ] && { echo "test.sh: the fuzz smoke failed (above)"; status=1; }
exit "$status"
