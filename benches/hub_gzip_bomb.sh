#!/usr/bin/env bash
# Peak memory of the hub under gzip bombs: six concurrent authenticated pushes, each a
# 1.5 MB gzip body that inflates to about 1.5 GB. Prints the hub's VmHWM (peak resident
# set) before and after the attack, read from /proc/<pid>/status. All six use one
# station's credential, which has one push admitted at a time (the others are answered
# 503 at once): benches/hub_memory.sh sends bombs from many stations.
#
#   [KIND=zeros|spaces|string] [BOMBS=6] benches/hub_gzip_bomb.sh [motcua-hub] [motcua]
#
# KIND=zeros (default): 1.5 GB of zero bytes, not JSON at all.
# KIND=spaces: '{"station_id":' then 1.5 GB of spaces, JSON the parser must read through.
# KIND=string: '{"station_id":"' then 1.5 GB of 'a', one ever-growing JSON string.
#
# Loopback only; the hub runs on SQLite in a temporary directory.
set -euo pipefail
HUB=${1:-target/debug/motcua-hub}
MOTCUA=${2:-target/debug/motcua}
N=${BOMBS:-6}
dir=$(mktemp -d)
trap 'kill "$pid" 2>/dev/null || true; rm -rf "$dir"' EXIT
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
"$HUB" serve --db "$dir/hub.sqlite" --listen "127.0.0.1:$port" 2>"$dir/hub.log" &
pid=$!
for _ in $(seq 100); do curl -fs "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.1; done

"$MOTCUA" --data-dir "$dir/s" init --agency-id 000.17.22.H56 --agency-name "UBND xã Tân Lập" \
  --parent-name "UBND tỉnh Thanh Hóa" --station 1 >/dev/null
token=$("$HUB" station add --db "$dir/hub.sqlite" --agency-id 000.17.22.H56 --station 1)
"$MOTCUA" --data-dir "$dir/s" sync enroll --hub "http://127.0.0.1:$port" --token "$token" >/dev/null
cred=$(cat "$dir/s/sync.credential")

python3 - "$dir/bomb.gz" "${KIND:-zeros}" <<'PY'
import gzip, sys
kind = sys.argv[2]
head, byte = {"zeros": (b"", b"\0"), "spaces": (b'{"station_id":', b" "),
              "string": (b'{"station_id":"', b"a")}[kind]
# 1,536 MiB of one byte compress to about 1.5 MB.
with gzip.open(sys.argv[1], "wb", compresslevel=9) as f:
    f.write(head)
    chunk = byte * (1 << 20)
    for _ in range(1536):
        f.write(chunk)
PY
echo "bomb (${KIND:-zeros}): $(stat -c %s "$dir/bomb.gz") bytes compressed, 1610612736 inflated"
echo "before: $(grep VmHWM /proc/$pid/status)"
start=$(date +%s.%N)
for i in $(seq "$N"); do
  curl -s -o "$dir/answer$i" -w "%{http_code} " -X POST "http://127.0.0.1:$port/api/v1/push" \
    -H "Authorization: Bearer $cred" -H "Content-Type: application/json" \
    -H "Content-Encoding: gzip" --data-binary "@$dir/bomb.gz" &
done
wait $(jobs -p | grep -v "^$pid$") 2>/dev/null || true
end=$(date +%s.%N)
echo
echo "answer: $(head -c 300 "$dir/answer1")"
echo "after $N concurrent bombs: $(grep VmHWM /proc/$pid/status) ($(echo "$end - $start" | bc) s)"
