#!/usr/bin/env bash
# Rebuilds the seed corpora (corpus/TARGET/) from real traffic and real files. Not part of the test run: the corpora
# are in the repository; run this after a change to the harnesses (setup byte, PKI, resources) made old seeds stale.
#   DTLS: OpenSSL and GnuTLS clients against the server harness, our client harness against OpenSSL and GnuTLS servers
#         (PSK, ECDHE-ECDSA with X.509, GnuTLS also raw public keys), recorded by `NfDtls.Fuzz record-dtls-*`, plus
#         our own client against our own server in memory for every setup byte (`seed-own`).
#   CoAP: libcoap's coap-client against the endpoint harness (`record-coap`); each datagram either way is a codec seed.
#   X.509: the fuzz PKI, `nfdtls provision` certificates, OpenSSL-made certificates (RSA, P-384, odd extensions).
#   SenML: RFC 8428 examples; settings: the boards' files and a provisioned node's file.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
cd "$here"
bin="$here/bin/Release/net10.0"
[ -f "$bin/NfDtls.Fuzz.dll" ] || dotnet build "$here" -c Release -nologo -v q -clp:ErrorsOnly
fuzz() { dotnet "$bin/NfDtls.Fuzz.dll" "$@"; }
corpus="$here/corpus"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
pki="$here/pki"
key=00112233445566778899aabbccddeeff
gnutls_psk="NORMAL:-VERS-ALL:+VERS-DTLS1.2:-CIPHER-ALL:+AES-128-CCM-8:-KX-ALL:+PSK"
gnutls_x509="NORMAL:-VERS-ALL:+VERS-DTLS1.2:-CIPHER-ALL:+AES-128-CCM-8:-KX-ALL:+ECDHE-ECDSA"
gnutls_rpk="$gnutls_x509:-CTYPE-ALL:+CTYPE-SRV-RAWPK:+CTYPE-CLI-RAWPK"
port=47110
rm -rf "$corpus"
mkdir -p "$corpus"/{dtls-server,dtls-client,x509,coap-codec,coap-server,senml-json,senml-cbor,settings}

fuzz seed-own "$corpus"

# --- DTLS: real clients against the server harness (setup byte: DtlsSetup.cs).
server_with() { # NAME SETUP CLIENT-COMMAND...
  local name=$1 setup=$2; shift 2
  fuzz record-dtls-server "$setup" "$port" "$corpus/dtls-server/$name" 8 &
  local rec=$!
  sleep 1.5
  ( echo "ping from the peer"; sleep 2 ) | timeout 6 "$@" >"$work/$name.log" 2>&1 || true
  wait $rec
}
server_with openssl-psk 0x00 openssl s_client -dtls1_2 -connect 127.0.0.1:$port -psk $key -psk_identity device-1 -cipher PSK-AES128-CCM8
server_with openssl-psk-hint 0x08 openssl s_client -dtls1_2 -connect 127.0.0.1:$port -psk $key -psk_identity device-1 -cipher PSK-AES128-CCM8
server_with openssl-ecdhe-x509 0x11 openssl s_client -dtls1_2 -connect 127.0.0.1:$port -cipher ECDHE-ECDSA-AES128-CCM8 \
  -cert "$pki/client.pem" -key "$pki/client.key" -CAfile "$pki/ca.pem"
server_with openssl-ecdhe-nocert 0x01 openssl s_client -dtls1_2 -connect 127.0.0.1:$port -cipher ECDHE-ECDSA-AES128-CCM8 -CAfile "$pki/ca.pem"
server_with openssl-mixed 0x03 openssl s_client -dtls1_2 -connect 127.0.0.1:$port -psk $key -psk_identity device-1 \
  -cipher 'PSK-AES128-CCM8:ECDHE-ECDSA-AES128-CCM8' -cert "$pki/client.pem" -key "$pki/client.key" -CAfile "$pki/ca.pem"
server_with openssl-small-mtu 0x20 openssl s_client -dtls1_2 -connect 127.0.0.1:$port -psk $key -psk_identity device-1 -cipher PSK-AES128-CCM8 -mtu 256
server_with gnutls-psk 0x00 gnutls-cli --udp --port $port 127.0.0.1 --pskusername device-1 --pskkey $key --priority "$gnutls_psk"
server_with gnutls-psk-noext 0x08 gnutls-cli --udp --port $port 127.0.0.1 --pskusername device-1 --pskkey $key \
  --priority "$gnutls_psk:%NO_EXTENSIONS:%DISABLE_SAFE_RENEGOTIATION"
server_with gnutls-ecdhe-x509 0x11 gnutls-cli --udp --port $port 127.0.0.1 --x509certfile "$pki/client.pem" --x509keyfile "$pki/client.key" \
  --x509cafile "$pki/ca.pem" --priority "$gnutls_x509"
server_with gnutls-ecdhe-rpk 0x12 gnutls-cli --udp --port $port 127.0.0.1 --rawpkkeyfile "$pki/client.key" --rawpkfile "$pki/client.pub" \
  --no-ca-verification --priority "$gnutls_rpk"

# --- DTLS: the client harness against real servers.
client_with() { # NAME SETUP SERVER-COMMAND...
  local name=$1 setup=$2; shift 2
  ( sleep 9 | "$@" >"$work/$name.log" 2>&1 ) &
  local peer=$!
  sleep 1.5
  fuzz record-dtls-client "$setup" "$port" "$corpus/dtls-client/$name" 6 || true
  pkill -P $peer 2>/dev/null || true
  wait $peer 2>/dev/null || true
}
client_with openssl-psk 0x00 openssl s_server -dtls1_2 -accept 127.0.0.1:$port -nocert -psk $key -psk_identity device-1 -cipher PSK-AES128-CCM8
client_with openssl-psk-hint 0x00 openssl s_server -dtls1_2 -accept 127.0.0.1:$port -nocert -psk_hint openssl-hint -psk $key -psk_identity device-1 -cipher PSK-AES128-CCM8
client_with openssl-ecdhe-x509 0x11 openssl s_server -dtls1_2 -accept 127.0.0.1:$port -cipher ECDHE-ECDSA-AES128-CCM8 \
  -cert "$pki/server.pem" -key "$pki/server.key" -CAfile "$pki/ca.pem" -Verify 1
client_with openssl-ecdhe-nocert 0x09 openssl s_server -dtls1_2 -accept 127.0.0.1:$port -cipher ECDHE-ECDSA-AES128-CCM8 \
  -cert "$pki/server.pem" -key "$pki/server.key"
echo "psk: device-1:$key" >/dev/null
printf 'device-1:%s\n' $key >"$work/psk.txt"
client_with gnutls-psk 0x00 gnutls-serv --udp --port $port --pskpasswd "$work/psk.txt" --priority "$gnutls_psk" --echo
client_with gnutls-ecdhe-x509 0x11 gnutls-serv --udp --port $port --x509certfile "$pki/server.pem" --x509keyfile "$pki/server.key" \
  --x509cafile "$pki/ca.pem" --require-client-cert --verify-client-cert --priority "$gnutls_x509" --echo
client_with gnutls-ecdhe-rpk 0x02 gnutls-serv --udp --port $port --rawpkkeyfile "$pki/server.key" --rawpkfile "$pki/server.pub" \
  --require-client-cert --priority "$gnutls_rpk" --echo

# --- CoAP: libcoap's coap-client against the endpoint harness; every datagram also seeds the codec.
n=0
coap_with() { # coap-client arguments (the URI's port is filled in)
  n=$((n + 1))
  fuzz record-coap $port "$corpus/coap-server/libcoap-$n" "$work/codec-$n" 6 &
  local rec=$!
  sleep 1.5
  timeout 5 coap-client-gnutls -B 3 "$@" >/dev/null 2>&1 || true
  wait $rec
}
u="coap://127.0.0.1:$port"
coap_with "$u/.well-known/core"
coap_with "$u/hello"
coap_with -b 64 "$u/large"
coap_with -m put -e "stored text" "$u/store"
coap_with -m post -e "more" "$u/store"
coap_with -m post "$u/counter"
coap_with -s 2 "$u/counter"
coap_with -m delete "$u/store"
coap_with -N "$u/hello"
coap_with "$u/later"
head -c 700 /dev/urandom | base64 >"$work/upload.txt"
coap_with -m put -b 64 -f "$work/upload.txt" "$u/store"
coap_with -A 0 -O 2048,x -T cafe "$u/hello?a=1&b=2"
for dir in "$work"/codec-*; do
  for f in "$dir"/*; do cp "$f" "$corpus/coap-codec/$(basename "$dir")-$(basename "$f")"; done
done

# --- X.509: mode byte (X509Target.cs) + DER, or + a TLS certificate list.
der() { openssl x509 -in "$1" -outform DER; }
cert() { # NAME MODE PEM
  { printf "\\x$2"; der "$3"; } >"$corpus/x509/$1"
}
cert fuzz-ca 00 "$pki/ca.pem"
cert fuzz-server c0 "$pki/server.pem"
cert fuzz-client 4e "$pki/client.pem"
chain() { # NAME MODE PEM...
  local name=$1 mode=$2; shift 2
  local body="$work/chain.bin"; : >"$body"
  for p in "$@"; do der "$p" >"$work/one.der"; printf "%06x" "$(stat -c %s "$work/one.der")" | xxd -r -p >>"$body"; cat "$work/one.der" >>"$body"; done
  { printf "\\x$mode"; printf "%06x" "$(stat -c %s "$body")" | xxd -r -p; cat "$body"; } >"$corpus/x509/$name"
}
chain chain-server-ca 41 "$pki/server.pem" "$pki/ca.pem"
chain chain-client 0b "$pki/client.pem"
dotnet "$root/tools/NfDtls.Cli/bin/Release/net10.0/nfdtls.dll" provision --out "$work/fleet" --nodes 1 --security x509 --gateway-host 127.0.0.1 >/dev/null
for field in certificate ca_certificate; do # a provisioned node's own and its CA's certificate, hex in its settings file
  { printf '\x00'; sed -n "s/^$field = //p" "$work/fleet/nodes/node-001.settings" | xxd -r -p; } >"$corpus/x509/provisioned-$field"
done
openssl req -x509 -newkey rsa:2048 -nodes -keyout "$work/rsa.key" -out "$work/rsa.pem" -days 30 -subj "/CN=rsa" 2>/dev/null
cert openssl-rsa 00 "$work/rsa.pem"
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:secp384r1 -nodes -keyout "$work/p384.key" -out "$work/p384.pem" -days 30 -subj "/CN=p384" 2>/dev/null
cert openssl-p384 00 "$work/p384.pem"
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -keyout "$work/p256.key" -out "$work/p256.pem" -days 30 \
  -subj "/C=DE/O=nf-dtls/OU=fuzz/CN=*.example.org" -addext "subjectAltName=DNS:*.example.org,DNS:localhost,IP:127.0.0.1,IP:::1,email:a@b.c,URI:coap://x" \
  -addext "keyUsage=critical,digitalSignature,keyCertSign" -addext "basicConstraints=critical,CA:TRUE,pathlen:0" \
  -addext "extendedKeyUsage=serverAuth,clientAuth" -addext "nsComment=fuzz" 2>/dev/null
cert openssl-p256-extensions c0 "$work/p256.pem"
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -keyout "$work/old.key" -out "$work/old.pem" \
  -days 36500 -subj "/CN=long" 2>/dev/null
cert openssl-p256-long 00 "$work/old.pem"

# --- SenML: RFC 8428 §5.1 examples (JSON); CBOR and more JSON packs from SenmlWriter (`seed-own` wrote them).
cp "$here/seeds/senml-json/"* "$corpus/senml-json/"

# --- Settings: the boards' files and a provisioned node's file.
for b in "$root"/boards/*/board.settings; do cp "$b" "$corpus/settings/board-$(basename "$(dirname "$b")")"; done
dotnet "$root/tools/NfDtls.Cli/bin/Release/net10.0/nfdtls.dll" provision --out "$work/fleet2" --nodes 1 --security psk --gateway-host 10.0.0.2 >/dev/null
find "$work/fleet2" -type f | sort | while read -r f; do
  if grep -q "node_id" "$f" 2>/dev/null; then cp "$f" "$corpus/settings/provisioned-psk-$(basename "$f")"; fi
done
find "$work/fleet" -type f | sort | while read -r f; do
  if grep -q "node_id" "$f" 2>/dev/null; then cp "$f" "$corpus/settings/provisioned-x509-$(basename "$f")"; fi
done
cp "$here/seeds/settings/"* "$corpus/settings/"

du -sh "$corpus"; for d in "$corpus"/*; do echo "$(basename "$d"): $(ls "$d" | wc -l) files, $(du -sk "$d" | cut -f1) KB"; done
